"""Synthetic data at any scale for bench/: a realistic tree filled with bulk inserts."""

import math
import random

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import User, split_full_name

from .models import Membership, OrgUnit, Role, UnitKind
from .names import mobile_number, vietnamese_name

MEMBERS_PER_TEAM = 9.2


def _child_path(parent: OrgUnit | None, index: int) -> str:
    return OrgUnit._get_path(
        parent.path if parent else None, (parent.depth + 1) if parent else 1, index
    )


@transaction.atomic
def build_tree(*, members: int, prefix: str = "BENCH", seed: int = 1) -> list[OrgUnit]:
    """A province with communes of 5 to 15 teams (each team under a hamlet); returns the teams."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data
    team_count = max(1, math.ceil(members / MEMBERS_PER_TEAM))
    roots = OrgUnit.get_root_nodes()
    province = OrgUnit(
        kind=UnitKind.PROVINCE,
        name=f"Tỉnh {prefix}",
        code=prefix,
        depth=1,
        path=_child_path(None, roots.count() + 1 if roots.exists() else 1),
        numchild=0,
    )
    province.save()
    communes, hamlets, teams = [], [], []
    remaining = team_count
    while remaining > 0:
        size = min(remaining, rng.randint(5, 15))
        remaining -= size
        c = len(communes) + 1
        commune = OrgUnit(
            kind=UnitKind.COMMUNE,
            name=f"Xã {prefix} {c}",
            code=f"{prefix}-X{c:04d}",
            depth=2,
            path=_child_path(province, c),
            numchild=size,
        )
        communes.append(commune)
        for t in range(1, size + 1):
            hamlet = OrgUnit(
                kind=UnitKind.HAMLET,
                name=f"Ấp {t} xã {c}",
                code=f"{prefix}-X{c:04d}-A{t:02d}",
                local_label="ấp",
                depth=3,
                path=_child_path(commune, t),
                numchild=1,
            )
            hamlets.append(hamlet)
            teams.append(
                OrgUnit(
                    kind=UnitKind.TEAM,
                    name=f"Tổ CNSCĐ ấp {t} xã {c}",
                    code=f"{prefix}-X{c:04d}-T{t:02d}",
                    depth=4,
                    path=_child_path(hamlet, 1),
                    numchild=0,
                )
            )
    province.numchild = len(communes)
    province.save(update_fields=["numchild"])
    for batch in (communes, hamlets, teams):
        OrgUnit.objects.bulk_create(batch, batch_size=2000)
    return list(OrgUnit.objects.filter(code__in=[t.code for t in teams]).order_by("path"))


@transaction.atomic
def fill_teams(*, teams: list[OrgUnit], members: int, seed: int = 1, phone_offset: int = 0) -> int:
    rng = random.Random(seed)  # noqa: S311 - synthetic data
    today = timezone.localdate()
    unusable = make_password(None)
    users, memberships = [], []
    for i in range(members):
        phone = mobile_number(phone_offset + i)
        last_name, first_name = split_full_name(vietnamese_name(rng))
        users.append(
            User(
                username="0" + phone.removeprefix("+84"),
                phone=phone,
                first_name=first_name,
                last_name=last_name,
                password=unusable,
            )
        )
    User.objects.bulk_create(users, batch_size=2000)
    ids = dict(User.objects.filter(phone__in=[u.phone for u in users]).values_list("phone", "pk"))
    for i, user in enumerate(users):
        team = teams[i % len(teams)]
        role = Role.LEADER if i < len(teams) else Role.MEMBER
        memberships.append(
            Membership(user_id=ids[user.phone], unit=team, role=role, started_on=today)
        )
    Membership.objects.bulk_create(memberships, batch_size=2000)
    return members
