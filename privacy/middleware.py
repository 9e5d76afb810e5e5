from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from . import selectors

SESSION_KEY = "privacy_accepted_version"


class ConsentRequiredMiddleware:
    """A signed-in person who has not accepted the notice in force sees the notice, and
    nothing else, until they accept it (logging out, the notice, static files and the
    language switch stay open). After the choose-password step of an activation, the
    notice comes next."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.PRIVACY_CONSENT_REQUIRED and request.user.is_authenticated:
            response = self._gate(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _gate(self, request):
        current = selectors.current_version()
        if not current or request.session.get(SESSION_KEY) == current:
            return None
        notice = reverse("privacy:notice")
        open_paths = {
            notice,
            reverse("accounts:logout"),
            reverse("accounts:choose_password"),
        }
        if request.path in open_paths or request.path.startswith(
            ("/static/", "/i18n/", settings.MEDIA_URL)
        ):
            return None
        if selectors.accepted_version(request.user) >= current:
            request.session[SESSION_KEY] = current
            return None
        target = request.get_full_path() if request.method == "GET" else "/"
        return redirect(f"{notice}?{urlencode({'next': target})}")
