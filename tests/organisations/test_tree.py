import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from organisations import services
from organisations.models import Membership, Role, UnitKind

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("parent_code", "kind"),
    [
        ("P", UnitKind.HAMLET),
        ("P", UnitKind.TEAM),
        ("P-X", UnitKind.COMMUNE),
        ("P-X-T1", UnitKind.TEAM),
        ("P-X-H", UnitKind.HAMLET),
    ],
)
def test_parent_kind_rules_are_enforced_with_a_clear_message(tree, parent_code, kind):
    parent = {u.code: u for u in (tree.p, tree.x, tree.h, tree.t1)}[parent_code]
    with translation.override("vi"), pytest.raises(ValidationError) as caught:
        services.create_unit(parent=parent, kind=kind, name="Sai", code="WRONG")
    assert "không thể" in caught.value.messages[0].lower()


def test_team_may_sit_under_a_hamlet_or_directly_under_a_commune(tree):
    assert tree.t1.get_parent().kind == UnitKind.HAMLET
    assert tree.t2.get_parent().kind == UnitKind.COMMUNE


def test_codes_are_unique(tree):
    with pytest.raises(ValidationError):
        services.create_unit(parent=tree.x, kind=UnitKind.TEAM, name="Khác", code="p-x-t2")


def test_a_member_belongs_to_one_team_at_a_time_and_history_is_kept(tree):
    services.assign_role(by=tree.root, user=tree.member1, unit=tree.t2, role=Role.MEMBER)
    open_team = Membership.objects.filter(user=tree.member1, ended_on__isnull=True)
    assert [m.unit.code for m in open_team] == ["P-X-T2"]
    assert Membership.objects.filter(
        user=tree.member1, unit=tree.t1, ended_on__isnull=False
    ).exists()


def test_team_roles_only_on_teams(tree):
    with pytest.raises(ValidationError):
        services.assign_role(by=tree.root, user=tree.member1, unit=tree.x, role=Role.MEMBER)


def test_unit_admin_role_gives_admin_access_and_ending_it_removes_it(tree):
    assert tree.commune_admin.has_perm("wagtailadmin.access_admin")
    membership = Membership.objects.get(user=tree.commune_admin, role=Role.UNIT_ADMIN)
    services.end_membership(by=tree.root, membership=membership)
    from accounts.models import User

    assert not User.objects.get(pk=tree.commune_admin.pk).has_perm("wagtailadmin.access_admin")


@pytest.fixture
def since_2024(tree):
    """The tree and its memberships exist since 1 January 2024 (a merger is dated after)."""
    import datetime

    from organisations.models import OrgUnit

    since = datetime.date(2024, 1, 1)
    OrgUnit.objects.update(valid_from=since)
    Membership.objects.update(started_on=since)
    for unit in (tree.p, tree.x, tree.y, tree.h, tree.t1, tree.t2, tree.t3):
        unit.refresh_from_db()
    return tree


def test_merge_moves_children_and_members_and_keeps_history(since_2024, make_user):
    import datetime

    tree = since_2024
    on = datetime.date(2025, 7, 1)
    y_admin = make_user(username="yadmin", phone="+84900000099")
    services.assign_role(
        by=tree.root, user=y_admin, unit=tree.y, role=Role.UNIT_ADMIN, on=datetime.date(2025, 1, 1)
    )
    merged = services.merge_units(source=tree.y, target=tree.x, on=on)
    assert merged.valid_to == on
    assert merged.successor_id == tree.x.pk
    tree.t3.refresh_from_db()
    assert tree.t3.get_parent().pk == tree.x.pk  # the team moved with its members
    assert Membership.objects.current().filter(user=tree.member3, unit=tree.t3).exists()
    # Roles held at the merged unit itself end there and continue at the successor.
    assert Membership.objects.get(user=y_admin, unit=tree.y).ended_on == on
    assert (
        Membership.objects.current(on)
        .filter(user=y_admin, unit=tree.x, role=Role.UNIT_ADMIN)
        .exists()
    )


def test_merge_of_a_team_moves_its_members_and_keeps_the_old_record(since_2024, make_user):
    import datetime

    tree = since_2024
    veteran = make_user(username="veteran", phone="+84900000098")
    services.assign_role(
        by=tree.root, user=veteran, unit=tree.t2, role=Role.MEMBER, on=datetime.date(2024, 3, 1)
    )
    on = datetime.date(2025, 7, 1)
    services.merge_units(source=tree.t2, target=tree.t1, on=on)
    old = Membership.objects.get(user=veteran, unit=tree.t2)
    assert old.ended_on == on
    assert Membership.objects.current().filter(user=veteran, unit=tree.t1).exists()
    assert Membership.objects.current().filter(user=tree.member2, unit=tree.t1).exists()
    # Before the merger the member counted for T2; from the merger on, for T1.
    before = datetime.date(2025, 6, 30)
    assert Membership.objects.current(before).filter(user=veteran, unit=tree.t2).exists()
    assert not Membership.objects.current(on).filter(user=veteran, unit=tree.t2).exists()
    assert Membership.objects.current(on).filter(user=veteran, unit=tree.t1).exists()


@pytest.mark.parametrize(("source", "target"), [("t1", "t1"), ("t1", "x"), ("x", "h"), ("p", "x")])
def test_merge_refuses_nonsense(tree, source, target):
    with pytest.raises(ValidationError):
        services.merge_units(source=getattr(tree, source), target=getattr(tree, target))
