"""Personal data, in a real browser: a new member activates their account, reads and accepts
the privacy notice, sees what is held about them, downloads it, asks for a correction; their
team leader reads the request in the admin and answers it."""

import io
import json
import zipfile
from pathlib import Path

import pytest

from accounts import services as account_services
from organisations import services as org
from organisations.models import Role
from privacy.models import Consent, CorrectionRequest
from tests.e2e.conftest import fits_the_screen, log_in
from tests.organisations.conftest import tree  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NEW_PASSWORD = "Hoc-ky-nang-so-2026"


def test_a_new_member_accepts_the_notice_sees_downloads_and_corrects_their_data(
    live_server,
    home_page,
    tree,  # noqa: F811
    make_user,
    phone,
    desktop,
    settings,
):
    settings.PRIVACY_CONSENT_REQUIRED = True
    base = live_server.url
    member = make_user(full_name="Đỗ Thị Duyên", phone="+84911222333", username="duyen")
    member.set_unusable_password()
    member.save()
    org.assign_role(by=tree.root, user=member, unit=tree.t1, role=Role.MEMBER)
    code = account_services.issue_activation_code(user=member)

    # Activation: the code, a password, then the notice before anything else.
    log_in(phone, base, "0911 222 333", code.display_code)
    phone.wait_for_url("**/account/choose-password/")
    phone.get_by_label("Mật khẩu mới", exact=False).first.fill(NEW_PASSWORD)
    phone.get_by_label("Xác nhận mật khẩu mới", exact=False).fill(NEW_PASSWORD)
    phone.get_by_role("button", name="Lưu mật khẩu").click()
    phone.wait_for_url("**/privacy/**")
    assert "Thông báo xử lý dữ liệu cá nhân" in phone.content()
    assert fits_the_screen(phone)
    phone.goto(base + "/me/certificates/")  # nothing else opens
    phone.wait_for_url("**/privacy/**")
    phone.get_by_role("button", name="Đồng ý và tiếp tục").click()
    assert "Đánh dấu vào ô" in phone.content()  # not ticked: refused
    phone.get_by_label("Tôi đã đọc thông báo này", exact=False).check()
    phone.get_by_role("button", name="Đồng ý và tiếp tục").click()
    phone.wait_for_url("**/me/certificates/")
    assert Consent.objects.filter(user=member, notice__version=1).exists()

    # Their data, from the member menu.
    phone.goto(base + "/me/")
    phone.locator(".nav-menu summary").click()
    phone.locator(".nav-menu").get_by_role("link", name="Dữ liệu của tôi").click()
    phone.wait_for_url("**/me/data/")
    html = phone.content()
    assert "+84911222333" in html and "Tổ T1" in html and "Đỗ Thị" in html
    assert tree.member1.phone not in html
    assert fits_the_screen(phone)

    # One file, prepared in the background, with a progress page.
    phone.get_by_role("button", name="Chuẩn bị tệp của tôi").click()
    phone.wait_for_url("**/me/data/export/*/")
    assert phone.get_by_role("progressbar").count() == 1
    with phone.expect_download() as download:
        phone.get_by_role("link", name="Tải xuống dữ liệu của tôi (ZIP)").click()
    archive = zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes()))
    data = json.loads(archive.read("du-lieu-cua-toi.json"))
    assert data["sections"]["Thông tin cá nhân"]["Số điện thoại"] == "+84911222333"
    assert tree.member1.phone not in json.dumps(data)

    # A correction request.
    phone.goto(base + "/me/data/")
    phone.get_by_label("Điều gì sai và cần sửa thành gì").fill("Tên tôi là Đỗ Thị Duyên Anh.")
    phone.get_by_role("button", name="Gửi yêu cầu").click()
    assert "Yêu cầu của bạn đã được gửi" in phone.content()

    # The team leader sees it in the admin (after accepting the notice too) and answers.
    admin = desktop
    log_in(admin, base, "leader1", "Mat-khau-rat-dai-1")
    admin.goto(base + "/admin/privacy/corrections/")
    admin.wait_for_url("**/privacy/**")
    admin.get_by_label("Tôi đã đọc thông báo này", exact=False).check()
    admin.get_by_role("button", name="Đồng ý và tiếp tục").click()
    admin.wait_for_url("**/admin/privacy/corrections/")
    assert "Tên tôi là Đỗ Thị Duyên Anh." in admin.content()
    admin.get_by_role("link", name="Trả lời").first.click()
    admin.get_by_label("Trả lời thành viên").fill("Đã sửa tên của bạn.")
    admin.get_by_role("button", name="Đánh dấu đã xử lý và gửi câu trả lời").click()
    admin.wait_for_url("**/admin/privacy/corrections/")
    assert CorrectionRequest.objects.get().status == "HANDLED"

    phone.goto(base + "/me/data/")
    assert "Đã sửa tên của bạn." in phone.content()
