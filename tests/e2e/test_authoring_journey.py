"""Issue 14 end to end in Chromium: the trainer writes a lesson (step-by-step guide, scam
alert, knowledge check, an uploaded picture), previews it and sends it for review; the
reviewer approves it; the trainer builds a 5-question quiz from a topic rule and publishes
it; a member reads the lesson and takes the quiz."""

import io
import re

import pytest
from django.contrib.auth.models import Group
from PIL import Image as PILImage

from courses.models import CourseIndexPage, CoursePage, LessonPage, Topic
from demo import seed as demo_data
from quizzes.models import QuizPage
from tests.i18n.english import BROWSER_VISIBLE_TEXT, english_words_in_text

from .conftest import DESKTOP, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "Mat-khau-rat-dai-1"


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (360, 640), "teal").save(buffer, format="PNG")
    return buffer.getvalue()


def add_block(page, label):
    page.locator("button.c-sf-add-button").last.click()
    page.get_by_role("option", name=label).click()


def no_english(page):
    found = english_words_in_text(page.evaluate(BROWSER_VISIBLE_TEXT))
    assert not found, found


@pytest.fixture
def world(home_page, make_user):
    from tests.authoring.conftest import make_question

    topic = Topic.objects.get(slug="lua-dao-truc-tuyen")
    index = CourseIndexPage(title="Khoá học", slug="khoa-hoc")
    home_page.add_child(instance=index)
    index.save_revision().publish()
    course = CoursePage(
        title="Thanh toán an toàn", slug="thanh-toan", topic=topic, summary="Tóm tắt"
    )
    index.add_child(instance=course)
    course.save_revision().publish()
    for n in range(10):
        make_question(topic, n)
    demo_data.seed_review_workflow()
    trainer = make_user(username="giangvien", password=PASSWORD)
    trainer.groups.add(Group.objects.get(name="Giảng viên"))
    reviewer = make_user(username="nguoiduyet", full_name="Lê Minh Khoa", password=PASSWORD)
    reviewer.groups.add(Group.objects.get(name="Người duyệt nội dung"))
    member = make_user(username="thanhvien", full_name="Nguyễn Văn An", password=PASSWORD)
    return course, topic, member


def test_trainer_writes_reviewer_approves_member_learns(live_server, browser, world, tmp_path):
    course, topic, member = world
    base = live_server.url

    # --- The trainer uploads a picture and writes the lesson ----------------------------
    trainer_ctx = browser.new_context(viewport=DESKTOP, locale="vi-VN")
    page = trainer_ctx.new_page()
    log_in(page, base, "giangvien", PASSWORD)
    picture = tmp_path / "man-hinh-vneid.png"
    picture.write_bytes(png_bytes())
    page.goto(base + "/admin/images/add/")
    page.locator('input[type="file"]').set_input_files(str(picture))
    page.get_by_label("Tiêu đề").fill("Màn hình quét mã QR")
    page.locator("form .w-form-width button[type=submit], form button[type=submit]").last.click()
    page.wait_for_url("**/admin/images/**")

    page.goto(f"{base}/admin/pages/add/courses/lessonpage/{course.pk}/")
    page.locator("#id_title").fill("Lừa đảo qua mã QR dán đè")
    add_block(page, "Hướng dẫn từng bước")
    page.locator('[name="body-0-value-title"]').fill("Kiểm tra trước khi trả tiền")
    page.locator(".public-DraftEditor-content").first.click()
    page.keyboard.type("Xem tên người nhận trên màn hình")
    page.get_by_role("button", name="Chọn ảnh").first.click()
    page.get_by_role("link", name=re.compile("Màn hình quét mã QR")).first.click()
    add_block(page, "Cảnh báo lừa đảo")
    page.locator('[name="body-1-value-title"]').fill("Mã QR dán đè")
    page.locator('[name="body-1-value-tactic"]').fill("Dán mã giả lên mã của cửa hàng")
    page.locator('[name="body-1-value-red_flags-0-value"]').fill("Tên người nhận lạ")
    page.locator('[name="body-1-value-what_to_do-0-value"]').fill("Hỏi lại chủ cửa hàng")
    add_block(page, "Tự kiểm tra")
    page.locator('[name="body-2-value-question"]').fill("Trước khi trả tiền cần xem gì?")
    # Two answer rows are there from the start.
    page.locator('[name="body-2-value-choices-0-value-text"]').fill("Tên người nhận")
    page.locator('[name="body-2-value-choices-0-value-is_correct"]').check()
    page.locator('[name="body-2-value-choices-1-value-text"]').fill("Không cần xem gì")
    page.locator('[name="body-2-value-explanation"]').fill("Mã dán đè đổi người nhận.")
    no_english(page)

    # Preview, then send for review.
    with page.expect_response(lambda r: "/preview/" in r.url and r.request.method == "POST"):
        page.get_by_role("button", name="Ẩn/hiện xem trước").click()
    preview = page.frame_locator("iframe[title]").first
    preview.get_by_text("Trước khi trả tiền cần xem gì?").wait_for()
    page.get_by_role("button", name="Ẩn/hiện xem trước").click()
    page.locator("footer .w-dropdown__toggle").last.click()
    page.get_by_role("button", name="Gửi duyệt: Duyệt nội dung").click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/|/admin/pages/\d+/"))
    lesson = LessonPage.objects.get(title="Lừa đảo qua mã QR dán đè")
    assert lesson.slug == "lua-dao-qua-ma-qr-dan-de"
    assert not lesson.live
    assert [b.block_type for b in lesson.get_latest_revision_as_object().body] == [
        "steps",
        "scam_alert",
        "knowledge_check",
    ]
    trainer_ctx.close()

    # --- The reviewer approves it from the dashboard -------------------------------------
    reviewer_ctx = browser.new_context(viewport=DESKTOP, locale="vi-VN")
    page = reviewer_ctx.new_page()
    log_in(page, base, "nguoiduyet", PASSWORD)
    page.goto(base + "/admin/")
    assert "Lừa đảo qua mã QR dán đè" in page.content()
    no_english(page)
    # "Duyệt kèm nhận xét" sits in the row's action menu.
    approve = page.locator('button[data-workflow-action-url*="/approve/"][data-launch-modal]')
    assert approve.first.inner_text().strip() == "Duyệt kèm nhận xét"
    approve.first.dispatch_event("click")
    comment = page.locator("textarea[name=comment]")
    comment.wait_for()
    comment.fill("Tốt, xuất bản được.")
    page.locator(".modal button[type=submit], dialog button[type=submit]").last.click()
    page.wait_for_timeout(1000)
    lesson.refresh_from_db()
    assert lesson.live
    reviewer_ctx.close()

    # --- The trainer builds a 5-question quiz from a topic rule and publishes it --------
    trainer_ctx = browser.new_context(viewport=DESKTOP, locale="vi-VN")
    page = trainer_ctx.new_page()
    log_in(page, base, "giangvien", PASSWORD)
    page.goto(f"{base}/admin/pages/add/quizzes/quizpage/{course.pk}/")
    page.locator("#id_title").fill("Bài kiểm tra cuối khoá – Thanh toán an toàn")
    page.locator("#id_draw_rules-ADD").click()
    page.get_by_role("button", name=re.compile("Chọn chủ đề")).first.click()
    page.get_by_role("link", name=topic.name).first.click()
    page.wait_for_function(
        "v => document.querySelector('[name=\"draw_rules-0-topic\"]').value === v",
        arg=str(topic.pk),
    )
    page.locator('[name="draw_rules-0-count"]').fill("5")
    page.locator("footer .w-dropdown__toggle").last.click()
    page.get_by_role("button", name="Xuất bản").click()
    page.wait_for_url("**/admin/pages/**")
    quiz = QuizPage.objects.get(title="Bài kiểm tra cuối khoá – Thanh toán an toàn")
    assert quiz.live and quiz.question_count == 5
    trainer_ctx.close()

    # --- A member reads the lesson and takes the quiz -----------------------------------
    member_ctx = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    page = member_ctx.new_page()
    log_in(page, base, "thanhvien", PASSWORD)
    page.goto(base + lesson.url)
    assert "Mã QR dán đè" in page.content()
    assert "Trước khi trả tiền cần xem gì?" in page.content()
    page.goto(base + quiz.url)
    page.get_by_role("button", name=re.compile("Bắt đầu làm bài")).click()
    page.wait_for_url("**/quiz/attempts/**")
    attempt = member.quiz_attempts.get()
    assert len(attempt.served) == 5
    member_ctx.close()
