from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


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
