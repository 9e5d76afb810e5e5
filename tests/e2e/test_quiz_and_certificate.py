"""Issues 5, 6 and 17 end to end, in Chromium at 360 px with JavaScript turned off: moving
between questions saves, submitting goes through the check page, the review says in words
what was chosen and what was right."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.models import User
from certificates import services as certificate_services
from certificates.models import Certificate
from courses import services as course_services
from courses.models import CourseCompletion, CoursePage, LessonPage
from quizzes.models import Attempt, QuizPage
from tests.e2e.conftest import fits_the_screen

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def demo(live_server):
    call_command("seed_demo", stdout=io.StringIO())
    return live_server.url


def answer_page(page, attempt, *, right: bool):
    """Answer the question on screen (one per screen) and go on with "Lưu và sang câu tiếp"."""
    number = int(re.search(r"q=(\d+)", page.url).group(1)) if "q=" in page.url else 1
    item = attempt.served[number - 1]
    wanted = [c for c in item["choices"] if c["correct"] == right][
        : 1 if item["kind"] != "MULTIPLE" or not right else None
    ]
    for choice in wanted:
        page.locator(f'input[name="q-{item["question"]}"][value="{choice["id"]}"]').check()
    if number < len(attempt.served):
        page.get_by_role("button", name=re.compile("Lưu và sang câu tiếp")).click()


def take_quiz(page, demo, quiz, member, *, right: bool, shots=None):
    page.goto(demo + quiz.url)
    start = page.get_by_role("button", name=re.compile("Bắt đầu làm bài|Làm lại"))
    if start.count():
        start.click()
    else:
        page.get_by_role("link", name="Làm tiếp bài đang dở").click()
    page.wait_for_url("**/quiz/attempts/**")
    attempt = Attempt.objects.filter(user=member, quiz=quiz).order_by("-number").first()
    assert fits_the_screen(page)
    for _ in attempt.served:
        answer_page(page, attempt, right=right)
    if shots:
        shots.take(page, "lam-bai-khong-js")
    page.get_by_role("button", name="Nộp bài…").click()  # saves the last answer too
    expect(page.get_by_text("Bạn đã trả lời cả").first).to_be_visible()
    if shots:
        shots.take(page, "kiem-tra-truoc-khi-nop-khong-js")
    page.get_by_role("button", name="Nộp bài ngay").click()
    return attempt


def test_member_fails_reviews_passes_and_gets_a_checkable_certificate(
    demo, phone_without_js, screenshots
):
    page = phone_without_js
    member = User.objects.get(username="0390000044")
    course = CoursePage.objects.get(slug="nhan-dien-lua-dao-truc-tuyen")
    for lesson in LessonPage.objects.live().child_of(course):
        course_services.start_lesson(user=member, lesson=lesson)
        course_services.complete_lesson(user=member, lesson=lesson)
    quiz = QuizPage.objects.live().child_of(course).get()

    page.goto(demo + "/account/login/")
    page.get_by_label("Số điện thoại hoặc tên đăng nhập").fill("0390000044")
    page.get_by_label("Mật khẩu hoặc mã kích hoạt").fill("hocso2026")
    page.get_by_role("button", name="Đăng nhập").click()

    # Without JavaScript, a question number saves the choice made before it is tapped.
    page.goto(demo + quiz.url)
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    attempt = Attempt.objects.get(user=member, quiz=quiz)
    first = attempt.served[0]
    page.locator(f'input[name="q-{first["question"]}"]').first.check()
    page.locator('button.qnum[value="3"]').click()
    assert "?q=3" in page.url
    assert attempt.responses.get().question_id == first["question"]
    page.locator('button.qnum[value="1"]').click()
    assert page.locator(f'input[name="q-{first["question"]}"]').first.is_checked()
    # "Nộp bài" never submits at once: the check page lists what is unanswered.
    page.get_by_role("button", name="Nộp bài…").click()
    expect(page.get_by_text("Bạn còn 4 câu chưa trả lời").first).to_be_visible()
    screenshots.take(page, "con-cau-chua-tra-loi-khong-js")
    page.get_by_role("link", name="Câu 2").click()
    assert "?q=2" in page.url
    attempt.refresh_from_db()
    assert attempt.is_open

    take_quiz(page, demo, quiz, member, right=False, shots=screenshots)
    assert "Chưa đạt" in page.content()
    assert "Xem lại bài làm" in page.content()  # the review, with explanations
    assert "Bạn chọn" in page.content() and "Đáp án đúng" in page.content()
    screenshots.take(page, "ket-qua-khong-js")
    assert not CourseCompletion.objects.filter(user=member, course=course).exists()

    take_quiz(page, demo, quiz, member, right=True)
    assert "Đạt" in page.content() and "100%" in page.content()
    assert "Hoàn thành khoá học" in page.content()
    screenshots.take(page, "hoan-thanh-khong-js")
    assert CourseCompletion.objects.filter(user=member, course=course).exists()

    page.goto(demo + "/me/certificates/")
    certificate = Certificate.objects.get(user=member, course=course)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải về (PDF)").click()
    text = "".join(p.extract_text() for p in PdfReader(download_info.value.path()).pages)
    assert certificate.full_name in text and "Nhận diện lừa đảo trực tuyến" in text

    page.goto(demo + f"/verify/{certificate.code}/")
    assert "Chứng chỉ hợp lệ" in page.content()
    certificate_services.revoke_certificate(
        certificate=certificate, by=User.objects.get(username="admin"), reason="Kiểm thử thu hồi"
    )
    page.goto(demo + f"/verify/{certificate.code}/")
    assert "Chứng chỉ này đã bị thu hồi" in page.content()
