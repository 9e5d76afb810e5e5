"""The unit-and-role half of the rank rule (`accounts.authority.may_act_on` decides; this
module is registered with it when the apps load).

An actor outranks a role held at a unit when:
- the actor is unit administrator of an ancestor of that unit, or of the unit itself for any
  role but unit administrator (an administrator never acts on a peer at the same unit);
- the actor leads that very team and the role is deputy or member, or deputises it and the
  role is member.
A person may be acted on when the actor outranks every one of their current roles and they
hold no admin group other than "Quản trị đơn vị" (which follows their roles) and no
permission of their own.
"""

from django.db.models import QuerySet

from accounts.models import User

from .models import SCOPE_ROLES, TEAM_ROLES, Membership, OrgUnit, Role

__all__ = [
    "UNIT_ADMINS_GROUP",
    "actable_member_ids",
    "authority_of",
    "may_grant",
    "outranks",
    "role_rule",
]

UNIT_ADMINS_GROUP = "Quản trị đơn vị"

_RANK = {Role.UNIT_ADMIN: 3, Role.LEADER: 2, Role.DEPUTY: 1, Role.MEMBER: 0, Role.TRAINER: 0}


def outranks(held_role: str, held_path: str, role: str, path: str) -> bool:
    """Whether a role held at `held_path` ranks above `role` at the unit `path`."""
    if not path.startswith(held_path):
        return False
    if held_role == Role.UNIT_ADMIN:
        return role != Role.UNIT_ADMIN or len(path) > len(held_path)
    if held_role in (Role.LEADER, Role.DEPUTY):
        return path == held_path and role in TEAM_ROLES and _RANK[role] < _RANK[held_role]
    return False


def authority_of(actor: User) -> list[tuple[str, str]]:
    """(role, unit path) of the actor's current roles that give authority over others."""
    return list(
        Membership.objects.current()
        .filter(user=actor, role__in=SCOPE_ROLES)
        .values_list("role", "unit__path")
    )


def may_grant(actor: User, *, unit: OrgUnit, role: str, held=None) -> bool:
    """Whether the actor may give someone `role` in `unit` (a role below their own).
    `held`: the actor's authority when the caller asks many times (`authority_of`)."""
    if actor.is_superuser:
        return True
    held = authority_of(actor) if held is None else held
    return any(outranks(r, p, role, unit.path) for r, p in held)


def actable_member_ids(actor: User, users: QuerySet[User] | list[int]) -> set[int]:
    """Of `users` (a queryset or ids), those the actor may act on, in four queries."""
    ids = users.values_list("pk", flat=True) if isinstance(users, QuerySet) else users
    if actor.is_superuser:  # anyone but an erased account
        return set(
            User.objects.filter(pk__in=list(ids), erased_at__isnull=True).values_list(
                "pk", flat=True
            )
        )
    held = authority_of(actor)
    if not held or not ids:
        return set()
    candidates = User.objects.filter(
        pk__in=ids, is_superuser=False, is_staff=False, erased_at__isnull=True
    ).exclude(pk=actor.pk)
    candidates = candidates.exclude(user_permissions__isnull=False).exclude(
        groups__in=_other_groups()
    )
    roles: dict[int, list[tuple[str, str]]] = {}
    for user_id, role, path in (
        Membership.objects.current()
        .filter(user__in=candidates)
        .values_list("user_id", "role", "unit__path")
    ):
        roles.setdefault(user_id, []).append((role, path))
    return {
        user_id
        for user_id, held_by_them in roles.items()
        if all(any(outranks(r, p, role, path) for r, p in held) for role, path in held_by_them)
    }


def _other_groups():
    from django.contrib.auth.models import Group

    return Group.objects.exclude(name=UNIT_ADMINS_GROUP)


def role_rule(actor: User, target: User) -> bool:
    return target.pk in actable_member_ids(actor, [target.pk])
