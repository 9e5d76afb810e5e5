"""Reports for a period before a merger are the same after it: the merged unit keeps its
row and its figures, its own report is not empty, its sub-units roll up under it."""

import datetime

import pytest
from django.utils import timezone

from courses.models import CourseCompletion
from organisations import services as org
from organisations.models import Membership, OrgUnit
from reports import figures
from reports.filters import Filters

pytestmark = pytest.mark.django_db

SINCE = datetime.date(2024, 1, 1)
MERGER = datetime.date(2025, 7, 1)
FIRST_HALF = (datetime.date(2025, 1, 1), datetime.date(2025, 6, 30))


@pytest.fixture
def past(tree, learning):
    """The test tree and its people since 2024; the two completions in spring 2025."""
    OrgUnit.objects.update(valid_from=SINCE)
    Membership.objects.update(started_on=SINCE)
    spring = timezone.make_aware(datetime.datetime(2025, 3, 10, 9, 0))
    CourseCompletion.objects.update(completed_at=spring)
    return tree


def _unit(unit) -> OrgUnit:
    return OrgUnit.objects.get(pk=unit.pk)


def _report(unit, filters, now):
    rows, totals = figures.breakdown(_unit(unit), filters, now=now)
    by_code = {row.unit.code: row.figures for row in rows}
    members = [
        (m.user_id, m.unit_id, m.is_completed, m.is_in_progress)
        for m in figures.member_rows(_unit(unit), filters, now=now)
    ]
    return by_code, totals, members


def test_reports_for_a_period_before_a_merger_do_not_change_with_it(past, learning):
    now = timezone.now()
    periods = [
        Filters(date_from=FIRST_HALF[0], date_to=FIRST_HALF[1]),
        Filters(course=learning.course_a, date_from=FIRST_HALF[0], date_to=FIRST_HALF[1]),
        Filters(date_to=datetime.date(2025, 6, 30)),
    ]
    units = (past.p, past.x, past.y, past.t3)
    before = {(u.code, n): _report(u, f, now) for u in units for n, f in enumerate(periods)}
    # Before the merger Y has its own row in the province, with T3 under it.
    rows, totals, _members = before[("P", 0)]
    assert set(rows) == {"P-X", "P-Y"}
    assert rows["P-Y"]["members"] == 1 and rows["P-Y"]["completed"] == 1
    assert before[("P-Y", 0)][0] == {"P-Y-T3": rows["P-Y"]}

    org.merge_units(source=_unit(past.y), target=_unit(past.x), on=MERGER)

    after = {(u.code, n): _report(u, f, now) for u in units for n, f in enumerate(periods)}
    for key, (rows, totals, members) in before.items():
        assert after[key][0] == rows, key  # per unit
        assert after[key][1] == totals, key  # totals
        assert after[key][2] == members, key  # the member lists behind them
    # From the merger on, the members of Y count under X and Y has no row of its own.
    since_merger = Filters(date_from=MERGER)
    rows, totals, _members = _report(past.p, since_merger, now)
    assert set(rows) == {"P-X"} and totals["members"] == 4
    assert _report(past.x, since_merger, now)[0].keys() == {"P-X-H", "P-X-T2", "P-Y-T3"}
    assert _report(past.y, since_merger, now)[1]["members"] == 0


def test_the_report_screen_shows_a_merged_unit_for_a_past_period(client, past, learning):
    org.merge_units(source=_unit(past.y), target=_unit(past.x), on=MERGER)
    client.force_login(past.province_admin)
    period = "date_from=2025-01-01&date_to=2025-06-30"
    page = client.get(f"/admin/reports/?unit={past.p.pk}&{period}").content.decode()
    assert "Xã Y" in page and "Xã X" in page
    page = client.get(f"/admin/reports/?unit={past.y.pk}&{period}").content.decode()
    assert "Tổ T3" in page
    now_page = client.get(f"/admin/reports/?unit={past.y.pk}").content.decode()
    assert "Tổ T3" not in now_page


def test_a_merger_refreshes_the_province_roll_up(past, django_capture_on_commit_callbacks):
    from reports import services as report_services
    from reports.models import UnitRollup

    report_services.refresh_rollups()
    members = lambda unit: UnitRollup.objects.get(unit=unit, course=None).members  # noqa: E731
    assert (members(past.x), members(past.y)) == (3, 1)
    with django_capture_on_commit_callbacks(execute=True):
        org.merge_units(source=_unit(past.y), target=_unit(past.x), on=MERGER)
    assert (members(past.x), members(past.y)) == (4, 0)
