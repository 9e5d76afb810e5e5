"""The scope matrix: each kind of viewer against objects inside and outside their area."""

import re

import pytest
from django.urls import reverse

from organisations.selectors import members_visible_to, units_visible_to

pytestmark = pytest.mark.django_db

# viewer -> (units they must see, units they must not see)
UNIT_MATRIX = {
    "province_admin": ({"P", "P-X", "P-Y", "P-X-H", "P-X-T1", "P-X-T2", "P-Y-T3"}, set()),
    "commune_admin": ({"P-X", "P-X-H", "P-X-T1", "P-X-T2"}, {"P", "P-Y", "P-Y-T3"}),
    "leader": ({"P-X-T1"}, {"P", "P-X", "P-X-H", "P-X-T2", "P-Y", "P-Y-T3"}),
    "member1": (set(), {"P", "P-X", "P-X-H", "P-X-T1", "P-X-T2", "P-Y", "P-Y-T3"}),
}
MEMBER_MATRIX = {
    "province_admin": ({"member1", "member2", "member3", "leader1"}, set()),
    "commune_admin": ({"member1", "member2", "leader1"}, {"member3"}),
    "leader": ({"member1", "leader1"}, {"member2", "member3"}),
    "member1": (set(), {"member1", "member2", "member3"}),
}


@pytest.mark.parametrize("viewer", UNIT_MATRIX)
def test_units_visible_to(tree, viewer):
    inside, outside = UNIT_MATRIX[viewer]
    codes = set(units_visible_to(getattr(tree, viewer)).values_list("code", flat=True))
    assert inside <= codes
    assert not (outside & codes)


@pytest.mark.parametrize("viewer", MEMBER_MATRIX)
def test_members_visible_to(tree, viewer):
    inside, outside = MEMBER_MATRIX[viewer]
    usernames = set(members_visible_to(getattr(tree, viewer)).values_list("username", flat=True))
    assert inside <= usernames
    assert not (outside & usernames)


def test_superuser_sees_everything(tree):
    assert units_visible_to(tree.root).count() == 7


def units_by_code(tree):
    return {u.code: u for u in (tree.p, tree.x, tree.y, tree.h, tree.t1, tree.t2, tree.t3)}


@pytest.mark.parametrize("viewer", ["province_admin", "commune_admin", "leader"])
def test_admin_screens_404_outside_scope(client, home_page, tree, viewer):
    client.force_login(getattr(tree, viewer))
    inside, outside = UNIT_MATRIX[viewer]
    units = units_by_code(tree)
    for code in inside:
        assert (
            client.get(reverse("organisations_admin:unit", args=[units[code].pk])).status_code
            == 200
        ), code
    for code in outside:
        assert (
            client.get(reverse("organisations_admin:unit", args=[units[code].pk])).status_code
            == 404
        ), code
        assert (
            client.get(
                reverse("organisations_admin:activation_codes", args=[units[code].pk])
            ).status_code
            == 404
        )
    members_inside, members_outside = MEMBER_MATRIX[viewer]
    people = {u.username: u for u in (tree.member1, tree.member2, tree.member3, tree.leader)}
    for username in members_inside & set(people):
        assert (
            client.get(
                reverse("organisations_admin:member", args=[people[username].pk])
            ).status_code
            == 200
        )
    for username in members_outside:
        target = people[username]
        assert (
            client.get(reverse("organisations_admin:member", args=[target.pk])).status_code == 404
        )
        assert (
            client.post(
                reverse("organisations_admin:member_new_code", args=[target.pk])
            ).status_code
            == 404
        )
        response = client.post(
            reverse("organisations_admin:member", args=[target.pk]),
            {"full_name": "Đổi Tên", "phone": "0911111111"},
        )
        assert response.status_code == 404
        target.refresh_from_db()
        assert target.full_name != "Đổi Tên"


def test_plain_member_gets_nothing(client, home_page, tree):
    client.force_login(tree.member1)
    assert client.get(reverse("organisations_admin:index")).status_code in (302, 403, 404)
    assert client.get(reverse("organisations_admin:unit", args=[tree.t1.pk])).status_code in (
        302,
        403,
        404,
    )


def test_search_stays_in_scope(client, home_page, tree):
    client.force_login(tree.commune_admin)
    html = client.get(reverse("organisations_admin:search"), {"q": "Người"}).content.decode()
    assert "Người member1" in html
    assert "Người member3" not in html
    html = client.get(reverse("organisations_admin:search"), {"q": "0900 000 006"}).content.decode()
    assert "Người member3" not in html


def test_commune_admin_cannot_move_a_member_into_another_commune(client, home_page, tree):
    client.force_login(tree.commune_admin)
    client.post(
        reverse("organisations_admin:member_assign_role", args=[tree.member1.pk]),
        {"unit_code": "P-Y-T3", "role": "MEMBER"},
    )
    from organisations.models import Membership

    assert not Membership.objects.filter(user=tree.member1, unit=tree.t3).exists()


def test_unit_page_counts_members_per_child(client, home_page, tree):
    client.force_login(tree.province_admin)
    response = client.get(reverse("organisations_admin:unit", args=[tree.p.pk]))
    children = {child.code: count for child, count in response.context["children"]}
    assert children["P-X"] == {"members": 3, "teams": 2}
    assert children["P-Y"] == {"members": 1, "teams": 1}


@pytest.mark.parametrize("viewer", ["province_admin", "commune_admin", "leader"])
def test_an_admin_page_reads_the_viewers_roles_once(client, tree, viewer):
    """The admin menu's items (reports, sessions, access log, erasure, retention, extra
    attempts), the access check and the view all ask where the viewer may look: one read
    of their memberships answers them all."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = getattr(tree, viewer)
    client.force_login(user)
    client.get("/admin/reports/")  # warm: the site, the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/admin/reports/")
    assert response.status_code == 200
    of_the_viewer = re.compile(rf'"user_id" = {user.pk}\b')
    reads = [
        q["sql"]
        for q in queries.captured_queries
        if '"organisations_membership"' in q["sql"] and of_the_viewer.search(q["sql"])
    ]
    assert len(reads) == 1, reads
