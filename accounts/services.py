from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from .authority import require_authority, require_not_erased
from .models import ActivationCode, User, generate_activation_code
from .selectors import usable_activation_code, usable_activation_codes

__all__ = ["choose_password_with_code", "issue_activation_code", "purge_expired_activation_codes"]


@transaction.atomic
def issue_activation_code(
    *, user: User, disable_password: bool = False, by: User | None = None
) -> ActivationCode:
    """Give the member a fresh one-time code; earlier unused codes stop working.

    With `disable_password` (an administrator resetting a forgotten password) the old
    password stops working too, so only the new code opens the account. `by`, the person
    asking, must be allowed to act on the member (`accounts.authority`); without `by` it is
    the system itself (a new member's first code).
    """
    require_not_erased(user)
    if by is not None:
        require_authority(by=by, target=user)
    now = timezone.now()
    usable_activation_codes(user).update(revoked_at=now, code="")
    if disable_password:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return ActivationCode.objects.create(
        user=user,
        code=generate_activation_code(),
        created_at=now,
        expires_at=now + timedelta(days=settings.ACTIVATION_CODE_VALID_DAYS),
    )


@transaction.atomic
def choose_password_with_code(*, user: User, code: str, password: str) -> None:
    """Set the member's first password; the code is then spent.

    Raises ValidationError (weak password) or ActivationCode.DoesNotExist (code no longer
    usable) and changes nothing in either case.
    """
    require_not_erased(user)
    activation = usable_activation_code(user, code)
    if activation is None:
        raise ActivationCode.DoesNotExist
    validate_password(password, user=user)
    user.set_password(password)
    user.save(update_fields=["password"])
    ActivationCode.objects.filter(pk=activation.pk).update(used_at=timezone.now(), code="")


def purge_expired_activation_codes() -> int:
    """Blank the text of codes past their expiry: nobody needs to read them any more."""
    return (
        ActivationCode.objects.filter(expires_at__lte=timezone.now())
        .exclude(code="")
        .update(code="")
    )
