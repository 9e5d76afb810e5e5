"""Issue 17 in Chromium: a member who uses only the keyboard (focus always visible at 3:1 or
better), and an administrator who grants a member out of attempts one more, which the member
then sees and uses."""

import io
import re

import pytest
from django.core.management import call_command

from accounts.models import User
from courses import services as course_services
from courses.models import CoursePage, LessonPage
from quizzes import services as quiz_services
from quizzes.models import Attempt, AttemptGrant, QuizPage
from tests.e2e.conftest import log_in
from tests.quizzes.conftest import wrong_answers

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

MEMBER = "0390000044"

# The focus ring's colour against what is behind it (WCAG 2.2, 1.4.11: 3:1 at least).
FOCUS_SCRIPT = """() => {
  const el = document.activeElement, style = getComputedStyle(el);
  let node = el.parentElement, behind = "rgba(0, 0, 0, 0)";
  while (node) {
    const bg = getComputedStyle(node).backgroundColor;
    if (bg && !bg.endsWith(", 0)") && bg !== "transparent") { behind = bg; break; }
    node = node.parentElement;
  }
  return {width: parseFloat(style.outlineWidth), style: style.outlineStyle,
          colour: style.outlineColor, behind: behind || "rgb(255, 255, 255)",
          tag: el.tagName, text: (el.innerText || el.value || "").trim().slice(0, 40)};
}"""


def _luminance(rgb: str) -> float:
    r, g, b = (int(v) / 255 for v in re.findall(r"\d+", rgb)[:3])
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def tab_to(page, test: str, *, limit: int = 80) -> dict:
    """Press Tab until the focused element passes `test` (JS, `el` is the element); check
    that every focus on the way is visible."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_SCRIPT)
        if focus["tag"] not in ("BODY", "HTML"):
            assert focus["style"] != "none" and focus["width"] >= 2, focus
            assert contrast(focus["colour"], focus["behind"]) >= 3, focus
        if page.evaluate(f"(el => {test})(document.activeElement)"):
            return focus
    raise AssertionError(f"never reached {test}")


@pytest.fixture
def demo(live_server):
    call_command("seed_demo", stdout=io.StringIO())
    return live_server.url


def test_a_member_takes_the_final_quiz_with_the_keyboard_only(demo, desktop, screenshots):
    member = User.objects.get(username=MEMBER)
    course = CoursePage.objects.get(slug="nhan-dien-lua-dao-truc-tuyen")
    for lesson in LessonPage.objects.live().child_of(course):
        course_services.start_lesson(user=member, lesson=lesson)
        course_services.complete_lesson(user=member, lesson=lesson)
    quiz = QuizPage.objects.live().child_of(course).get()
    page = desktop
    page.goto(demo + "/account/login/")
    tab_to(page, "el.name === 'username'")
    page.keyboard.type("0390 000 044")
    tab_to(page, "el.name === 'password'")
    page.keyboard.type("hocso2026")
    page.keyboard.press("Enter")
    page.wait_for_url("**/me/")

    # The header's links: a white ring on the blue bar.
    header = tab_to(page, "el.closest('.site-header') && el.textContent.includes('Học tập')")
    assert contrast(header["colour"], header["behind"]) >= 3
    tab_to(page, "el.textContent.trim() === 'Học tiếp'")
    screenshots.take(page, "ban-phim-hoc-tiep")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{quiz.url}")
    tab_to(page, "el.textContent.trim() === 'Bắt đầu làm bài'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/quiz/attempts/**")
    attempt = Attempt.objects.get(user=member, quiz=quiz)

    for number, item in enumerate(attempt.served, start=1):
        tab_to(page, f"el.name === 'q-{item['question']}'")
        page.keyboard.press("Space")  # the first answer (arrows would move between them)
        if number < len(attempt.served):
            tab_to(page, f"el.classList.contains('qnum') && el.value === '{number + 1}'")
            page.keyboard.press("Enter")
            page.wait_for_url(f"**?q={number + 1}")
    assert attempt.responses.count() == len(attempt.served) - 1  # the last is not saved yet
    tab_to(page, "el.value === 'review'")
    screenshots.take(page, "ban-phim-nop-bai")
    page.keyboard.press("Enter")
    page.wait_for_url("**/check/")
    assert attempt.responses.count() == len(attempt.served)
    tab_to(page, "el.textContent.trim() === 'Nộp bài ngay'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/result/")
    attempt.refresh_from_db()
    assert attempt.state == "SUBMITTED"
    screenshots.take(page, "ban-phim-ket-qua")


def test_an_administrator_grants_an_extra_attempt(demo, desktop, phone, screenshots):
    member = User.objects.get(username=MEMBER)
    course = CoursePage.objects.get(slug="vneid-va-dich-vu-cong-truc-tuyen")
    quiz = QuizPage.objects.live().child_of(course).get()
    for _ in range(quiz.max_attempts):
        attempt = quiz_services.start_attempt(user=member, quiz=quiz)
        quiz_services.save_answers(user=member, attempt=attempt, answers=wrong_answers(attempt))
        quiz_services.submit_attempt(user=member, attempt_id=attempt.pk)

    log_in(phone, demo, MEMBER)
    phone.goto(demo + quiz.url)
    assert "Bạn đã hết lượt làm bài." in phone.content()
    screenshots.take(phone, "thanh-vien-het-luot")

    admin = desktop  # the commune administrator of Xã Châu Thành
    log_in(admin, demo, "xa")
    admin.goto(demo + "/admin/")
    admin.get_by_role("link", name="Cấp thêm lượt và thời gian").first.click()
    admin.get_by_label("Thành viên (họ tên hoặc số điện thoại)", exact=False).fill(MEMBER)
    with admin.expect_navigation():
        admin.get_by_role("button", name="Tìm").click()
    admin.get_by_role("link", name=member.full_name).click()
    admin.wait_for_url("**/grants/members/**")
    assert "Hết lượt" in admin.content()
    admin.get_by_label("Bài kiểm tra").select_option(label=f"{course.title} › {quiz.title}")
    admin.get_by_label("Số lượt cấp thêm").fill("1")
    admin.get_by_label("Lý do").fill("Rớt mạng khi đang làm bài ở nhà văn hoá ấp")
    screenshots.take(admin, "quan-tri-cap-them-luot", doc="08-quan-tri-cap-them-luot")
    with admin.expect_navigation():
        admin.get_by_role("button", name="Cấp", exact=True).click()
    assert "Đã cấp cho" in admin.content(), admin.locator(
        ".error-message, .errorlist, .help-critical"
    ).all_inner_texts()
    grant = AttemptGrant.objects.get(user=member, quiz=quiz)
    assert grant.granted_by.username == "xa" and grant.extra_attempts == 1
    admin.get_by_role("link", name="Hồ sơ học tập").click()
    admin.wait_for_url("**/reports/members/**")
    assert "Rớt mạng khi đang làm bài" in admin.content()
    screenshots.take(admin, "ho-so-thanh-vien")

    phone.goto(demo + quiz.url)
    assert "còn 1 lượt" in phone.content() and "Rớt mạng khi đang làm bài" in phone.content()
    screenshots.take(phone, "thanh-vien-duoc-cap-them")
    phone.get_by_role("button", name="Làm lại").click()
    phone.wait_for_url("**/quiz/attempts/**")
    assert Attempt.objects.filter(user=member, quiz=quiz).count() == quiz.max_attempts + 1
