"""Merging keeps history: merge dates are checked against the units' own dates (through
the unit screen, as the province administrator does it), sub-units remember their old
parent, and the tree can be read as it was on a past day."""

import datetime

import pytest

from organisations import services
from organisations.history import TreeAsOf
from organisations.models import Membership, OrgUnit, Role, UnitKind, UnitPlacement

pytestmark = pytest.mark.django_db

SINCE = datetime.date(2024, 1, 1)
MERGER = datetime.date(2025, 7, 1)


@pytest.fixture
def history(tree):
    """The test tree exists since 1 January 2024, with its memberships."""
    OrgUnit.objects.update(valid_from=SINCE)
    Membership.objects.update(started_on=SINCE)
    return tree


def _unit(tree_unit) -> OrgUnit:
    return OrgUnit.objects.get(pk=tree_unit.pk)


def _merge(client, source, *, target_code, on):
    return client.post(
        f"/admin/org/units/{source.pk}/merge/",
        {"target_code": target_code, "on": on},
        follow=True,
    )


def _snapshot():
    return (
        sorted(OrgUnit.objects.values_list("pk", "path", "valid_to", "successor_id")),
        sorted(Membership.objects.values_list("pk", "unit_id", "started_on", "ended_on")),
        UnitPlacement.objects.count(),
    )


@pytest.mark.parametrize(
    ("on", "message"),
    [
        ("31/12/2023", "Xã Y chỉ tồn tại từ 01/01/2024"),
        ("31/12/2099", "không thể là một ngày trong tương lai"),
    ],
)
def test_the_unit_screen_refuses_a_merger_dated_before_the_unit_or_in_the_future(
    client, history, on, message
):
    client.force_login(history.province_admin)
    before = _snapshot()
    page = _merge(client, history.y, target_code="P-X", on=on).content.decode()
    assert message in page
    assert _snapshot() == before


def test_a_merger_dated_before_a_sub_unit_or_a_role_began_is_refused(client, history, make_user):
    client.force_login(history.province_admin)
    OrgUnit.objects.filter(pk=history.t3.pk).update(valid_from=datetime.date(2025, 5, 1))
    before = _snapshot()
    page = _merge(client, history.y, target_code="P-X", on="01/04/2025").content.decode()
    assert "Đơn vị cấp dưới Tổ T3 chỉ thuộc Xã Y từ 01/05/2025" in page
    assert _snapshot() == before

    y_admin = make_user(username="yadmin", phone="+84900000099", full_name="Trần Văn Tâm")
    services.assign_role(
        by=history.root,
        user=y_admin,
        unit=_unit(history.y),
        role=Role.UNIT_ADMIN,
        on=datetime.date(2025, 6, 1),
    )
    before = _snapshot()
    page = _merge(client, history.y, target_code="P-X", on="15/05/2025").content.decode()
    assert "Trần Văn Tâm chỉ thuộc Xã Y từ 01/06/2025" in page
    assert _snapshot() == before


def test_a_merger_through_the_screen_keeps_the_old_unit_and_the_old_parent(client, history):
    client.force_login(history.province_admin)
    response = _merge(client, history.y, target_code="P-X", on="01/07/2025")
    page = response.content.decode()
    assert "Đã sáp nhập “Xã Y” vào “Xã X”" in page
    y, t3 = _unit(history.y), _unit(history.t3)
    assert (y.valid_to, y.successor_id) == (MERGER, history.x.pk)
    assert t3.get_parent().pk == history.x.pk
    placement = UnitPlacement.objects.get(unit=t3)
    assert (placement.parent_id, placement.valid_from, placement.valid_to) == (
        y.pk,
        SINCE,
        MERGER,
    )
    # The old unit's page reads its dates the right way round and names its old sub-unit;
    # the sub-unit's page names its old parent.
    y_page = client.get(f"/admin/org/units/{y.pk}/").content.decode()
    assert "Hiệu lực từ 01/01/2024 đến 01/07/2025" in y_page
    assert "Sáp nhập ngày 01/07/2025 vào" in y_page
    assert f'href="/admin/org/units/{t3.pk}/">Tổ T3</a>' in y_page
    t3_page = client.get(f"/admin/org/units/{t3.pk}/").content.decode()
    assert "Từ 01/01/2024 đến 01/07/2025 thuộc" in t3_page
    assert f'href="/admin/org/units/{y.pk}/">Xã Y</a>' in t3_page


def test_the_tree_as_it_was_on_a_past_day(history):
    """Y (with T3) merged into X on 01/07/2025; then X's hamlet H (with T1) merged into
    hamlet H2 of a commune Z on 01/09/2025."""
    tree = history
    services.merge_units(source=_unit(tree.y), target=_unit(tree.x), on=MERGER)
    z = services.create_unit(
        parent=_unit(tree.p), kind=UnitKind.COMMUNE, name="Xã Z", code="P-Z", valid_from=SINCE
    )
    h2 = services.create_unit(
        parent=z, kind=UnitKind.HAMLET, name="Ấp H2", code="P-Z-H2", valid_from=SINCE
    )
    autumn = datetime.date(2025, 9, 1)
    services.merge_units(source=_unit(tree.h), target=h2, on=autumn)
    p, x, y, z, t1, t3 = (_unit(u) for u in (tree.p, tree.x, tree.y, z, tree.t1, tree.t3))
    h = _unit(tree.h)

    def members(day, unit):
        """The same with every move read, or only those concerning `unit`."""
        found = []
        for as_of in (TreeAsOf(day), TreeAsOf(day, within=unit)):
            rows = Membership.objects.current(day).filter(as_of.subtree(unit, prefix="unit__"))
            found.append(set(rows.values_list("user__username", flat=True)))
        assert found[0] == found[1]
        return found[0]

    june, july, october = datetime.date(2025, 6, 30), MERGER, datetime.date(2025, 10, 1)
    assert TreeAsOf(june).ancestry(t3.path) == [p.path, y.path, t3.path]
    assert TreeAsOf(july).ancestry(t3.path) == [p.path, x.path, t3.path]
    assert TreeAsOf(june).ancestry(t1.path) == [p.path, x.path, h.path, t1.path]
    assert TreeAsOf(october).ancestry(t1.path) == [p.path, z.path, h2.path, t1.path]
    assert not TreeAsOf(october).changed
    assert members(june, y) == {"member3"}
    assert members(june, x) == {"xadmin", "leader1", "member1", "member2"}
    assert members(july, x) == {"xadmin", "leader1", "member1", "member2", "member3"}
    assert members(july, y) == members(july, z) == set()
    assert members(october, x) == {"xadmin", "member2", "member3"}
    assert members(october, z) == {"leader1", "member1"}
    assert members(june, p) == members(october, p)
    # The province's row of each team: T3 under Y, then X; T1 under X, then Z.
    level = len(x.path)
    for day, expected in ((june, (y, x)), (july, (x, x)), (october, (x, z))):
        as_of = TreeAsOf(day, within=p)
        keys = (as_of.key_at(t3.path, level), as_of.key_at(t1.path, level))
        assert keys == (expected[0].path, expected[1].path)
    assert TreeAsOf(june).key_at(y.path, level) == y.path  # a unit at that depth: itself
