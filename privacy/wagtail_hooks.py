from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from organisations.access import ScopedMenuItem
from organisations.models import Role
from organisations.selectors import scope_roots

from . import admin_urls
from .models import PrivacyNotice


class PrivacyNoticeViewSet(SnippetViewSet):
    """Versions of the privacy notice (superusers: Wagtail's model permissions). Publish a
    new version as a new row with a higher number: everyone accepts it again."""

    model = PrivacyNotice
    icon = "lock"
    menu_label = _("Privacy notices")
    list_display = ["version", "title_vi", "published_at"]


register_snippet(PrivacyNoticeViewSet)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("privacy/", include(admin_urls))]


class AccessLogMenuItem(MenuItem):
    """Unit administrators (a province sees its province) and superusers."""

    def is_shown(self, request):
        return bool(scope_roots(request.user, roles=(Role.UNIT_ADMIN,)))


@hooks.register("register_admin_menu_item")
def register_menu_item():
    menu = Menu(
        items=[
            ScopedMenuItem(
                _("Correction requests"), reverse("privacy_admin:corrections"), icon_name="edit"
            ),
            ScopedMenuItem(
                _("Erase a member's data"), reverse("privacy_admin:erase_search"), icon_name="bin"
            ),
            AccessLogMenuItem(
                _("Downloads of personal data"),
                reverse("privacy_admin:access_log"),
                icon_name="list-ul",
            ),
        ]
    )
    return SubmenuMenuItem(_("Personal data"), menu, icon_name="lock", order=258)
