from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from organisations.access import ScopedMenuItem

from . import admin_urls


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("outreach/", include(admin_urls))]


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return ScopedMenuItem(
        _("Help given to residents"), reverse("outreach_admin:index"), icon_name="group", order=257
    )
