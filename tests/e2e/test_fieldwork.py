"""Field work in a real browser: the trainer shows the session's QR code, a member scans it
(the test decodes it from a screenshot of the trainer's page), logs in on a 360 px phone
without JavaScript and checks in, then records three helps given to residents."""

from io import StringIO

import pytest
import zxingcpp
from django.core.management import call_command
from PIL import Image
from playwright.sync_api import expect

from accounts.models import User
from outreach.models import OutreachEntry
from tests.e2e.conftest import fits_the_screen
from training.models import Attendance, TrainingSession

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_member_scans_the_session_code_then_logs_three_helps(
    live_server, browser, phone_without_js, settings, tmp_path
):
    call_command("seed_demo", stdout=StringIO())
    settings.WAGTAILADMIN_BASE_URL = live_server.url  # the address phones reach
    session = TrainingSession.objects.get(title="Buổi thực hành điểm danh bằng mã QR")
    member = User.objects.get(username="0390000044")  # invited: team VL-X02-T01

    # The trainer opens the running session in the admin, on a laptop.
    laptop = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    trainer = laptop.new_page()
    trainer.goto(live_server.url + "/admin/login/")
    trainer.locator("input[name=username]").fill("trainer")
    trainer.locator("input[name=password]").fill("hocso2026")
    trainer.locator("form button[type=submit]").first.click()
    trainer.wait_for_url("**/admin/")
    trainer.goto(f"{live_server.url}/admin/sessions/{session.pk}/")
    qr = trainer.locator(".checkin-qr svg")
    qr.wait_for()
    shot = tmp_path / "qr.png"
    qr.screenshot(path=str(shot))
    found = zxingcpp.read_barcodes(Image.open(shot))
    assert len(found) == 1
    url = found[0].text
    assert url.startswith(f"{live_server.url}/sessions/{session.pk}/check-in/")
    laptop.close()

    # The member's phone camera opens the code's address: log in, come back, confirm.
    page = phone_without_js
    page.goto(url)
    page.wait_for_url("**/account/login/**")
    page.get_by_label("Số điện thoại hoặc tên đăng nhập").fill("0390 000 044")
    page.get_by_label("Mật khẩu hoặc mã kích hoạt").fill("hocso2026")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(url)
    assert fits_the_screen(page)
    page.get_by_role("button", name="Tôi có mặt").click()
    page.wait_for_url(f"**/sessions/{session.pk}/")
    assert "Bạn đã điểm danh lúc" in page.content()
    assert Attendance.objects.filter(session=session, user=member, method="QR").count() == 1

    # Three helps given this week, each in one form post.
    before = OutreachEntry.objects.filter(user=member).count()
    page.goto(live_server.url + "/me/")
    page.get_by_role("link", name="Ghi nhật ký hỗ trợ").click()
    page.wait_for_url("**/me/outreach/")
    assert fits_the_screen(page)
    for kind, residents in (
        ("Kích hoạt VNeID mức 2", "3"),
        ("Cảnh báo, trình báo lừa đảo", "12"),
        ("Cài đặt thanh toán không dùng tiền mặt", "1"),
    ):
        page.get_by_role("radio", name=kind).check()
        page.get_by_label("Số người dân", exact=True).fill(residents)
        page.get_by_role("button", name="Ghi lại").click()
        page.wait_for_url("**/me/outreach/")
        assert f"Đã ghi: {residents} người dân · {kind}" in page.content()
        assert fits_the_screen(page)
    page.screenshot(path=str(tmp_path / "outreach.png"), full_page=True)
    added = OutreachEntry.objects.filter(user=member).order_by("-pk")[:3]
    assert OutreachEntry.objects.filter(user=member).count() == before + 3
    assert sorted((e.kind, e.residents) for e in added) == [
        ("CASHLESS", 1),
        ("SCAM", 12),
        ("VNEID", 3),
    ]
    assert {e.team.code for e in added} == {"VL-X02-T01"}
    # A phone number in the note is refused with a message, and nothing is saved.
    page.get_by_role("radio", name="Kích hoạt VNeID mức 2").check()
    page.get_by_label("Ghi chú ngắn (không bắt buộc)").fill("chị Lan 0912 345 678")
    page.get_by_role("button", name="Ghi lại").click()
    expect(
        page.get_by_text("Không ghi tên, số điện thoại hay số giấy tờ của người dân").first
    ).to_be_visible()
    assert OutreachEntry.objects.filter(user=member).count() == before + 3
