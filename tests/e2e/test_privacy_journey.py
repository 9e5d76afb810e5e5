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


def test_an_administrator_ends_the_membership_then_erases_and_nothing_revives_the_account(
    live_server,
    home_page,
    tree,  # noqa: F811
    desktop,
    phone,
):
    """The commune administrator is told to end the membership first, does it on the member
    page, erases the departed member; the member cannot log in any more and the superuser's
    member page offers nothing but the notice of the erasure."""
    from accounts.models import User

    base = live_server.url
    member = tree.member1
    admin = desktop
    log_in(admin, base, "xadmin", "Mat-khau-rat-dai-1")
    admin.goto(base + "/admin/privacy/erase/")
    admin.get_by_label("Họ tên hoặc số điện thoại").fill("0900000004")
    with admin.expect_navigation():
        admin.get_by_role("button", name="Tìm").click()
    assert "vẫn đang là thành viên của một tổ" in admin.content()
    assert admin.get_by_role("link", name="Xoá…").count() == 0

    admin.goto(base + f"/admin/org/members/{member.pk}/")
    with admin.expect_navigation():
        admin.get_by_role("button", name="Kết thúc").first.click()
    admin.goto(base + "/admin/privacy/erase/?q=0900000004")
    with admin.expect_navigation():
        admin.get_by_role("link", name="Xoá…").click()
    admin.get_by_label("Lý do (được lưu trong nhật ký)").fill(
        "Thành viên đã rời tổ và đề nghị xoá dữ liệu."
    )
    admin.get_by_label("Tôi hiểu rằng việc này không thể hoàn tác.").check()
    with admin.expect_navigation():
        admin.get_by_role("button", name="Xoá dữ liệu cá nhân").click()
    assert "Dữ liệu cá nhân của thành viên đã được xoá." in admin.content()
    assert f"#{member.pk}" in admin.content()
    assert User.objects.get(pk=member.pk).erased_at is not None

    log_in(phone, base, f"da-xoa-{member.pk}", "Mat-khau-rat-dai-1")
    assert "/account/login/" in phone.url

    admin.context.clear_cookies()
    log_in(admin, base, "root", "Mat-khau-rat-dai-1")
    admin.goto(base + f"/admin/org/members/{member.pk}/")
    html = admin.content()
    assert "Đã xoá dữ liệu theo yêu cầu" in html
    assert admin.get_by_role("button", name="Cấp mã kích hoạt mới").count() == 0
    assert admin.locator('input[name="full_name"]').count() == 0
