"""The check refuses, row by row, everything the database would refuse, so a file that
passes it cannot stop half-way; tried through the upload screen as a team leader."""

import io

import pytest
from django.urls import reverse

from accounts.models import ActivationCode, User
from organisations.models import Membership, RosterImport
from tests.organisations.test_roster_import import HEADER

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def upload(client, text: str, name="danh-sach.csv"):
    """As the screen does it; the worker's step runs in-process (tasks are eager here)."""
    file = io.BytesIO(text.encode())
    file.name = name
    response = client.post(reverse("organisations_admin:import_upload"), {"file": file})
    assert response.status_code == 302
    return RosterImport.objects.latest("pk")


def counts():
    return User.objects.count(), Membership.objects.count(), ActivationCode.objects.count()


def test_the_1200_row_roster_with_a_205_character_family_name_is_caught_at_the_check(
    client, home_page, tree
):
    client.force_login(tree.commune_admin)
    rows = [f"Trần Văn Số {n},097{n:07d},P-X-T1,Thành viên,," for n in range(1, 1201)]
    rows[1099] = f"{'Nguyễn' * 34} Bình,0971001100,P-X-T1,Thành viên,,"  # row 1,101
    before = counts()
    job = upload(client, "\n".join([HEADER, *rows]))
    assert job.status == RosterImport.Status.CHECKED
    assert [(e["row"], e["column"]) for e in job.errors] == [(1101, "Họ và tên")]
    assert "150" in job.errors[0]["message"] and "204" in job.errors[0]["message"]
    page = client.get(reverse("organisations_admin:import", args=[job.pk])).content.decode()
    assert "1101" in page and "Chỉ nhập 1199 dòng hợp lệ" in page
    client.post(
        reverse("organisations_admin:import", args=[job.pk]), {"members_informed": "1"}
    )  # refused: has errors
    assert counts() == before
    client.post(
        reverse("organisations_admin:import", args=[job.pk]),
        {"only_valid": "1", "members_informed": "1"},
    )
    job.refresh_from_db()
    assert (job.status, job.created_count) == ("DONE", 1199)
    assert counts()[0] == before[0] + 1199


@pytest.mark.parametrize(
    ("row", "column", "says"),
    [
        (f"{'Lê ' * 60}An,0971000001,P-X-T1,,,", "Họ và tên", "tối đa 150"),
        (f"Lê Văn An,0971000001,P-X-T1,,{'a' * 250}@example.com,", "Email", "254"),
        (f"Lê Văn An,0971000001,P-X-T1,,{'a' * 64}@{'b' * 250}.vn,", "Email", "hợp lệ"),
        ("Lê Văn An,0971000001,P-X-T1,,,31/02/1990", "Ngày sinh", "31/02/1990"),
    ],
)
def test_values_the_database_would_refuse_are_refused_at_the_check(
    client, home_page, tree, row, column, says
):
    client.force_login(tree.leader)  # a team leader imports into their own team
    before = counts()
    job = upload(client, f"{HEADER}\nTrần Thị Bé,0971000002,P-X-T1,,,\n{row}\n")
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, column)]
    assert says in job.errors[0]["message"]
    client.post(reverse("organisations_admin:import", args=[job.pk]))
    assert counts() == before


def test_a_nul_byte_refuses_the_file_naming_the_cell_and_a_duplicate_phone_the_row(
    client, home_page, tree
):
    client.force_login(tree.leader)
    before = counts()
    job = upload(
        client, f"{HEADER}\nTrần Thị Bé,0971000002,P-X-T1,,,\nLê\x00An,0971000003,P-X-T1,,,\n"
    )
    assert job.status == RosterImport.Status.FAILED
    assert "Dòng 3, cột A" in job.failure and "U+0000" in job.failure
    page = client.get(reverse("organisations_admin:import", args=[job.pk])).content.decode()
    assert "Dòng 3, cột A" in page and "Chạy tiếp" not in page
    job = upload(
        client, f"{HEADER}\nTrần Thị Bé,0971000002,P-X-T1,,,\nLê An,+84 971 000 002,P-X-T1,,,\n"
    )
    assert [(e["row"], e["message"]) for e in job.errors] == [
        (3, "Số điện thoại bị trùng với dòng 2.")
    ]
    assert counts() == before


def test_an_upload_over_5_mb_is_refused_while_it_streams_and_csrf_still_holds(
    client, home_page, tree
):
    from django.test import Client

    client.force_login(tree.leader)
    big = io.BytesIO(b"x" * (5 * 1024 * 1024 + 10))
    big.name = "lon.csv"
    response = client.post(reverse("organisations_admin:import_upload"), {"file": big})
    assert response.status_code == 200
    assert "lớn hơn 5 MB" in response.content.decode()
    assert not RosterImport.objects.exists()
    strict = Client(enforce_csrf_checks=True, HTTP_HOST="localhost")
    strict.force_login(tree.leader)
    small = io.BytesIO(f"{HEADER}\n".encode())
    small.name = "nho.csv"
    assert (
        strict.post(reverse("organisations_admin:import_upload"), {"file": small}).status_code
        == 403
    )
    assert not RosterImport.objects.exists()
