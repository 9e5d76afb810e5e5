from django.urls import path

from . import admin_views

app_name = "schedules_admin"

urlpatterns = [
    path("", admin_views.schedules, name="index"),
    path("<int:pk>/toggle/", admin_views.toggle, name="toggle"),
    path("<int:pk>/run/", admin_views.run_now, name="run_now"),
]
