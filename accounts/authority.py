"""Who may act on a person: issue a new activation code, edit their name, phone, e-mail or
date of birth, activate or deactivate them, change or end their roles, reset their password
through any admin path (ours or Wagtail's user screens).

`may_act_on(actor, target)` is the one function that decides it; every view and service
that acts on a person asks it. The part that depends on units and roles lives in
`organisations` (above this app) and is registered here when the apps load
(`organisations.authority.role_rule`); until then only superusers may act.

- Nobody acts on a person whose data was erased (`User.erased_at`): the account is gone.
- Superusers act on anyone; a superuser (or a staff account) is acted on only by superusers.
- Anyone else acts only on a person every one of whose current roles lies inside the
  actor's own area and below the actor's rank, and who holds no admin permission outside
  the unit tree (another Wagtail group, a permission of their own).
"""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import User

__all__ = [
    "ERASED_ACCOUNT",
    "NOT_YOURS_TO_CHANGE",
    "may_act_on",
    "register_role_rule",
    "require_authority",
    "require_not_erased",
]

NOT_YOURS_TO_CHANGE = _(
    "You cannot change this person's account: they hold a role at or above your own, or "
    "outside your area. Ask an administrator above you."
)

ERASED_ACCOUNT = _(
    "This person's data was erased at their request: the account cannot be changed or used "
    "again. Add them as a new member if they come back."
)

_role_rule: Callable[[User, User], bool] | None = None


def register_role_rule(rule: Callable[[User, User], bool]) -> None:
    global _role_rule  # set once, when the apps load
    _role_rule = rule


def may_act_on(actor: User | None, target: User) -> bool:
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return False
    if target.erased_at is not None:
        return False
    if actor.is_superuser:
        return True
    if target.is_superuser or target.is_staff or actor.pk == target.pk:
        return False
    return _role_rule is not None and _role_rule(actor, target)


def require_authority(*, by: User, target: User) -> None:
    """Raise ValidationError (a Vietnamese message) unless `by` may act on `target`."""
    require_not_erased(target)
    if not may_act_on(by, target):
        raise ValidationError(NOT_YOURS_TO_CHANGE, code="rank")


def require_not_erased(target: User) -> None:
    """Raise ValidationError (a Vietnamese message) if `target`'s data was erased."""
    if target.erased_at is not None:
        raise ValidationError(ERASED_ACCOUNT, code="erased")
