from django.shortcuts import redirect
from django.urls import reverse

from .backends import ACTIVATION_SESSION_KEY


class PasswordChoiceRequiredMiddleware:
    """After a login with an activation code, nothing opens until a password is chosen."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if ACTIVATION_SESSION_KEY in request.session and request.user.is_authenticated:
            allowed = {reverse("accounts:choose_password"), reverse("accounts:logout")}
            if request.path not in allowed and not request.path.startswith(("/static/", "/i18n/")):
                return redirect("accounts:choose_password")
        return self.get_response(request)
