"""Counts that scale with the unit, not the country: every figure, member list and export
of a unit is built from the unit's own members, so people elsewhere (with completions,
certificates, attempts, lessons and overdue campaigns of their own) change neither its
numbers nor the number of queries it takes."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certificates import services as certificate_services
from certificates.models import Certificate
from courses import services as course_services
from courses.models import CourseCompletion, LessonPage
from organisations import services as org
from organisations.models import Role, UnitKind
from reports.figures import breakdown, member_rows, pass_rates, weekly_completions
from reports.filters import Filters
from tests.reports.conftest import TODAY, _attempt
from training.services import campaigns as campaign_services

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("reports_admin:dashboard")
MEMBERS = reverse("reports_admin:members")
STATUSES = ("", "completed", "in_progress", "not_started", "overdue", "certificates_valid")
STATUSES += ("certificates_expiring", "certificates_expired")


def _filters(tree, learning):
    yesterday = TODAY - datetime.timedelta(days=1)
    return [
        Filters(),
        Filters(role=Role.MEMBER),
        Filters(role=Role.LEADER),
        Filters(campaign=learning.campaign),
        Filters(course=learning.course_a),
        Filters(course=learning.course_b),
        Filters(date_from=TODAY - datetime.timedelta(days=30), date_to=TODAY),
        Filters(date_from=TODAY - datetime.timedelta(days=30), date_to=yesterday),
        Filters(campaign=learning.campaign, role=Role.MEMBER),
    ]


def _everything(tree, learning) -> dict:
    """Every figure and list of province P and commune X, for every filter."""
    now = timezone.now()
    seen = {}
    for n, filters in enumerate(_filters(tree, learning)):
        for unit in (tree.p, tree.x):
            rows, totals = breakdown(unit, filters, now=now)
            seen[n, unit.code, "rows"] = sorted(
                (row.unit.code, sorted(row.figures.items())) for row in rows
            )
            seen[n, unit.code, "totals"] = sorted(totals.items())
            for status in STATUSES:
                seen[n, unit.code, status] = [
                    (
                        m.user_id,
                        m.unit.code,
                        m.best_score,
                        m.is_completed,
                        m.is_in_progress,
                        m.is_not_started,
                        m.is_overdue,
                        m.is_certificates_valid,
                        m.is_certificates_expiring,
                        m.is_certificates_expired,
                    )
                    for m in member_rows(unit, filters, status=status, now=now)
                ]
            seen[n, unit.code, "weeks"] = weekly_completions(unit, filters, now=now)
            seen[n, unit.code, "rates"] = pass_rates(unit, filters, now=now)
    return seen


def _outsiders(tree, learning, make_user, *, teams: int = 2, per_team: int = 3):
    """A second province Q whose members did everything: completed course A (valid,
    expiring and lapsed certificates), started lessons, sat the quiz with high scores, and
    are behind an overdue campaign of their own; one of them also administers commune X."""
    q = org.create_unit(
        parent=None, kind=UnitKind.PROVINCE, name="Tỉnh Ngoài", code=f"Q{teams}{per_team}"
    )
    commune = org.create_unit(parent=q, kind=UnitKind.COMMUNE, name="Xã Ngoài", code=f"{q.code}-C")
    lesson = LessonPage.objects.child_of(learning.course_a).get()
    day = datetime.timedelta(days=1)
    people = []
    for t in range(teams):
        team = org.create_unit(
            parent=commune, kind=UnitKind.TEAM, name=f"Tổ ngoài {t}", code=f"{q.code}-T{t}"
        )
        for i in range(per_team):
            person = make_user(username=f"out-{q.code}-{t}-{i}", full_name="Người Ngoài")
            org.assign_role(
                by=tree.root, user=person, unit=team, role=Role.LEADER if i == 0 else Role.MEMBER
            )
            people.append(person)
    for i, person in enumerate(people):
        course_services.start_lesson(user=person, lesson=lesson)
        _attempt(person, learning.quiz, 1, 95)
        if i % 3:
            course_services.complete_lesson(user=person, lesson=lesson)
            completion = CourseCompletion.objects.get(user=person, course=learning.course_a)
            certificate_services.issue_certificate(completion_id=completion.pk)
            Certificate.objects.filter(user=person).update(
                expires_at=timezone.now() + ((i % 2 and 10) or -5) * day
            )
    org.assign_role(by=tree.root, user=people[0], unit=tree.x, role=Role.UNIT_ADMIN)
    campaign_services.create_campaign(
        by=tree.root,
        title=f"Đợt ngoài {q.code}",
        course_ids=[learning.course_a.pk, learning.course_b.pk],
        unit_codes=[q.code],
        starts_on=TODAY - 10 * day,
        due_on=TODAY - day,
        status="RUNNING",
    )
    return q, people


def test_members_outside_the_unit_change_no_figure_or_list(tree, learning, make_user):
    before = _everything(tree, learning)
    assert before[0, "P", "totals"] and before[0, "P", "overdue"]  # there is something to see
    q, people = _outsiders(tree, learning, make_user)
    # They are counted where they belong...
    _, theirs = breakdown(q, Filters())
    assert theirs["members"] == len(people) and theirs["completed"] == 4
    assert theirs["overdue"] == len(people) and theirs["certificates_expired"] == 2
    # ...and nowhere else.
    assert _everything(tree, learning) == before


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_filtered_dashboard_and_member_list_queries_do_not_grow_with_the_country(
    client, tree, learning, make_user
):
    client.force_login(tree.province_admin)
    c = learning.campaign.pk
    urls = [
        f"{DASHBOARD}?unit={tree.p.pk}&role=MEMBER",
        f"{DASHBOARD}?unit={tree.p.pk}&campaign={c}",
        f"{DASHBOARD}?unit={tree.p.pk}&date_from=2026-01-01&date_to={TODAY.isoformat()}",
        f"{MEMBERS}?unit={tree.p.pk}&status=overdue",
        f"{MEMBERS}?unit={tree.p.pk}&status=completed&role=MEMBER&campaign={c}",
    ]
    for url in urls:
        _queries(client, url)  # warm: caches of the site, the menu and the session
    before = [_queries(client, url) for url in urls]
    _outsiders(tree, learning, make_user, teams=2, per_team=2)
    _outsiders(tree, learning, make_user, teams=6, per_team=4)
    assert [_queries(client, url) for url in urls] == before


def test_counts_agree_with_the_member_lists_for_every_filter(tree, learning, make_user):
    """A unit's counts read each fact table once per member (`_unit_counting`), its member
    lists test each fact as a condition of its own: both say the same of everyone, with
    people elsewhere, a deactivated member, an attempt not graded yet and a renewal in the
    data."""
    from accounts.models import User
    from quizzes.models import Attempt

    q, people = _outsiders(tree, learning, make_user)
    User.objects.filter(pk=people[1].pk).update(is_active=False)
    # The leader, who had done nothing, opens the quiz: begun, with no score yet.
    leader = next(m.user for m in member_rows(tree.p, Filters()) if m.user.username == "leader1")
    Attempt.objects.create(
        user=leader,
        quiz=learning.quiz,
        number=1,
        served=[],
        scoring_policy="ALL_OR_NOTHING",
        pass_mark=80,
    )
    now = timezone.now()
    for filters in _filters(tree, learning):
        for unit in (tree.p, tree.x, q):
            _, totals = breakdown(unit, filters, now=now)
            rows = list(member_rows(unit, filters, now=now))
            assert totals["members"] == len(rows), filters
            for status in STATUSES[1:]:
                listed = len(list(member_rows(unit, filters, status=status, now=now)))
                assert totals[status] == listed, (filters, unit.code, status)
            scores = [m.best_score for m in rows if m.best_score is not None]
            assert totals["scored"] == len(scores), filters
            if scores:
                average = sum(scores) / len(scores)
                assert abs(totals["average_best_score"] - average) < 0.1, filters
    _, totals = breakdown(tree.p, Filters(), now=now)
    assert totals["not_started"] == 0  # the leader began
