from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import DeleteView, EditView, SnippetViewSet

from organisations.access import ScopedMenuItem, request_held_units, request_scope_roots
from organisations.models import Role

from . import admin_urls
from .models import PrivacyNotice

ACCEPTED_IS_FINAL = _(
    "Members have accepted this version of the notice: it can no longer be changed or "
    "deleted. Add a new version with a higher number instead."
)


class _AcceptedNoticeIsFinal:
    """A version that any member accepted is what they agreed to: it stays as it was."""

    def dispatch(self, request, *args, **kwargs):
        if self.object is not None and self.object.consents.exists():
            messages.error(request, ACCEPTED_IS_FINAL)
            return redirect(self.index_url_name)
        return super().dispatch(request, *args, **kwargs)


class NoticeEditView(_AcceptedNoticeIsFinal, EditView):
    pass


class NoticeDeleteView(_AcceptedNoticeIsFinal, DeleteView):
    pass


@hooks.register("before_bulk_action")
def accepted_notices_are_not_deleted(request, action_type, objects, action_class_instance):
    if getattr(action_class_instance, "model", None) is not PrivacyNotice:
        return None
    if any(notice.consents.exists() for notice in objects):
        raise Http404
    return None


class PrivacyNoticeViewSet(SnippetViewSet):
    """Versions of the privacy notice (superusers: Wagtail's model permissions). Publish a
    new version as a new row with a higher number: everyone accepts it again."""

    model = PrivacyNotice
    icon = "lock"
    menu_label = _("Privacy notices")
    list_display = ["version", "title_vi", "published_at"]
    edit_view_class = NoticeEditView
    delete_view_class = NoticeDeleteView


register_snippet(PrivacyNoticeViewSet)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("privacy/", include(admin_urls))]


class AccessLogMenuItem(MenuItem):
    """Unit administrators (a province sees its province) and superusers."""

    def is_shown(self, request):
        return bool(request_scope_roots(request, (Role.UNIT_ADMIN,)))


class RetentionMenuItem(MenuItem):
    """Superusers and province administrators."""

    def is_shown(self, request):
        from .selectors import may_see_retention_runs

        return may_see_retention_runs(request.user, held=request_held_units(request))


class EraseMenuItem(MenuItem):
    """Unit administrators and superusers."""

    def is_shown(self, request):
        from .selectors import may_erase_at_all

        return may_erase_at_all(request.user, held=request_held_units(request))


@hooks.register("register_admin_menu_item")
def register_menu_item():
    menu = Menu(
        items=[
            ScopedMenuItem(
                _("Correction requests"), reverse("privacy_admin:corrections"), icon_name="edit"
            ),
            EraseMenuItem(
                _("Erase a member's data"), reverse("privacy_admin:erase_search"), icon_name="bin"
            ),
            AccessLogMenuItem(
                _("Downloads of personal data"),
                reverse("privacy_admin:access_log"),
                icon_name="list-ul",
            ),
            RetentionMenuItem(
                _("Runs of the retention job"),
                reverse("privacy_admin:retention_runs"),
                icon_name="history",
            ),
        ]
    )
    return SubmenuMenuItem(_("Personal data"), menu, icon_name="lock", order=258)
