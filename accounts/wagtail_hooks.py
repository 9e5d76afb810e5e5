from django.http import Http404
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import ListingButton

from . import admin_urls
from .authority import may_act_on
from .models import User


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("members/", include(admin_urls))]


@hooks.register("register_user_listing_buttons")
def reset_password_button(user, request_user):
    if user.is_superuser or not request_user.has_perm("accounts.change_user"):
        return []
    if not may_act_on(request_user, user):
        return []
    return [
        ListingButton(
            _("New activation code"),
            reverse("accounts_admin:reset_password", args=[user.pk]),
            priority=30,
        )
    ]


@hooks.register("before_bulk_action")
def bulk_actions_obey_the_rank_rule(request, action_type, objects, action_class_instance):
    """Wagtail's bulk user actions (delete, activate/deactivate, change group) act on people:
    every one of them must be someone the viewer may act on, or nothing happens."""
    if getattr(action_class_instance, "model", None) is not User:
        return None
    if not all(may_act_on(request.user, target) for target in objects):
        raise Http404
    return None
