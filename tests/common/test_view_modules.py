"""One shape per kind of view: a screen of the Wagtail admin (under /admin/) is never in an
app's `views.py` (it lives in `admin_views.py`, or a module of admin screens of one concern
such as `session_admin_views.py`), and a public screen is never in an admin module."""

import inspect

import pytest

from tests.security.routes import all_routes, is_ours

pytestmark = pytest.mark.django_db


def _module(view) -> str:
    view = getattr(view, "view_class", None) or inspect.unwrap(view)
    return view.__module__


def _our_views() -> list[tuple[str, str]]:
    return [(route, _module(view)) for route, _name, view in all_routes() if is_ours(view)]


def test_admin_screens_are_never_in_views_py():
    misplaced = [
        (route, module)
        for route, module in _our_views()
        if route.startswith("admin/") and module.endswith(".views")
    ]
    assert not misplaced, f"admin screens in views.py (move them to admin_views.py): {misplaced}"


def test_public_screens_are_never_in_admin_modules():
    misplaced = [
        (route, module)
        for route, module in _our_views()
        if not route.startswith("admin/") and "admin" in module.rsplit(".", 1)[-1]
    ]
    assert not misplaced, f"public screens in an admin module: {misplaced}"


def test_the_walk_sees_both_kinds_of_screen():
    modules = {module for _route, module in _our_views()}
    assert {"organisations.admin_views", "accounts.admin_views", "accounts.views"} <= modules
