import contextlib
from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import ActivationCode, User
from .phone import InvalidPhoneNumber, normalize_phone

__all__ = ["find_user_by_login", "usable_activation_code", "usable_activation_codes_of"]


def find_user_by_login(login: str) -> User | None:
    """The user a login string names: a username, or a phone number in any usual form."""
    login = (login or "").strip()
    if not login:
        return None
    condition = Q(username__iexact=login)
    with contextlib.suppress(InvalidPhoneNumber):
        condition |= Q(phone=normalize_phone(login))
    matches = list(User.objects.filter(condition)[:2])
    if len(matches) == 2:
        # A username that is someone else's phone number: the phone wins.
        matches = [u for u in matches if u.phone and u.username.lower() != login.lower()]
    return matches[0] if len(matches) == 1 else None


def usable_activation_codes(user: User) -> QuerySet[ActivationCode]:
    return usable_activation_codes_of([user])


def usable_activation_code(user: User, code: str) -> ActivationCode | None:
    cleaned = (code or "").replace("-", "").replace(" ", "").upper()
    if not cleaned:
        return None
    return usable_activation_codes(user).filter(code=cleaned).first()


def usable_activation_codes_of(users: Iterable[User] | QuerySet[User]) -> QuerySet[ActivationCode]:
    return ActivationCode.objects.filter(
        user__in=users, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).exclude(code="")
