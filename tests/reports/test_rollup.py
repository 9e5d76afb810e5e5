"""The roll-up behind the dashboards of nations and provinces: the same figures as counting
live, used only while fresh and unfiltered, recomputed on request within the viewer's area."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from organisations import services as org
from organisations.models import Role, UnitKind
from reports import figures, rollup, services
from reports.filters import Filters
from reports.models import UnitRollup

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("reports_admin:dashboard")
REFRESH = reverse("reports_admin:refresh_rollup")


def as_compared(rows, totals):
    return [(row.unit, row.figures) for row in rows], totals


def test_rollup_matches_live_figures_for_every_rolled_up_unit_and_course(tree, learning, make_user):
    nation = org.create_unit(parent=None, kind=UnitKind.NATION, name="Cả nước", code="VN")
    province = org.create_unit(parent=nation, kind=UnitKind.PROVINCE, name="Tỉnh Hai", code="VN-2")
    commune = org.create_unit(parent=province, kind=UnitKind.COMMUNE, name="Xã Z", code="VN-2-Z")
    team = org.create_unit(parent=commune, kind=UnitKind.TEAM, name="Tổ Z", code="VN-2-Z-T")
    newcomer = make_user(username="z1", phone="+84900000099")
    org.assign_role(by=tree.root, user=newcomer, unit=team, role=Role.MEMBER)

    assert services.refresh_rollups() > 0
    units = rollup.rollup_units()
    assert {u.code for u in units} == {"P", "P-X", "P-Y", "VN", "VN-2", "VN-2-Z"}
    for unit in units:
        if unit.kind not in rollup.ROLLED_UP_KINDS:
            continue
        for course in (None, learning.course_a, learning.course_b):
            rows, totals, _ = rollup.rollup_breakdown(unit, Filters(course=course))
            assert as_compared(rows, totals) == as_compared(
                *figures.breakdown(unit, Filters(course=course))
            ), (unit.code, course)
    rows, totals, _ = rollup.rollup_breakdown(tree.p, Filters())
    assert [row.unit.code for row in rows] == ["P-X", "P-Y"]
    assert (totals["members"], totals["completed"], totals["overdue"]) == (4, 2, 2)
    assert UnitRollup.objects.get(unit=nation, course=None).members == 1


def test_province_dashboard_uses_a_fresh_rollup_and_counts_live_otherwise(
    client, tree, learning, make_user, django_capture_on_commit_callbacks
):
    services.refresh_rollups()
    newcomer = make_user(username="late", phone="+84900000098")
    org.assign_role(by=tree.root, user=newcomer, unit=tree.t3, role=Role.MEMBER)
    client.force_login(tree.province_admin)

    response = client.get(DASHBOARD, {"unit": tree.p.pk})
    assert response.context["totals"]["members"] == 4  # as of the last refresh
    assert "Số liệu lúc" in response.content.decode()
    response = client.get(DASHBOARD, {"unit": tree.p.pk, "role": Role.MEMBER})
    assert response.context["totals"]["members"] == 4  # live: three members and the newcomer
    assert response.context["freshness"] is None
    assert client.get(DASHBOARD, {"unit": tree.x.pk}).context["freshness"] is None  # commune

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REFRESH, {"unit": tree.p.pk})
    assert response.status_code == 302 and response.url == f"{DASHBOARD}?unit={tree.p.pk}"
    assert client.get(DASHBOARD, {"unit": tree.p.pk}).context["totals"]["members"] == 5

    UnitRollup.objects.update(computed_at=timezone.now() - timedelta(minutes=16))
    newcomer.is_active = False
    newcomer.save()
    response = client.get(DASHBOARD, {"unit": tree.p.pk})
    assert response.context["freshness"] is None  # the worker stopped: counted live
    assert response.context["totals"]["members"] == 4


def test_only_the_viewers_own_provinces_can_be_recomputed(
    client, tree, learning, django_capture_on_commit_callbacks
):
    client.force_login(tree.commune_admin)
    for data in ({"unit": tree.p.pk}, {"unit": tree.x.pk}, {}):
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(REFRESH, data).status_code == 404
    assert not UnitRollup.objects.exists()
    client.force_login(tree.province_admin)
    assert client.get(REFRESH, {"unit": tree.p.pk}).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        client.post(REFRESH, {"unit": tree.p.pk})
    assert UnitRollup.objects.filter(unit=tree.p).exists()


def test_refreshing_one_province_leaves_the_others_alone(tree, learning):
    other = org.create_unit(parent=None, kind=UnitKind.PROVINCE, name="Tỉnh Khác", code="Q")
    services.refresh_rollups()
    before = UnitRollup.objects.get(unit=other, course=None).computed_at
    services.refresh_rollups(under=tree.p)
    assert UnitRollup.objects.get(unit=other, course=None).computed_at == before
    assert UnitRollup.objects.get(unit=tree.p, course=None).computed_at > before


def test_a_campaign_created_or_closed_is_counted_at_once_not_at_the_next_refresh(
    tree, learning, django_capture_on_commit_callbacks
):
    """The admin trial: a campaign already past due was created, and for eight minutes the
    province dashboard showed no one overdue in its commune while the commune's own page
    and the overdue list showed them all."""
    from training.services import campaigns as campaign_services

    def overdue_in_y() -> int:
        rolled_up = rollup.rollup_breakdown(tree.p, Filters())
        assert rolled_up is not None  # the dashboard reads the roll-up
        rows, _totals, _freshness = rolled_up
        return {row.unit.code: row.figures for row in rows}["P-Y"]["overdue"]

    services.refresh_rollups()
    assert overdue_in_y() == 0
    with django_capture_on_commit_callbacks(execute=True):
        campaign = campaign_services.create_campaign(
            by=tree.root,
            title="Đợt xã Y",
            course_ids=[learning.course_b.pk],
            unit_codes=[tree.y.code],
            starts_on=timezone.localdate() - timedelta(days=20),
            due_on=timezone.localdate() - timedelta(days=2),
            status="RUNNING",
        )
    live = figures.breakdown(tree.y, Filters())[1]["overdue"]
    assert live > 0 and overdue_in_y() == live
    with django_capture_on_commit_callbacks(execute=True):
        campaign_services.set_campaign_status(by=tree.root, campaign=campaign, status="CLOSED")
    assert overdue_in_y() == 0
