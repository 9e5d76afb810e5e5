"""Synthetic data at any scale for the benchmarks: a province of communes of 5 to 15 teams
(each team under a hamlet, about 9.2 members a team), filled with bulk inserts.

    DATABASE_URL=postgres://postgres@127.0.0.1/bench \\
        .venv/bin/python bench/seed.py --members 400000 --prefix NATION

Used by the other scripts here (`seed`, `build_tree`, `fill_teams`); not part of the
application (bench/ is not an installed app), so the functions import Django's models only
when called, after `django.setup()`.
"""

import argparse
import math
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

MEMBERS_PER_TEAM = 9.2


def _child_path(parent, index: int) -> str:
    from organisations.models import OrgUnit

    return OrgUnit._get_path(
        parent.path if parent else None, (parent.depth + 1) if parent else 1, index
    )


def build_tree(*, members: int, prefix: str = "BENCH", seed: int = 1) -> list:
    """A province with communes of 5 to 15 teams (each team under a hamlet); returns the teams."""
    from django.db import transaction

    from organisations.models import OrgUnit, UnitKind

    rng = random.Random(seed)
    team_count = max(1, math.ceil(members / MEMBERS_PER_TEAM))
    with transaction.atomic():
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


def fill_teams(*, teams: list, members: int, seed: int = 1, phone_offset: int = 0) -> int:
    """`members` people with Vietnamese names and mobile numbers, spread over `teams` (the
    first member of each team leads it)."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User, split_full_name
    from organisations.models import Membership, Role
    from organisations.names import mobile_number, vietnamese_name

    rng = random.Random(seed)
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
    with transaction.atomic():
        User.objects.bulk_create(users, batch_size=2000)
        ids = dict(
            User.objects.filter(phone__in=[u.phone for u in users]).values_list("phone", "pk")
        )
        for i, user in enumerate(users):
            team = teams[i % len(teams)]
            role = Role.LEADER if i < len(teams) else Role.MEMBER
            memberships.append(
                Membership(user_id=ids[user.phone], unit=team, role=role, started_on=today)
            )
        Membership.objects.bulk_create(memberships, batch_size=2000)
    return members


def seed(
    *, members: int, prefix: str = "BENCH", tree_only: bool = False, phone_offset: int = 5_000_000
) -> list:
    """A province of `members` members (none with `tree_only`); returns its teams."""
    teams = build_tree(members=members, prefix=prefix)
    if not tree_only:
        fill_teams(teams=teams, members=members, phone_offset=phone_offset)
    return teams


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=10_195)
    parser.add_argument("--prefix", default="BENCH", help="unit code prefix (must be unused)")
    parser.add_argument("--tree-only", action="store_true", help="build the units but no members")
    parser.add_argument("--phone-offset", type=int, default=5_000_000)
    args = parser.parse_args(argv)
    import django

    django.setup()
    started = time.perf_counter()
    teams = seed(
        members=args.members,
        prefix=args.prefix,
        tree_only=args.tree_only,
        phone_offset=args.phone_offset,
    )
    elapsed = time.perf_counter() - started
    members = 0 if args.tree_only else args.members
    print(f"{len(teams)} teams, {members} members in {elapsed:.1f} s")


if __name__ == "__main__":
    main()
