from django.conf import settings
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers

from .text import nfc


class VietnameseFirstLocaleMiddleware:
    """Vietnamese unless the visitor chose another language with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language header, so a
    member whose phone is set to English would never see the Vietnamese interface.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class RequestTextMiddleware:
    """Text from the address and from forms, made safe before any view reads it.

    - A NUL byte anywhere in the path, the query or a form field is refused with the
      400 page: no database accepts it (PostgreSQL raises), and no person types it.
    - Query parameters are put in NFC, the form all text is stored in, so a search typed
      on a keyboard that sends decomposed Vietnamese (NFD) finds the stored text, in our
      screens and in Wagtail's own searches alike.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or _has_nul(request.GET):
            return _bad_request(request)
        if any(not value.isascii() for value in request.GET.values()):
            normalised = request.GET.copy()
            for key in normalised:
                normalised.setlist(key, [nfc(value) for value in normalised.getlist(key)])
            normalised._mutable = False
            request.GET = normalised
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # A view that installs its own upload handlers (common.uploads.bounded_upload) must
        # be the first to read the body; it makes this check itself.
        if getattr(view_func, "reads_body_itself", False):
            return None
        return refuse_nul_in_form(request)


def refuse_nul_in_form(request):
    """The 400 page if a form field of this POST holds a NUL byte, else None."""
    if request.method == "POST" and _has_nul(request.POST):
        return _bad_request(request)
    return None


def _has_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in v for v in data.getlist(key)) for key in data)


def _bad_request(request):
    return render(request, "400.html", status=400)


class HealthCheckMiddleware:
    """Answers `/healthz` before any other middleware: no session, no site lookup, no host
    check, no HTTPS redirect, no rate limit, so a load balancer or monitor gets the state of
    each dependency even when the database or Redis is the one that is down."""

    PATH = "/healthz"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == self.PATH:
            from .views import healthz

            return healthz(request)
        return self.get_response(request)
