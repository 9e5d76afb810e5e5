"""Sections that higher apps add to "Học tập của tôi" (/me/) without courses importing them."""

from collections.abc import Callable

from accounts.models import User

_sections: list[tuple[str, Callable[[User], dict], bool]] = []

__all__ = ["register_section", "sections_for"]


def register_section(
    template_name: str, context: Callable[[User], dict], *, first: bool = False
) -> None:
    """`first`: shown above the member's own courses (assigned training comes before all else)."""
    _sections.append((template_name, context, first))


def sections_for(user: User, *, first: bool) -> list[dict]:
    return [
        {"template": template, **context(user)}
        for template, context, top in _sections
        if top == first
    ]
