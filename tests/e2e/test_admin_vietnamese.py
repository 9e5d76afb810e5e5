"""A trainer writes a lesson in Chromium: what Wagtail's scripts draw (block chooser, the rich
text placeholder, the autosave note, the sidebar) is Vietnamese."""

import re

import pytest
from django.contrib.auth.models import Group

from courses.models import CourseIndexPage, CoursePage, Topic
from tests.i18n.english import BROWSER_VISIBLE_TEXT, english_words_in_text

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_page_editor_scripts_speak_vietnamese(live_server, browser, home_page, make_user):
    index = CourseIndexPage(title="Khoá học", slug="khoa-hoc")
    home_page.add_child(instance=index)
    course = CoursePage(
        title="Nhận diện lừa đảo trực tuyến",
        slug="lua-dao",
        topic=Topic.objects.get(slug="lua-dao-truc-tuyen"),
        summary="Tóm tắt",
    )
    index.add_child(instance=course)
    trainer = make_user(username="giangvien", password="Mat-khau-rat-dai-1")
    trainer.groups.add(Group.objects.get(name="Giảng viên"))

    # The browser asks for English: the admin still answers in Vietnamese.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    page.goto(live_server.url + "/account/login/")
    page.get_by_label("Số điện thoại hoặc tên đăng nhập").fill("giangvien")
    page.get_by_label("Mật khẩu hoặc mã kích hoạt").fill("Mat-khau-rat-dai-1")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()

    page.goto(f"{live_server.url}/admin/pages/add/courses/lessonpage/{course.pk}/")
    # The stream is drawn by Wagtail's scripts: its "insert a block" button, then the block
    # chooser with its search box, then a text block's rich text editor.
    add_block = page.locator("button.c-sf-add-button").first
    assert add_block.get_attribute("title") == "Chèn khối"
    add_block.click()
    search = page.get_by_placeholder("Tìm trong các lựa chọn…")
    search.wait_for()
    chooser = page.locator(".w-combobox-container").first
    assert "Cảnh báo lừa đảo" in chooser.inner_text()
    assert not english_words_in_text(page.evaluate(BROWSER_VISIBLE_TEXT))
    chooser.get_by_text("Văn bản", exact=True).click()
    # Draftail draws the empty line's placeholder with CSS (::before).
    empty_line = page.locator(".Draftail-block--unstyled.Draftail-block--empty").first
    empty_line.wait_for()
    placeholder = empty_line.evaluate("e => getComputedStyle(e, '::before').content")
    assert placeholder == '"Viết nội dung hoặc gõ ‘/’ để chèn khối"'

    # The text's own "insert a block" button (typing "/" opens the same chooser).
    page.locator(".public-DraftEditor-content").first.click()
    assert page.locator(".Draftail-BlockToolbar__trigger").first.get_attribute("aria-label") == (
        "Chèn khối"
    )

    # Everything shown on the screen: sidebar, tabs, fields, buttons, the autosave note.
    shown = page.evaluate(BROWSER_VISIBLE_TEXT)
    assert "Lưu bản nháp" in shown
    assert "Tự động lưu" in re.sub(r"\s+", " ", page.content())
    assert not english_words_in_text(shown), "\n".join(english_words_in_text(shown))
    context.close()
