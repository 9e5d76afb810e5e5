from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_urls, admin_views


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("schedules/", include(admin_urls)),
        path("trainer-guide/", admin_views.trainer_guide, name="trainer_guide"),
    ]


@hooks.register("register_help_menu_item")
def register_trainer_guide_menu_item():
    return MenuItem(_("Trainer guide"), reverse("trainer_guide"), icon_name="help", order=900)


@hooks.register("construct_help_menu")
def keep_only_vietnamese_help(request, menu_items):
    """Wagtail's own "Editor Guide" and "What's new" open English pages on wagtail.org:
    the help menu keeps our guide (and the keyboard shortcuts)."""
    menu_items[:] = [
        item
        for item in menu_items
        if item.name != "editor-guide" and not item.name.startswith("whats-new")
    ]


# The admin's sign-in heading, in site/templates/wagtailadmin/login.html (a folder
# makemessages skips): marked here so the catalogue keeps it.
SIGN_IN_TO = gettext_noop("Sign in to %(name)s")


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_settings_menu_item")
def register_schedules_menu_item():
    return SuperuserMenuItem(
        _("Scheduled jobs"), reverse("schedules_admin:index"), icon_name="time", order=900
    )
