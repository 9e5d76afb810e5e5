from django.urls import path

from . import admin_views

app_name = "outreach_admin"

urlpatterns = [
    path("", admin_views.index, name="index"),
    path("campaigns/<int:campaign_id>/targets/", admin_views.add_target, name="add_target"),
    path("targets/<int:pk>/remove/", admin_views.remove_target, name="remove_target"),
]
