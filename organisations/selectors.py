"""Who may see what. Every admin screen and object URL asks these, and 404s outside them."""

import contextlib
from collections.abc import Iterable
from functools import reduce
from operator import or_

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr

from accounts.models import ActivationCode, User

from .models import SCOPE_ROLES, TEAM_ROLES, Membership, OrgUnit, Role

__all__ = [
    "TRAINING_ROLES",
    "child_counts",
    "current_team_membership",
    "held_units",
    "members_of_subtree",
    "members_visible_to",
    "path_with_ancestors",
    "roots_among",
    "scope_roots",
    "search_condition",
    "search_members",
    "training_roots",
    "units_visible_to",
]

# Who looks after members' training in an area: its administrators and its trainers (not team
# leaders, who sit the same quizzes as their team).
TRAINING_ROLES = (Role.UNIT_ADMIN, Role.TRAINER)


def training_roots(user: User) -> list[OrgUnit]:
    """Where the user may grant extra attempts or time: units they administer or train."""
    return scope_roots(user, roles=TRAINING_ROLES)


def held_units(user: User) -> list[tuple[str, OrgUnit]]:
    """The user's current roles, each with its unit (one query). Pass it as `held` to the
    functions below when one request asks several of them (the admin menu does)."""
    if not user.is_authenticated:
        return []
    rows = Membership.objects.current().filter(user=user).select_related("unit")
    return [(membership.role, membership.unit) for membership in rows]


def roots_among(units: Iterable[OrgUnit]) -> list[OrgUnit]:
    """The top ones of `units`, by path: a unit inside another (or the same twice) is
    dropped."""
    roots: list[OrgUnit] = []
    for unit in sorted(units, key=lambda u: u.path):
        if not any(unit.path.startswith(root.path) for root in roots):
            roots.append(unit)
    return roots


def scope_roots(
    user: User,
    *,
    roles: Iterable[Role] = SCOPE_ROLES,
    held: list[tuple[str, OrgUnit]] | None = None,
) -> list[OrgUnit]:
    """The top units of a user's scope: where they are unit admin, or the team they lead
    (or where they hold any of `roles`); `held`: the user's `held_units`, if known."""
    if not user.is_authenticated:
        return []
    if user.is_superuser:
        return list(OrgUnit.get_root_nodes())
    wanted = {str(role) for role in roles}  # the stored values, not the enum members
    return roots_among(
        unit for role, unit in (held_units(user) if held is None else held) if role in wanted
    )


def path_with_ancestors(path: str) -> list[str]:
    """The tree paths of a unit and of every unit above it, the top first (no query)."""
    step = OrgUnit.steplen
    return [path[:end] for end in range(step, len(path) + 1, step)]


def _subtree_condition(roots: list[OrgUnit], prefix: str = "") -> Q | None:
    if not roots:
        return None
    return reduce(or_, (Q(**{f"{prefix}path__startswith": root.path}) for root in roots))


def units_visible_to(user: User, *, roots: list[OrgUnit] | None = None) -> QuerySet[OrgUnit]:
    """Units in the user's area; pass `roots` when the caller already looked them up."""
    if user.is_authenticated and user.is_superuser:
        return OrgUnit.objects.all()
    condition = _subtree_condition(scope_roots(user) if roots is None else roots)
    return OrgUnit.objects.filter(condition) if condition is not None else OrgUnit.objects.none()


def members_visible_to(user: User, *, roots: list[OrgUnit] | None = None) -> QuerySet[User]:
    """People with a current membership inside the user's scope (everyone for a superuser)."""
    if user.is_authenticated and user.is_superuser:
        return User.objects.all()
    condition = _subtree_condition(scope_roots(user) if roots is None else roots, prefix="unit__")
    if condition is None:
        return User.objects.none()
    in_scope = Membership.objects.current().filter(condition).values("user_id")
    return User.objects.filter(pk__in=in_scope)


def members_of_subtree(unit: OrgUnit) -> QuerySet[User]:
    in_subtree = (
        Membership.objects.current().filter(unit__path__startswith=unit.path).values("user_id")
    )
    return User.objects.filter(pk__in=in_subtree)


def current_team_membership(user: User) -> Membership | None:
    return (
        Membership.objects.current()
        .filter(user=user, role__in=TEAM_ROLES)
        .select_related("unit")
        .first()
    )


def child_counts(unit: OrgUnit) -> dict[str, dict[str, int]]:
    """Per child path: members and teams in its subtree, in two aggregate queries."""
    width = OrgUnit.steplen * (unit.depth + 1)
    members = (
        Membership.objects.current()
        .filter(unit__path__startswith=unit.path, unit__depth__gt=unit.depth, role__in=TEAM_ROLES)
        .annotate(child=Substr("unit__path", 1, width))
        .order_by()
        .values("child")
        .annotate(n=Count("user_id", distinct=True))
    )
    teams = (
        OrgUnit.objects.filter(
            path__startswith=unit.path, depth__gt=unit.depth, kind="TEAM", valid_to__isnull=True
        )
        .annotate(child=Substr("path", 1, width))
        .order_by()
        .values("child")
        .annotate(n=Count("id"))
    )
    counts: dict[str, dict[str, int]] = {}
    for row in members:
        counts.setdefault(row["child"], {"members": 0, "teams": 0})["members"] = row["n"]
    for row in teams:
        counts.setdefault(row["child"], {"members": 0, "teams": 0})["teams"] = row["n"]
    return counts


def roles_by_user(users: list[User]) -> dict[int, list[Membership]]:
    result: dict[int, list[Membership]] = {}
    memberships = Membership.objects.current().filter(user__in=users).select_related("unit")
    for membership in memberships:
        result.setdefault(membership.user_id, []).append(membership)
    return result


def activation_codes_in(unit: OrgUnit, *, viewer: User) -> list[tuple[str, ActivationCode]]:
    """Usable activation codes of the people currently in `unit`'s subtree whom `viewer` may
    act on (a code opens the account: never hand out one of a higher administrator's),
    by team then name."""
    from accounts.selectors import usable_activation_codes_of

    from .authority import actable_member_ids

    members = members_of_subtree(unit)
    teams = dict(
        Membership.objects.current()
        .filter(user__in=members, role__in=TEAM_ROLES)
        .values_list("user_id", "unit__name")
    )
    allowed = actable_member_ids(viewer, members)
    codes = usable_activation_codes_of(members.filter(pk__in=allowed)).select_related("user")
    rows = [(teams.get(code.user_id, ""), code) for code in codes]
    rows.sort(key=lambda item: (item[0], item[1].user.first_name, item[1].user.last_name))
    return rows


def search_units(*, viewer: User, query: str) -> QuerySet[OrgUnit]:
    return (
        units_visible_to(viewer)
        .filter(Q(name__icontains=query) | Q(code__iexact=query))
        .order_by("depth", "name")
    )


def search_condition(query: str) -> Q:
    """People whose name, username or phone number matches `query`."""
    from accounts.phone import InvalidPhoneNumber, normalize_phone

    condition = (
        Q(last_name__icontains=query) | Q(first_name__icontains=query) | Q(username__iexact=query)
    )
    parts = query.split()
    if len(parts) > 1:
        condition |= Q(last_name__icontains=" ".join(parts[:-1]), first_name__icontains=parts[-1])
    with contextlib.suppress(InvalidPhoneNumber):
        condition |= Q(phone=normalize_phone(query))
    return condition


def search_members(
    *, viewer: User, query: str, roots: list[OrgUnit] | None = None
) -> QuerySet[User]:
    condition = search_condition(query)
    # Erased people are not found: nothing can be done with them any more.
    return members_visible_to(viewer, roots=roots).filter(condition, erased_at__isnull=True)
