from django.contrib.auth.backends import ModelBackend

from .models import User
from .phone import InvalidPhoneNumber, normalize_phone
from .selectors import find_user_by_login, usable_activation_code

ACTIVATION_SESSION_KEY = "accounts.activation_code"


class PhoneOrUsernameBackend(ModelBackend):
    """Log in with a username or a phone number, with a password or a one-time activation code.

    A login with an activation code marks the user object; the login view then keeps
    the session on the "choose your password" page until a password is chosen.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = find_user_by_login(username)
        if user is None:
            User().set_password(password)  # same time as a wrong password
            return None
        if not self.user_can_authenticate(user):
            return None
        if user.check_password(password):
            return user
        activation = usable_activation_code(user, password)
        if activation is not None:
            user.activation_code_used = activation.code
            return user
        return None

    def user_can_authenticate(self, user):
        """An erased account never logs in again, whatever password or code is given (and a
        session it still had ends: `get_user` asks this too)."""
        return super().user_can_authenticate(user) and getattr(user, "erased_at", None) is None


def axes_username(request, credentials) -> str:
    """The key django-axes counts failures under: one per account, whatever identifier was
    typed (username, phone number in any form), so they all share the same 5 tries. A
    login that names no account is counted under what was typed, normalised."""
    raw = (credentials or {}).get("username") or request.POST.get("username", "") or ""
    raw = str(raw)[:150]
    user = find_user_by_login(raw)
    if user is not None:
        return f"account:{user.pk}"
    try:
        return normalize_phone(raw)
    except InvalidPhoneNumber:
        return raw.strip().lower()
