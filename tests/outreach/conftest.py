import datetime

import pytest
from django.utils import timezone

from outreach.models import OutreachEntry
from tests.organisations.conftest import tree  # noqa: F401 - the shared unit tree
from tests.training.conftest import courses  # noqa: F401

TODAY = timezone.localdate()


def add_entry(user, team, place, *, kind="VNEID", residents=1, days_ago=0, note=""):
    return OutreachEntry.objects.create(
        user=user,
        team=team,
        place=place,
        kind=kind,
        residents=residents,
        helped_on=TODAY - datetime.timedelta(days=days_ago),
        note=note,
    )


@pytest.fixture
def entries(tree):  # noqa: F811
    """member1 (team T1 in hamlet H), member2 (team T2, commune X), member3 (T3, commune Y)."""
    return {
        "member1": add_entry(tree.member1, tree.t1, tree.h, kind="SCAM", residents=4),
        "member2": add_entry(tree.member2, tree.t2, tree.h, kind="VNEID", residents=2),
        "member3": add_entry(tree.member3, tree.t3, tree.y, kind="CASHLESS", residents=5),
    }
