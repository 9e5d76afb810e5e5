from functools import lru_cache

from django import template
from django.template.loader import get_template
from django.urls import get_script_prefix, reverse
from django.utils.safestring import SafeString
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag(takes_context=True)
def include_once(context, template_name: str) -> SafeString:
    """`{% include %}` of a template that a page shows more than once with the same
    context (the site menu: a phone's and a wide screen's): rendered the first time, the
    same HTML after. Kept for one page's rendering only."""
    rendered = context.render_context.setdefault("include_once", {})
    if template_name not in rendered:
        # As {% include %} does: the page's own context, no context processors again.
        rendered[template_name] = get_template(template_name).template.render(context)
    return SafeString(rendered[template_name])


@register.simple_tag
def fixed_url(view_name: str) -> str:
    """`{% url %}` for a view that takes no arguments, reversed once per language and
    script prefix (the site menu names about ten of them on every page)."""
    return _reversed(view_name, get_language() or "", get_script_prefix())


@lru_cache(maxsize=256)
def _reversed(view_name: str, language: str, prefix: str) -> str:
    return reverse(view_name)
