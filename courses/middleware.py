"""A member's lesson view without Wagtail's per-request routing.

Wagtail resolves a page address and checks the page's view restrictions on every request
(four queries here). For a logged-in member's GET of a live lesson, both answers are the
same until an editor changes a page, a Site or a view restriction, all of which bump the
content version (`common.content_cache`). So the lesson found at an address, when it has no
view restriction, is kept per content version in each process and served straight away
(`LessonPage.serve`: the login gate, the member's progress through the service, the
body kept per revision); everything else (a POST, a visitor, another page, a restricted
lesson, a sub-route) goes through Wagtail's own `serve` as before.

It stands aside as soon as another app hooks into serving pages: only Wagtail's own hooks
(the request-method check and the view-restriction check this replaces) are known here.
"""

from django.http import Http404
from wagtail import hooks
from wagtail import views as wagtail_views
from wagtail.models import Site

from common import content_cache

from .models import LessonPage

__all__ = ["MemberLessonMiddleware"]

# (site id, path) -> the live, unrestricted lesson at that address, or None.
_lessons = content_cache.ProcessMemo()


def _only_wagtails_own_hooks() -> bool:
    return all(
        fn.__module__ == "wagtail.wagtail_hooks"
        for name in ("before_serve_page", "on_serve_page")
        for fn in hooks.get_hooks(name)
    )


def _resolve(request, site: Site, path: str) -> LessonPage | None:
    components = [component for component in path.split("/") if component]
    page, args, kwargs = site.root_page.localized.specific.route(request, components)
    if not isinstance(page, LessonPage) or args or kwargs or not page.live:
        return None
    if page.get_view_restrictions().exists():
        return None
    return page


def lesson_at(request, path: str) -> LessonPage | None:
    """The live lesson without view restrictions at `path` for this request's site (None:
    another page, which Wagtail serves as usual)."""
    site = Site.find_for_request(request)
    if site is None:
        return None
    try:
        return _lessons.get_or_compute(
            content_cache.version(request), (site.pk, path), lambda: _resolve(request, site, path)
        )
    except Http404:  # no page there: not remembered, so made-up addresses take no memory
        return None


class MemberLessonMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.enabled: bool | None = None  # hooks are registered once the apps are ready

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (
            view_func is not wagtail_views.serve
            or request.method != "GET"
            or not request.user.is_authenticated
        ):
            return None
        if self.enabled is None:
            self.enabled = _only_wagtails_own_hooks()
        if not self.enabled:
            return None
        path = view_kwargs.get("path", view_args[0] if view_args else None)
        if path is None:
            return None
        lesson = lesson_at(request, path)
        if lesson is None:
            return None
        return lesson.serve(request)
