import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import User
from organisations import services

pytestmark = pytest.mark.django_db


def test_leader_downloads_team_codes_and_a_member_logs_in_with_one(client, home_page, tree):
    newcomer = services.add_member(
        by=tree.leader, unit=tree.t1, full_name="Đặng Thị Hồng", phone="0913 222 111"
    )
    services.add_member(
        by=tree.commune_admin, unit=tree.t2, full_name="Ở Tổ Khác", phone="0913 222 999"
    )
    client.force_login(tree.leader)
    response = client.get(reverse("organisations_admin:activation_codes", args=[tree.t1.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert [row[1] for row in rows] == ["Đặng Thị Hồng"]  # only their own team
    code = rows[0][3]

    client.logout()
    response = client.post("/account/login/", {"username": "0913222111", "password": code})
    assert response["Location"] == reverse("accounts:choose_password")
    client.post(
        reverse("accounts:choose_password"),
        {"new_password1": "Hoc-ky-nang-so-2026", "new_password2": "Hoc-ky-nang-so-2026"},
    )
    assert User.objects.get(pk=newcomer.pk).check_password("Hoc-ky-nang-so-2026")
    # A used code is no longer in the team's list.
    client.force_login(tree.leader)
    sheet = load_workbook(
        io.BytesIO(
            client.get(reverse("organisations_admin:activation_codes", args=[tree.t1.pk])).content
        )
    ).active
    assert sheet.max_row == 1


def test_leader_cannot_add_members_to_another_team(client, home_page, tree):
    client.force_login(tree.leader)
    response = client.post(
        reverse("organisations_admin:member_add", args=[tree.t2.pk]),
        {"full_name": "Xâm Nhập", "phone": "0913000000", "role": "MEMBER"},
    )
    assert response.status_code == 404
    assert not User.objects.filter(phone="+84913000000").exists()


def test_deactivated_member_cannot_log_in(client, home_page, tree):
    client.force_login(tree.commune_admin)
    tree.member1.set_password("Mat-khau-rat-dai-1")
    tree.member1.save()
    client.post(
        reverse("organisations_admin:member_set_active", args=[tree.member1.pk]), {"active": "0"}
    )
    client.logout()
    response = client.post(
        "/account/login/", {"username": "member1", "password": "Mat-khau-rat-dai-1"}
    )
    assert response.status_code == 200
