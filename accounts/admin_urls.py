from django.urls import path

from . import views

app_name = "accounts_admin"

urlpatterns = [
    path("<int:user_id>/reset-password/", views.admin_reset_password, name="reset_password"),
]
