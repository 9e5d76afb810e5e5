from django import template

from common.security import nonce

register = template.Library()


@register.simple_tag
def csp_nonce() -> str:
    """The nonce this response's Content-Security-Policy allows scripts with."""
    return nonce()
