"""A correction request reaches only the administrators whose area covers the member
(their team leader, the commune and province administrators), who answer it in the admin."""

import pytest
from django.urls import reverse

from organisations import services as org
from organisations.models import Role
from privacy.models import CorrectionRequest

pytestmark = pytest.mark.django_db

TEXT = "Ngày sinh của tôi là 12/03/1990, không phải 21/03/1990."


@pytest.fixture
def other_commune_admin(tree, make_user):
    admin = make_user(username="yadmin", phone="+84900000010", full_name="Người yadmin")
    org.assign_role(by=tree.root, user=admin, unit=tree.y, role=Role.UNIT_ADMIN)
    return admin


def test_a_request_reaches_only_the_members_administrators(
    client, tree, home_page, other_commune_admin
):
    client.force_login(tree.member1)
    sent = client.post(reverse("privacy:correction"), {"text": TEXT})
    assert sent.status_code == 302
    request = CorrectionRequest.objects.get()
    assert (request.member, request.text, request.status) == (tree.member1, TEXT, "OPEN")
    listing = reverse("privacy_admin:corrections")
    detail = reverse("privacy_admin:correction", args=[request.pk])
    for admin in (tree.leader, tree.commune_admin, tree.province_admin):
        client.force_login(admin)
        assert TEXT[:40] in client.get(listing).content.decode(), admin.username
        assert client.get(detail).status_code == 200
    for outsider in (other_commune_admin,):
        client.force_login(outsider)
        assert TEXT[:40] not in client.get(listing).content.decode()
        assert client.get(detail).status_code == 404
        assert client.post(detail, {"reply": "Đã sửa"}).status_code == 404
    for member in (tree.member2, tree.member1):
        client.force_login(member)
        assert client.get(listing).status_code == 302  # not let into the admin
    assert CorrectionRequest.objects.get().status == "OPEN"


def test_the_leader_answers_and_the_member_reads_the_reply(client, tree, home_page):
    client.force_login(tree.member1)
    client.post(reverse("privacy:correction"), {"text": TEXT})
    request = CorrectionRequest.objects.get()
    detail = reverse("privacy_admin:correction", args=[request.pk])
    client.force_login(tree.leader)
    empty = client.post(detail, {"reply": "  "})
    assert empty.status_code == 400
    assert "Hãy viết câu trả lời" in empty.content.decode()
    assert CorrectionRequest.objects.get().status == "OPEN"
    done = client.post(detail, {"reply": "Đã sửa ngày sinh thành 12/03/1990."})
    assert done.headers["Location"] == reverse("privacy_admin:corrections")
    request.refresh_from_db()
    assert (request.status, request.handled_by, request.reply) == (
        "HANDLED",
        tree.leader,
        "Đã sửa ngày sinh thành 12/03/1990.",
    )
    assert request.handled_at is not None
    assert client.post(detail, {"reply": "Lần nữa"}).status_code == 400  # once
    client.force_login(tree.member1)
    page = client.get(reverse("privacy:my_data")).content.decode()
    assert "Đã xử lý" in page and "Đã sửa ngày sinh thành 12/03/1990." in page


def test_an_empty_request_is_refused_with_a_message(client, tree, home_page):
    client.force_login(tree.member1)
    response = client.post(reverse("privacy:correction"), {"text": "   "})
    assert response.status_code == 400
    assert "Hãy cho biết điều gì sai" in response.content.decode()
    too_long = client.post(reverse("privacy:correction"), {"text": "x" * 2001})
    assert too_long.status_code == 400 and "2000" in too_long.content.decode()
    assert not CorrectionRequest.objects.exists()
