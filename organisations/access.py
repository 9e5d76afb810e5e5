"""Gatekeeping for admin screens that only people with an area may open."""

from functools import wraps

from django.http import Http404
from wagtail.admin.menu import MenuItem

from .models import SCOPE_ROLES, Role
from .selectors import TRAINING_ROLES, held_units, scope_roots

__all__ = [
    "ScopedMenuItem",
    "request_held_units",
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


def request_held_units(request) -> list:
    """The viewer's current roles and units (`selectors.held_units`), read once per request:
    every admin page asks several questions of them (the menu items, the access check, the
    view)."""
    return _once_per_request(request, "held_units", held_units)


def request_scope_roots(request, roles: tuple[Role, ...] = SCOPE_ROLES) -> list:
    """The viewer's scope roots for `roles` (administrators and team leaders by default),
    once per request."""
    return _once_per_request(
        request,
        "scope_roots_" + "_".join(sorted(roles)),
        lambda user: scope_roots(user, roles=roles, held=request_held_units(request)),
    )


def request_training_roots(request) -> list:
    """Where the viewer administers or trains (extra attempts and time), once per request."""
    return request_scope_roots(request, TRAINING_ROLES)


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
