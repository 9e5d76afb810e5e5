"""Sections that higher apps add to "Học tập của tôi" (/me/) without courses importing them."""

from collections.abc import Callable

from accounts.models import User

_sections: list[tuple[str, Callable[[User], dict]]] = []

__all__ = ["register_section", "sections_for"]


def register_section(template_name: str, context: Callable[[User], dict]) -> None:
    _sections.append((template_name, context))


def sections_for(user: User) -> list[dict]:
    return [{"template": template, **context(user)} for template, context in _sections]
