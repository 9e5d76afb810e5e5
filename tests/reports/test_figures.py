"""Every dashboard column checked against numbers worked out by hand (see the `learning`
fixture for who did what)."""

from decimal import Decimal

import pytest

from organisations.models import Role
from reports.figures import breakdown, member_rows, pass_rates, weekly_completions
from reports.filters import Filters

pytestmark = pytest.mark.django_db


def figures(rows):
    return {row.unit.code: dict(row.figures) for row in rows}


def test_province_rows_and_totals(tree, learning):
    rows, totals = breakdown(tree.p, Filters())
    assert figures(rows) == {
        "P-X": {
            "members": 3,
            "completed": 1,
            "completed_percent": 33,
            "in_progress": 1,
            "not_started": 1,
            "overdue": 2,
            "certificates_valid": 1,
            "certificates_expiring": 1,
            "certificates_expired": 0,
            "average_best_score": Decimal("65.0"),
            "scored": 2,
        },
        "P-Y": {
            "members": 1,
            "completed": 1,
            "completed_percent": 100,
            "in_progress": 0,
            "not_started": 0,
            "overdue": 0,
            "certificates_valid": 0,
            "certificates_expiring": 0,
            "certificates_expired": 1,
            "average_best_score": None,
            "scored": 0,
        },
    }
    assert totals == {
        "members": 4,
        "completed": 2,
        "completed_percent": 50,
        "in_progress": 1,
        "not_started": 1,
        "overdue": 2,
        "certificates_valid": 1,
        "certificates_expiring": 1,
        "certificates_expired": 1,
        "average_best_score": Decimal("65.0"),
        "scored": 2,
    }


def test_drill_down_to_hamlet_and_team(tree, learning):
    rows, totals = breakdown(tree.x, Filters())
    got = figures(rows)
    assert set(got) == {"P-X-H", "P-X-T2"}
    assert got["P-X-H"]["members"] == 2 and got["P-X-H"]["not_started"] == 1
    assert got["P-X-H"]["overdue"] == 1 and got["P-X-H"]["average_best_score"] == Decimal("90.0")
    assert got["P-X-T2"] == {
        "members": 1,
        "completed": 0,
        "completed_percent": 0,
        "in_progress": 1,
        "not_started": 0,
        "overdue": 1,
        "certificates_valid": 0,
        "certificates_expiring": 0,
        "certificates_expired": 0,
        "average_best_score": Decimal("40.0"),
        "scored": 1,
    }
    assert totals["members"] == 3
    team_rows = {m.user.username: m for m in member_rows(tree.t1, Filters())}
    assert set(team_rows) == {"leader1", "member1"}
    assert team_rows["member1"].is_completed and team_rows["member1"].best_score == Decimal("90")
    assert team_rows["leader1"].is_overdue and team_rows["leader1"].is_not_started


def test_filters_course_campaign_role_and_period(tree, learning):
    _, totals = breakdown(tree.p, Filters(course=learning.course_b))
    assert (totals["completed"], totals["in_progress"], totals["not_started"]) == (0, 0, 4)
    assert totals["overdue"] == 0  # the overdue campaign is about course A only
    assert totals["average_best_score"] is None
    _, totals = breakdown(tree.p, Filters(campaign=learning.campaign))
    assert totals["members"] == 3 and totals["overdue"] == 2  # commune X only
    _, totals = breakdown(tree.p, Filters(role=Role.LEADER))
    assert totals["members"] == 1 and totals["not_started"] == 1
    import datetime

    from django.utils import timezone

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    _, totals = breakdown(tree.p, Filters(date_from=tomorrow))
    assert totals["completed"] == 0


def test_member_lists_by_status(tree, learning):
    def names(status):
        return sorted(m.user.username for m in member_rows(tree.p, Filters(), status=status))

    assert names("overdue") == ["leader1", "member2"]
    assert names("certificates_expired") == ["member3"]
    assert names("certificates_expiring") == ["member1"]
    assert names("not_started") == ["leader1"]
    assert names("") == ["leader1", "member1", "member2", "member3"]


def test_charts_data(tree, learning):
    weeks = weekly_completions(tree.p, Filters())
    assert len(weeks) == 12 and weeks[-1][1] == 2 and sum(n for _, n in weeks) == 2
    from quizzes.models import QuizPage

    course = QuizPage.objects.get(title="Kiểm tra A").get_parent().title
    # Named with its course: final quizzes of different courses may share a title.
    assert pass_rates(tree.p, Filters()) == [
        {
            "quiz": f"{course} › Kiểm tra A",
            "title": "Kiểm tra A",
            "course": course,
            "total": 3,
            "passed": 1,
            "percent": 33,
        }
    ]
    assert pass_rates(tree.y, Filters()) == []


def test_postgresql_connections_carry_the_planner_settings_of_this_application():
    """Each connection: room to hash the national sets (work_mem), random reads priced as
    on solid-state storage (a province's members read through its units' index, not by
    scanning the country's memberships), no JIT (it compiled a unit's count for over a
    second). docs/decisions/0014."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL settings")
    with connection.cursor() as cursor:
        shown = {}
        for name in ("work_mem", "random_page_cost", "jit"):
            cursor.execute(f"SHOW {name}")
            shown[name] = cursor.fetchone()[0]
    assert shown == {"work_mem": "64MB", "random_page_cost": "1.1", "jit": "off"}
