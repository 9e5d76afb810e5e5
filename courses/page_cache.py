"""Rendered lesson HTML kept between requests, under the content version.

Two things are the same for many requests and cost most of a lesson view:

- the lesson's blocks rendered to HTML: the same for every member, so they are rendered
  once per published revision and shared (`lesson_body`); a member's own parts (progress,
  the completion form, the header) are rendered per request around them;
- the whole page for a visitor who is not logged in (`anonymous_page` / `keep_anonymous_page`),
  only for a lesson anyone may read, never with a session, a message or personal data, and
  stored without a CSRF token: each response gets the visitor's own token.

Keys name the page, its live revision, the content version (`common.content_cache`: any
save, deletion or move of a page, a Site or the settings bumps it, so publishing,
unpublishing, moving and deleting all drop what was kept), the language and the host. The
shared copy is in the Django cache (Redis in production), with a copy of the bodies in each
process for the rest of the content version.
"""

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.safestring import SafeString, mark_safe

from common import content_cache

__all__ = [
    "CSRF_PLACEHOLDER",
    "anonymous_page",
    "keep_anonymous_page",
    "lesson_body",
    "may_use_anonymous_page",
]

BODY_TIMEOUT = 24 * 60 * 60
PAGE_TIMEOUT = 10 * 60
# Stands for the visitor's CSRF token in a stored anonymous page (the language switch in
# the footer is a form); replaced per response, so no stored page carries a token.
CSRF_PLACEHOLDER = "csrf-token-of-this-visitor-b8d1f0"
BODY_TEMPLATE = "courses/includes/lesson_body.html"

# key -> rendered body of the current content version, in this process.
_bodies = content_cache.ProcessMemo()


def _key(kind: str, page, request) -> str:
    return ":".join(
        [
            kind,
            str(page.pk),
            str(page.live_revision_id),
            content_cache.version(request),
            translation.get_language() or "",
            request.get_host(),
            request.path,
        ]
    )


def _render_body(page, request) -> str:
    return render_to_string(BODY_TEMPLATE, {"page": page, "self": page, "request": request})


def lesson_body(page, request) -> SafeString:
    """The lesson's blocks as HTML. Kept for the live revision and shared by every member;
    rendered afresh for the editor's preview (a draft) and for a knowledge check being
    answered (`?check=`: the feedback depends on the answer)."""
    if getattr(request, "is_preview", False) or not page.live or "check" in request.GET:
        return mark_safe(_render_body(page, request))  # noqa: S308 - our own templates
    key = _key("lesson-body", page, request)

    def shared() -> str:
        html = cache.get(key)
        if html is None:
            html = _render_body(page, request)
            cache.set(key, html, BODY_TIMEOUT)
        return str(html)

    return mark_safe(_bodies.get_or_compute(content_cache.version(request), key, shared))  # noqa: S308


def may_use_anonymous_page(request) -> bool:
    """A plain GET by a visitor who is not logged in, with no query string and no message
    waiting to be shown: the page is then the same for every such visitor."""
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and not getattr(request, "is_preview", False)
        and not request.GET
        and len(get_messages(request)) == 0
    )


def _finish(response: HttpResponse) -> HttpResponse:
    # Each response carries the visitor's own CSRF token: no shared cache may keep it.
    patch_cache_control(response, private=True, max_age=0)
    patch_vary_headers(response, ("Cookie",))
    return response


def anonymous_page(page, request) -> HttpResponse | None:
    """The stored page for this anonymous visitor, with their own CSRF token, if any."""
    html = cache.get(_key("lesson-page", page, request))
    if html is None:
        return None
    return _finish(HttpResponse(html.replace(CSRF_PLACEHOLDER, get_token(request))))


def keep_anonymous_page(page, request, response) -> HttpResponse:
    """Render `response` (made with the placeholder for the CSRF token), store it when it is
    fit for every visitor (the lesson is public: no view restriction, no login; no cookie
    set, no session written), then put the visitor's own token in."""
    response.render()
    html = response.content.decode(response.charset)
    fit = (
        response.status_code == 200
        and not response.cookies
        and not getattr(getattr(request, "session", None), "modified", False)
        and not page.get_view_restrictions().exists()
    )
    if fit:
        cache.set(_key("lesson-page", page, request), html, PAGE_TIMEOUT)
    response.content = html.replace(CSRF_PLACEHOLDER, get_token(request)).encode(response.charset)
    return _finish(response)
