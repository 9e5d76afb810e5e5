"""Gatekeeping for admin screens that only people with an area may open."""

from functools import wraps

from django.http import Http404
from wagtail.admin.menu import MenuItem

from .selectors import scope_roots

__all__ = ["ScopedMenuItem", "scope_required"]


def scope_required(view):
    """Only people with an area (unit administrators, team leaders, superusers) get in;
    everyone else sees "not found"."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not scope_roots(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


class ScopedMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(scope_roots(request.user))
