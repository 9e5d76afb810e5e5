from django.urls import path

from . import admin_views

app_name = "accounts_admin"

urlpatterns = [
    path("<int:user_id>/reset-password/", admin_views.admin_reset_password, name="reset_password"),
]
