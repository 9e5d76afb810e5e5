from django import template
from django.template.loader import get_template
from django.utils.safestring import SafeString

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
