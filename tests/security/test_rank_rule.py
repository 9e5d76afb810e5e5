"""The rank rule (accounts.authority.may_act_on), through the screens: every action on a
person is refused unless every current role of that person lies inside the actor's area and
below the actor's rank."""

import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from openpyxl import load_workbook

from accounts.authority import may_act_on
from accounts.models import ActivationCode, User
from accounts.services import issue_activation_code
from organisations import services
from organisations.models import Membership, Role
from tests.organisations.conftest import tree  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def admins_in_teams(tree):  # noqa: F811
    """Administrators take the courses too: the commune admin of X is a member of team T1
    (led by `leader`), the province admin a member of T2 (in X)."""
    services.assign_role(by=tree.root, user=tree.commune_admin, unit=tree.t1, role=Role.MEMBER)
    services.assign_role(by=tree.root, user=tree.province_admin, unit=tree.t2, role=Role.MEMBER)
    issue_activation_code(user=tree.commune_admin)
    issue_activation_code(user=tree.member1)
    return tree


def member_url(name, person):
    return reverse(f"organisations_admin:{name}", args=[person.pk])


def _edit(client, person, **changes):
    data = {
        "full_name": person.full_name,
        "phone": person.phone,
        "email": person.email,
        "date_of_birth": "",
        **changes,
    }
    return client.post(member_url("member", person), data)


def refused_everything(client, actor, target):
    """Every action on `target` through the screens, as `actor`: nothing may change."""
    client.force_login(actor)
    before = User.objects.get(pk=target.pk)
    codes_before = ActivationCode.objects.filter(user=target).count()
    roles_before = set(Membership.objects.current().filter(user=target).values_list("pk", "role"))

    page = client.get(member_url("member", target))
    assert page.status_code in (200, 404)
    if page.status_code == 200:  # visible, but no button to act on them
        html = page.content.decode()
        assert member_url("member_new_code", target) not in html
        assert member_url("member_set_active", target) not in html

    _edit(client, target, full_name="Kẻ Chiếm Quyền", email="attacker@example.com")
    client.post(member_url("member_new_code", target))
    client.post(member_url("member_set_active", target), {"active": "0"})
    client.post(member_url("member_assign_role", target), {"unit_code": "P-X-T1", "role": "LEADER"})
    for membership in Membership.objects.current().filter(user=target):
        client.post(reverse("organisations_admin:membership_end", args=[membership.pk]))

    after = User.objects.get(pk=target.pk)
    assert (after.full_name, after.email, after.is_active, after.password) == (
        before.full_name,
        before.email,
        before.is_active,
        before.password,
    )
    assert ActivationCode.objects.filter(user=target).count() == codes_before
    assert (
        set(Membership.objects.current().filter(user=target).values_list("pk", "role"))
        == roles_before
    )


def test_a_team_leader_cannot_take_over_a_commune_admin_in_their_team(
    client, home_page, admins_in_teams
):
    t = admins_in_teams
    refused_everything(client, t.leader, t.commune_admin)
    # and the team's activation-code sheet leaves the administrator's code out
    client.force_login(t.leader)
    sheet = client.get(reverse("organisations_admin:activation_codes", args=[t.t1.pk]))
    names = {
        row[1]
        for row in load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True)
    }
    assert t.member1.full_name in names
    assert t.commune_admin.full_name not in names


def test_a_commune_admin_cannot_act_on_the_province_admin(client, home_page, admins_in_teams):
    refused_everything(client, admins_in_teams.commune_admin, admins_in_teams.province_admin)


def test_peers_cannot_act_on_each_other(client, home_page, tree, make_user):  # noqa: F811
    other = make_user(username="xadmin2", phone="+84900000099", full_name="Quản Trị Hai")
    services.assign_role(by=tree.root, user=other, unit=tree.x, role=Role.UNIT_ADMIN)
    refused_everything(client, other, tree.commune_admin)
    deputy = make_user(username="deputy", phone="+84900000098", full_name="Tổ Phó")
    services.assign_role(by=tree.root, user=deputy, unit=tree.t1, role=Role.DEPUTY)
    refused_everything(client, deputy, tree.leader)


def test_superusers_are_acted_on_only_by_superusers(client, home_page, tree, make_user):  # noqa: F811
    boss = make_user(username="boss", phone="+84900000097", is_superuser=True, is_staff=True)
    services.assign_role(by=tree.root, user=boss, unit=tree.t1, role=Role.MEMBER)
    refused_everything(client, tree.province_admin, boss)
    assert may_act_on(tree.root, boss)


def test_acting_downwards_still_works(client, home_page, admins_in_teams):
    t = admins_in_teams
    client.force_login(t.leader)
    assert _edit(client, t.member1, full_name="Người Đổi Tên").status_code == 302
    assert User.objects.get(pk=t.member1.pk).full_name == "Người Đổi Tên"
    client.post(member_url("member_new_code", t.member1))
    assert ActivationCode.objects.filter(user=t.member1, revoked_at__isnull=True).count() == 1
    client.force_login(t.commune_admin)
    client.post(member_url("member_set_active", t.leader), {"active": "0"})
    assert not User.objects.get(pk=t.leader.pk).is_active


def test_roles_given_must_be_below_the_givers_own(client, home_page, tree):  # noqa: F811
    client.force_login(tree.leader)
    # a leader may not make someone a second leader of their team (a peer) ...
    client.post(
        member_url("member_assign_role", tree.member1), {"unit_code": "P-X-T1", "role": "LEADER"}
    )
    assert not Membership.objects.current().filter(user=tree.member1, role=Role.LEADER).exists()
    # ... but may name a deputy
    client.post(
        member_url("member_assign_role", tree.member1), {"unit_code": "P-X-T1", "role": "DEPUTY"}
    )
    assert Membership.objects.current().filter(user=tree.member1, role=Role.DEPUTY).exists()
    # a commune admin may not make a peer administrator of the commune itself
    client.force_login(tree.commune_admin)
    client.post(
        member_url("member_assign_role", tree.member2), {"unit_code": "P-X", "role": "UNIT_ADMIN"}
    )
    assert not Membership.objects.current().filter(user=tree.member2, role=Role.UNIT_ADMIN).exists()
    client.post(
        member_url("member_assign_role", tree.member2), {"unit_code": "P-X-H", "role": "UNIT_ADMIN"}
    )
    assert Membership.objects.current().filter(user=tree.member2, role=Role.UNIT_ADMIN).exists()


def test_wagtail_user_screens_obey_the_rank_rule(client, home_page, admins_in_teams):
    """A group that may manage users in Wagtail does not lift the rule: its members edit
    only people they outrank, never a higher administrator."""
    t = admins_in_teams
    staff = Group.objects.create(name="Nhân sự")
    staff.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="accounts", codename__in=["change_user", "delete_user"]
        ),
        Permission.objects.get(codename="access_admin"),
    )
    t.commune_admin.groups.add(staff)
    client.force_login(t.commune_admin)
    assert (
        client.get(reverse("wagtailusers_users:edit", args=[t.province_admin.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("wagtailusers_users:delete", args=[t.province_admin.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("accounts_admin:reset_password", args=[t.province_admin.pk])).status_code
        == 404
    )
    client.post(reverse("accounts_admin:reset_password", args=[t.province_admin.pk]))
    assert User.objects.get(pk=t.province_admin.pk).has_usable_password()
    bulk = (
        reverse("wagtail_bulk_action", args=["accounts", "user", "set_active_state"])
        + f"?id={t.province_admin.pk}"
    )
    client.post(bulk, {"mark_as_active": ""})
    assert User.objects.get(pk=t.province_admin.pk).is_active
    # people below them: allowed
    assert client.get(reverse("wagtailusers_users:edit", args=[t.member1.pk])).status_code == 200
    client.post(reverse("accounts_admin:reset_password", args=[t.member1.pk]))
    assert not User.objects.get(pk=t.member1.pk).has_usable_password()


def test_a_roster_file_cannot_edit_or_promote_someone_above_the_importer(admins_in_teams):
    t = admins_in_teams
    csv = (
        "Họ và tên,Số điện thoại,Mã đơn vị,Vai trò\n"
        f"Kẻ Chiếm Quyền,{t.commune_admin.phone},P-X-T1,Thành viên\n"
        f"Người Một,{t.member1.phone},P-X-T1,Tổ trưởng\n"
        f"Người Mới,0912000111,P-X-T1,Thành viên\n"
    ).encode()
    job = services.check_roster_file(by=t.leader, file_name="ds.csv", content=csv)
    assert [r["full_name"] for r in job.rows] == ["Người Mới"]
    assert [e["row"] for e in job.errors] == [2, 3]
