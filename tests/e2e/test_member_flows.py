"""What a member does on a 360 px phone, in a real browser."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts import services as account_services
from accounts.models import User
from courses.models import CourseCompletion, LessonPage, LessonProgress
from tests.e2e.conftest import fits_the_screen

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NEW_PASSWORD = "Hoc-ky-nang-so-2026"


@pytest.fixture
def demo(live_server):
    from io import StringIO

    call_command("seed_demo", stdout=StringIO())
    return live_server.url


def test_new_member_logs_in_with_an_activation_code(demo, phone):
    member = User.objects.filter(
        phone__isnull=False, is_staff=False, activation_codes__code__gt=""
    ).first()
    code = account_services.issue_activation_code(user=member)
    national = "0" + member.phone.removeprefix("+84")
    spaced = f"{national[:4]} {national[4:7]} {national[7:]}"

    phone.goto(demo + "/account/login/")
    assert phone.locator("html").get_attribute("lang") == "vi"
    phone.get_by_label("Số điện thoại hoặc tên đăng nhập").fill(spaced)
    phone.get_by_label("Mật khẩu hoặc mã kích hoạt").fill(code.display_code)
    phone.get_by_role("button", name="Đăng nhập").click()
    phone.wait_for_url("**/account/choose-password/")
    assert fits_the_screen(phone)
    phone.get_by_label("Mật khẩu mới", exact=False).first.fill(NEW_PASSWORD)
    phone.get_by_label("Xác nhận mật khẩu mới", exact=False).fill(NEW_PASSWORD)
    phone.get_by_role("button", name="Lưu mật khẩu").click()
    phone.wait_for_url(demo + "/me/")  # "Học tập của tôi"
    assert "Đã đặt mật khẩu" in phone.content()
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)


def test_member_studies_a_lesson_without_javascript(demo, phone_without_js):
    page = phone_without_js
    member = User.objects.get(username="0390000044")
    lesson = LessonPage.objects.live().get(title="Kích hoạt tài khoản mức 2")

    page.goto(demo + "/account/login/")
    page.get_by_label("Số điện thoại hoặc tên đăng nhập").fill("0390000044")
    page.get_by_label("Mật khẩu hoặc mã kích hoạt").fill("hocso2026")
    page.get_by_role("button", name="Đăng nhập").click()

    page.goto(demo + "/courses/")
    assert "VNeID và dịch vụ công trực tuyến" in page.content()
    page.goto(demo + lesson.url)
    assert fits_the_screen(page)
    assert page.locator(".block-steps .step").count() == 4
    # The knowledge check answers without JavaScript: a GET round trip.
    page.get_by_label("6 chữ số").check()
    page.get_by_role("button", name="Kiểm tra đáp án").click()
    # expect() waits for the new page: content() could read it half-parsed on a busy machine
    expect(page.get_by_role("status").filter(has_text="Chính xác!")).to_be_visible()

    page.get_by_role("button", name="Hoàn thành bài học").click()
    expect(page.get_by_text("Đã hoàn thành bài học").first).to_be_visible()
    assert LessonProgress.objects.get(user=member, lesson=lesson).completed_at is not None

    page.goto(demo + lesson.get_parent().url)
    progress = page.locator("progress.progress").first.get_attribute("value")
    assert progress == "25"  # 1 of the 4 lessons
    assert not CourseCompletion.objects.filter(user=member).exists()
    page.goto(demo + "/me/")
    assert "Học tiếp" in page.content()
