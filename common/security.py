"""Response headers that protect every page: a Content-Security-Policy with a fresh nonce
per request, and `Cache-Control: no-store` on private pages.

Scripts run only from this site's own files or from a `<script nonce="…">` the server
wrote for this response (`{% load security %}<script nonce="{% csp_nonce %}">`); Wagtail's
few inline scripts get the nonce through templates in site/templates/wagtailadmin/.
"""

import secrets
from contextvars import ContextVar
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.cache import patch_cache_control

__all__ = ["PRIVATE_PREFIXES", "SecurityHeadersMiddleware", "content_security_policy", "nonce"]

_nonce: ContextVar[str] = ContextVar("csp_nonce", default="")

# Pages that are someone's own whoever is asking: never kept by a browser or a proxy.
PRIVATE_PREFIXES = ("/me/", "/account/", "/admin/", "/certificates/", "/quiz/")


def nonce() -> str:
    """The nonce of the request being served (empty outside a request)."""
    return _nonce.get()


def _origin(url: str) -> str:
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def content_security_policy(value: str) -> str:
    # The user bar loads its scripts from WAGTAILADMIN_BASE_URL, which may be written with
    # another host name than the one the page was asked with.
    own = " ".join(filter(None, ["'self'", _origin(settings.WAGTAILADMIN_BASE_URL)]))
    frames = " ".join(["'self'", *settings.CSP_FRAME_SOURCES])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {own} 'nonce-{value}'",
            # Wagtail's admin sets style attributes from its scripts (menus, modals,
            # the editor): styles cannot run code, so inline styles stay allowed.
            f"style-src {own} 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "media-src 'self' blob:",
            "connect-src 'self'",
            f"frame-src {frames}",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ]
    )


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        value = secrets.token_urlsafe(18)
        request.csp_nonce = value
        token = _nonce.set(value)
        try:
            response = self.get_response(request)
        finally:
            _nonce.reset(token)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = content_security_policy(value)
        user = getattr(request, "user", None)
        if request.path.startswith(PRIVATE_PREFIXES) or (
            user is not None and user.is_authenticated
        ):
            # Someone's own page (or one showing their progress): a shared phone or a
            # proxy must not keep it. `max-age` set by a view is dropped.
            response.headers.pop("Expires", None)
            cache_control = response.get("Cache-Control", "")
            if "no-store" not in cache_control:
                if "max-age" in cache_control:
                    del response["Cache-Control"]
                patch_cache_control(response, private=True, no_store=True, no_cache=True)
        return response
