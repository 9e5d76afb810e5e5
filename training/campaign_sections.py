"""Sections that higher apps add to a campaign's admin page (outreach: its targets for the
help given to residents) without training importing them."""

from collections.abc import Callable

from .models import Campaign

_sections: list[tuple[str, Callable[[Campaign], dict]]] = []

__all__ = ["register_section", "sections_for"]


def register_section(template_name: str, context: Callable[[Campaign], dict]) -> None:
    _sections.append((template_name, context))


def sections_for(campaign: Campaign) -> list[dict]:
    return [{"template": template, **context(campaign)} for template, context in _sections]
