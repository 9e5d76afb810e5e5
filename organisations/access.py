"""Gatekeeping for admin screens that only people with an area may open."""

from functools import wraps

from django.http import Http404
from wagtail.admin.menu import MenuItem

from .selectors import scope_roots

__all__ = ["ScopedMenuItem", "request_scope_roots", "scope_required"]


def request_scope_roots(request) -> list:
    """The viewer's scope roots, looked up once per request (the admin menu, the access
    check and the view all ask)."""
    if getattr(request, "_scope_roots_user", None) != request.user.pk:
        request._scope_roots = scope_roots(request.user)
        request._scope_roots_user = request.user.pk
    return request._scope_roots


def scope_required(view):
    """Only people with an area (unit administrators, team leaders, superusers) get in;
    everyone else sees "not found"."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request_scope_roots(request):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


class ScopedMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(request_scope_roots(request))
