"""The Content-Security-Policy in a real browser: a member's journey and a trainer editing
in Wagtail's admin (editor, inline rows, date pickers, choosers, preview) work under it, and
the browser reports no violation."""

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from courses.models import LessonPage
from quizzes.models import QuizPage

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _watch(page, violations: list):
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text[:90]}")
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: violations.append(f"page error: {error}"))


def _login(page, base, username):
    page.goto(base + "/account/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill("hocso2026")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def test_member_and_trainer_work_under_the_policy(live_server, browser):
    call_command("seed_demo", stdout=StringIO())
    base = live_server.url
    violations: list[str] = []

    # A member: lesson, completion, a quiz with its countdown script.
    phone = browser.new_context(viewport={"width": 360, "height": 740}).new_page()
    _watch(phone, violations)
    _login(phone, base, "0390000044")
    response = phone.goto(base + "/me/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "no-store" in response.headers["cache-control"]
    lesson = LessonPage.objects.live().get(title="Kích hoạt tài khoản mức 2")
    phone.goto(base + lesson.url)
    phone.locator("form[action$='/complete/'] button").click()
    phone.wait_for_load_state()
    quiz = QuizPage.objects.live().first()
    phone.goto(base + quiz.url)
    phone.locator("main form[method=post] button[type=submit]").first.click()
    phone.wait_for_url("**/quiz/attempts/**")
    # the countdown script ran (it rewrites the timer as "Còn lại m:ss")
    expect(phone.locator("[data-deadline]")).to_contain_text("Còn lại")
    phone.locator("input[type=radio], input[type=checkbox]").first.check()
    phone.locator("main form button[type=submit]").first.click()
    phone.wait_for_load_state()

    # A trainer: edit a lesson (rich text, blocks, date-time pickers, preview), save a
    # draft; open a quiz (inline rows) and add a row; open the image chooser.
    desk = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    _watch(desk, violations)
    desk.goto(base + "/admin/login/")
    desk.locator("input[name=username]").fill("trainer")
    desk.locator("input[name=password]").fill("hocso2026")
    desk.locator("form button[type=submit]").first.click()
    desk.wait_for_url("**/admin/")

    desk.goto(base + f"/admin/pages/{lesson.pk}/edit/")
    desk.wait_for_selector("[data-draftail-input], .Draftail-Editor", timeout=15_000)
    title = desk.locator("#id_title")
    title.fill(lesson.title + " (sửa)")
    desk.locator("[data-side-panel-toggle='preview']").click()
    desk.wait_for_selector("#w-preview-iframe", timeout=15_000)
    # the preview renders our lesson template inside the admin
    preview = desk.frame_locator("#w-preview-iframe")
    preview.locator("h1").first.wait_for(timeout=15_000)
    desk.locator("[data-side-panel-toggle='preview']").click()
    desk.locator("form[data-edit-form] button[type=submit]:not([name])").first.click()
    desk.wait_for_load_state()
    lesson.refresh_from_db()
    assert lesson.get_latest_revision().content["title"].endswith("(sửa)")

    desk.goto(base + f"/admin/pages/{quiz.pk}/edit/")
    total = desk.locator("#id_fixed_questions-TOTAL_FORMS")
    before = int(total.input_value())
    desk.locator("#id_fixed_questions-ADD").click()
    expect(total).to_have_value(str(before + 1))
    # the new row's snippet chooser: its modal opens, lists questions, and choosing fills it
    desk.locator(
        f"#id_fixed_questions-{before}-question-chooser [data-chooser-action-choose]"
    ).click()
    desk.locator(".modal a[data-chooser-modal-choice]").first.click()
    expect(desk.locator(f"#id_fixed_questions-{before}-question")).not_to_have_value("")
    # the scheduled-publishing date-time pickers (Wagtail's inline init scripts) started
    desk.goto(base + f"/admin/pages/{lesson.pk}/edit/")
    desk.wait_for_selector(".xdsoft_datetimepicker", state="attached", timeout=10_000)

    desk.goto(base + "/admin/images/")
    desk.wait_for_load_state()
    assert violations == [], violations
