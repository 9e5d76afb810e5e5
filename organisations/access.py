"""Gatekeeping for admin screens that only people with an area may open."""

from functools import wraps

from django.http import Http404
from wagtail.admin.menu import MenuItem

from .selectors import scope_roots, training_roots

__all__ = [
    "ScopedMenuItem",
    "request_scope_roots",
    "request_training_roots",
    "scope_required",
    "training_scope_required",
]


def _once_per_request(request, name: str, compute) -> list:
    if getattr(request, f"_{name}_user", None) != request.user.pk:
        setattr(request, f"_{name}", compute(request.user))
        setattr(request, f"_{name}_user", request.user.pk)
    return getattr(request, f"_{name}")


def request_scope_roots(request) -> list:
    """The viewer's scope roots, looked up once per request (the admin menu, the access
    check and the view all ask)."""
    return _once_per_request(request, "scope_roots", scope_roots)


def request_training_roots(request) -> list:
    """Where the viewer administers or trains (extra attempts and time), once per request."""
    return _once_per_request(request, "training_roots", training_roots)


def _area_required(roots_of):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not roots_of(request):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


# Only people with an area (unit administrators, team leaders, superusers) get in; everyone
# else sees "not found".
scope_required = _area_required(request_scope_roots)
# Unit administrators, trainers of an area, superusers.
training_scope_required = _area_required(request_training_roots)


class ScopedMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(request_scope_roots(request))
