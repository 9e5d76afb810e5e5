from django.urls import path

from organisations.access import scope_required

from . import admin_views

app_name = "training_admin"

urlpatterns = [
    path("", scope_required(admin_views.index), name="index"),
    path("new/", scope_required(admin_views.create), name="create"),
    path("<int:pk>/", scope_required(admin_views.detail), name="detail"),
    path("<int:pk>/edit/", scope_required(admin_views.edit), name="edit"),
    path("<int:pk>/status/", scope_required(admin_views.change_status), name="status"),
]
