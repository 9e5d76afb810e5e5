from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_urls, selectors


class ScopedMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(selectors.scope_roots(request.user))


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("org/", include(admin_urls))]


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return ScopedMenuItem(
        _("Units and members"), reverse("organisations_admin:index"), icon_name="group", order=250
    )
