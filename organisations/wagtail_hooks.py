from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from . import admin_urls
from .access import ScopedMenuItem


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("org/", include(admin_urls))]


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return ScopedMenuItem(
        _("Units and members"), reverse("organisations_admin:index"), icon_name="group", order=250
    )
