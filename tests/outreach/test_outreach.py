"""The outreach log on the member's screens: recording, validation, privacy, scope."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from organisations import services as org
from organisations.models import Role
from outreach.models import OutreachEntry
from outreach.privacy import looks_personal

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
MINE = reverse("outreach:mine")


def post(client, **overrides):
    data = {
        "helped_on": TODAY.isoformat(),
        "place": "",
        "kind": "VNEID",
        "residents": "3",
        "note": "",
    }
    data.update(overrides)
    return client.post(MINE, data)


def test_a_member_records_help_in_one_post(client, tree):
    client.force_login(tree.member1)
    page = client.get(MINE).content.decode()
    assert "Chỉ ghi số lượng: không ghi tên, số điện thoại hay số giấy tờ" in page
    assert f'value="{TODAY.isoformat()}"' in page  # the date defaults to today
    assert f'<option value="{tree.h.pk}" selected>' in page  # the team's own hamlet
    response = post(client, place=tree.h.pk, kind="SCAM", residents="12", note="Tại nhà văn hoá")
    assert response.status_code == 302
    entry = OutreachEntry.objects.get()
    assert (entry.user, entry.team, entry.place, entry.kind, entry.residents) == (
        tree.member1,
        tree.t1,
        tree.h,
        "SCAM",
        12,
    )
    html = client.get(MINE).content.decode()
    assert "Đã ghi: 12 người dân · Cảnh báo, trình báo lừa đảo" in html
    assert "Tuần này" in html and "<strong>12</strong>" in html


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"helped_on": (TODAY + datetime.timedelta(days=1)).isoformat()},
            "Không được chọn ngày trong tương lai.",
        ),
        (
            {"helped_on": (TODAY - datetime.timedelta(days=61)).isoformat()},
            "Chỉ ghi được các lượt hỗ trợ trong 60 ngày gần nhất.",
        ),
        ({"residents": "0"}, "Hãy nhập số người dân, từ 1 đến 500."),
        ({"residents": "501"}, "Hãy nhập số người dân, từ 1 đến 500."),
        ({"kind": "BRIBE"}, "Hãy chọn loại hỗ trợ."),
        ({"note": "x" * 301}, "Ghi chú dài tối đa 300 ký tự."),
    ],
)
def test_bad_input_is_refused_in_vietnamese_and_saves_nothing(client, tree, overrides, message):
    client.force_login(tree.member1)
    response = post(client, place=tree.h.pk, **overrides)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not OutreachEntry.objects.exists()


def test_a_hamlet_outside_the_members_commune_is_refused(client, tree):
    client.force_login(tree.member1)
    response = post(client, place=tree.y.pk)
    assert response.status_code == 400
    assert not OutreachEntry.objects.exists()


@pytest.mark.parametrize(
    "note",
    [
        "Hướng dẫn chú Tư, sđt 0912 345 678",
        "gọi lại +84 912345678",
        "CCCD 079123456789",
        "CMND 381.234.567",
        "bà Nguyễn Thị Lan cài VNeID",
        "Anh Bình ở tổ 3",
        "email lan.nguyen@gmail.com",
    ],
)
def test_no_field_takes_a_residents_name_or_phone(client, tree, note):
    client.force_login(tree.member1)
    response = post(client, place=tree.h.pk, note=note)
    assert response.status_code == 400
    assert "Không ghi tên, số điện thoại hay số giấy tờ của người dân" in response.content.decode()
    assert not OutreachEntry.objects.exists()


def test_fields_other_than_the_counts_are_ignored(client, tree):
    client.force_login(tree.member1)
    form_html = client.get(MINE).content.decode()
    names = set(__import__("re").findall(r'name="([^"]+)"', form_html))
    assert names >= {"helped_on", "place", "kind", "residents", "note"}
    assert not {n for n in names if "phone" in n or "name" in n or "cccd" in n}
    response = post(
        client,
        place=tree.h.pk,
        note="bà con ấp H, 12 hộ",
        resident_name="Nguyễn Thị Lan",
        name="Nguyễn Thị Lan",
        phone="0912345678",
        resident_phone="0912345678",
    )
    assert response.status_code == 302
    entry = OutreachEntry.objects.get()
    stored = " ".join(str(v) for v in OutreachEntry.objects.values().get().values())
    assert "Lan" not in stored and "0912345678" not in stored
    assert entry.note == "bà con ấp H, 12 hộ"
    assert {f.name for f in OutreachEntry._meta.get_fields()} == {
        "id",
        "user",
        "team",
        "place",
        "helped_on",
        "kind",
        "residents",
        "note",
        "created_at",
        "corrected_by",
        "corrected_at",
    }


def test_notes_about_counts_and_residents_in_general_pass():
    for note in (
        "bà con ấp H",
        "hướng dẫn 12 hộ, 2 buổi",
        "Tại nhà văn hoá 15/10/2024",
        "ông bà cao tuổi",
    ):
        assert not looks_personal(note), note


def test_someone_outside_any_team_cannot_record(client, make_user, tree):
    outsider = make_user(username="khach", phone="+84900000055")
    client.force_login(outsider)
    response = client.get(MINE)
    assert response.status_code == 403
    assert "Chỉ thành viên Tổ công nghệ số cộng đồng" in response.content.decode()


def test_entries_are_scoped_like_every_other_record(client, tree, entries, make_user):
    own, neighbour, far = entries["member1"], entries["member2"], entries["member3"]
    edit = lambda entry: reverse("outreach:edit", args=[entry.pk])  # noqa: E731
    delete = lambda entry: reverse("outreach:delete", args=[entry.pk])  # noqa: E731
    # A member: their own only.
    client.force_login(tree.member1)
    assert client.get(edit(own)).status_code == 200
    assert client.get(edit(neighbour)).status_code == 404
    assert client.post(delete(neighbour)).status_code == 404
    assert client.get(reverse("outreach:team")).status_code == 404
    mine = client.get(MINE).content.decode()
    assert (
        "Cảnh báo, trình báo lừa đảo" in mine
        and "Cài đặt thanh toán" not in mine.split("Các lượt tôi đã ghi")[1]
    )
    # A team leader: their team's (and corrects it), not another team's.
    client.force_login(tree.leader)
    assert client.get(edit(neighbour)).status_code == 404
    team = client.get(reverse("outreach:team")).content.decode()
    assert "Người member1" in team and "Người member2" not in team
    response = client.post(
        edit(own),
        {
            "helped_on": own.helped_on.isoformat(),
            "place": tree.h.pk,
            "kind": "SCAM",
            "residents": "6",
            "note": "",
        },
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.residents, own.corrected_by) == (6, tree.leader)
    # A commune administrator: the commune's; another commune's is not found.
    client.force_login(tree.commune_admin)
    assert client.get(edit(neighbour)).status_code == 200
    assert client.get(edit(far)).status_code == 404
    assert client.post(delete(far)).status_code == 404
    listing = client.get(reverse("outreach_admin:index")).content.decode()
    assert (
        "Người member1" in listing and "Người member2" in listing and "Người member3" not in listing
    )
    # A province administrator: everything in the province.
    client.force_login(tree.province_admin)
    listing = client.get(reverse("outreach_admin:index")).content.decode()
    assert "Người member3" in listing
    assert OutreachEntry.objects.count() == 3
    # The owner deletes their own.
    client.force_login(tree.member3)
    assert client.post(delete(far)).status_code == 302
    assert not OutreachEntry.objects.filter(pk=far.pk).exists()


def test_an_old_entry_can_be_corrected_without_moving_its_date(client, tree):
    from tests.outreach.conftest import add_entry

    old = add_entry(tree.member1, tree.t1, tree.h, residents=2, days_ago=90)
    client.force_login(tree.leader)
    response = client.post(
        reverse("outreach:edit", args=[old.pk]),
        {
            "helped_on": old.helped_on.isoformat(),
            "place": tree.h.pk,
            "kind": "APP",
            "residents": "3",
        },
    )
    assert response.status_code == 302
    old.refresh_from_db()
    assert (old.kind, old.residents) == ("APP", 3)


def test_a_member_who_moved_keeps_their_history_under_the_old_team(client, tree, entries):
    org.assign_role(by=tree.root, user=tree.member1, unit=tree.t3, role=Role.MEMBER)
    client.force_login(tree.member1)
    response = post(client, place=tree.y.pk, kind="APP", residents="1")
    assert response.status_code == 302
    assert list(
        OutreachEntry.objects.filter(user=tree.member1)
        .order_by("pk")
        .values_list("team__code", flat=True)
    ) == ["P-X-T1", "P-Y-T3"]
