"""“Dữ liệu của tôi”: the member sees everything held about them and downloads it as one
ZIP (JSON + XLSX) built in the background: exactly their data, nobody else's."""

import io
import json
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from privacy.models import DataExport

pytestmark = pytest.mark.django_db


def _others(tree):
    return [tree.member2, tree.member3, tree.leader, tree.commune_admin]


def test_the_page_shows_everything_held_and_nothing_of_anyone_else(client, tree, held):
    client.force_login(held.member)
    page = client.get(reverse("privacy:my_data"))
    assert page.status_code == 200
    html = page.content.decode()
    for expected in (
        "Dữ liệu của tôi",
        "+84900000004",  # profile
        "Tổ T1",  # unit and role
        "Thành viên",
        "Kiểm tra A",  # quiz attempts
        held.certificate.display_code,
        "Buổi tập huấn VNeID",  # session attended
        "Giúp bà Năm",  # help given
        "Tập huấn mới: Đợt 1",  # notification
    ):
        assert expected in html, expected
    for other in _others(tree):
        assert other.phone not in html
        assert other.username not in html
    assert "no-store" in page["Cache-Control"]


def test_the_member_menu_links_to_it(client, tree, held):
    client.force_login(held.member)
    assert reverse("privacy:my_data") in client.get(reverse("certificates:mine")).content.decode()


def test_the_download_holds_exactly_the_members_data(
    client, tree, held, django_capture_on_commit_callbacks
):
    client.force_login(held.member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("privacy:export_create"))
    export = DataExport.objects.get(created_by=held.member)
    assert response.headers["Location"] == reverse("privacy:export", args=[export.pk])
    progress = client.get(response.headers["Location"]).content.decode()
    assert 'role="progressbar"' in progress and 'aria-valuenow="100"' in progress
    download = client.get(reverse("privacy:export_download", args=[export.pk]))
    assert download.status_code == 200
    assert "no-store" in download["Cache-Control"]
    content = b"".join(download.streaming_content)
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert sorted(archive.namelist()) == [
        "doc-truoc.txt",
        "du-lieu-cua-toi.json",
        "du-lieu-cua-toi.xlsx",
    ]
    raw = archive.read("du-lieu-cua-toi.json").decode()
    data = json.loads(raw)["sections"]
    assert data["Thông tin cá nhân"]["Số điện thoại"] == "+84900000004"
    assert [m["Đơn vị"] for m in data["Đơn vị và vai trò"]] == ["Tổ T1"]
    assert len(data["Lượt làm bài kiểm tra"]) == 2
    assert [c["Số chứng chỉ"] for c in data["Chứng chỉ"]] == [held.certificate.display_code]
    assert data["Buổi tập huấn đã tham dự"][0]["Lớp tập huấn"] == "Buổi tập huấn VNeID"
    assert data["Nhật ký hỗ trợ người dân"][0]["Số người dân được hỗ trợ"] == 4
    assert len(data["Thông báo"]) == 1
    workbook = load_workbook(io.BytesIO(archive.read("du-lieu-cua-toi.xlsx")), read_only=True)
    assert "Thông tin cá nhân" in workbook.sheetnames and "Chứng chỉ" in workbook.sheetnames
    cells = " ".join(
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )
    assert "+84900000004" in cells and held.certificate.display_code in cells
    for other in _others(tree):
        assert other.phone not in raw and other.phone not in cells
        assert other.username not in raw and other.username not in cells


def test_nobody_else_opens_or_downloads_the_copy(
    client, tree, held, django_capture_on_commit_callbacks
):
    client.force_login(held.member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("privacy:export_create"))
    export = DataExport.objects.get()
    for someone in (tree.member2, tree.leader, tree.province_admin):
        client.force_login(someone)
        assert client.get(reverse("privacy:export", args=[export.pk])).status_code == 404
        download = client.get(reverse("privacy:export_download", args=[export.pk]))
        assert download.status_code == 404
    client.logout()
    assert client.get(reverse("privacy:export_download", args=[export.pk])).status_code == 302


def test_the_keep_my_name_choice_is_saved(client, tree, held):
    client.force_login(held.member)
    client.post(reverse("privacy:choices"), {"keep_name": "1"})
    assert (
        'name="keep_name" value="1" checked'
        in client.get(reverse("privacy:my_data")).content.decode()
    )
    client.post(reverse("privacy:choices"), {})
    assert "checked" not in client.get(reverse("privacy:my_data")).content.decode()
