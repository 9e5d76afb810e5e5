from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from organisations.access import ScopedMenuItem

from . import admin_urls, session_admin_urls
from .session_admin_views import SessionsMenuItem


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("campaigns/", include(admin_urls)),
        path("sessions/", include(session_admin_urls)),
    ]


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return ScopedMenuItem(
        _("Training campaigns"), reverse("training_admin:index"), icon_name="date", order=255
    )


@hooks.register("register_admin_menu_item")
def register_sessions_menu_item():
    return SessionsMenuItem(
        _("Training sessions"),
        reverse("training_sessions:index"),
        icon_name="calendar",
        order=256,
    )
