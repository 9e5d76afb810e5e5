from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_urls


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("schedules/", include(admin_urls))]


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_settings_menu_item")
def register_schedules_menu_item():
    return SuperuserMenuItem(
        _("Scheduled jobs"), reverse("schedules_admin:index"), icon_name="time", order=900
    )
