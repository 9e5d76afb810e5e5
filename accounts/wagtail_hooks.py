from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import ListingButton

from . import admin_urls


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("members/", include(admin_urls))]


@hooks.register("register_user_listing_buttons")
def reset_password_button(user, request_user):
    if user.is_superuser or not request_user.has_perm("accounts.change_user"):
        return []
    return [
        ListingButton(
            _("New activation code"),
            reverse("accounts_admin:reset_password", args=[user.pk]),
            priority=30,
        )
    ]
