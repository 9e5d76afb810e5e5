"""The lesson page kept between requests (issue 19): the body per published revision and
shared between members, the member's own parts per request, whole pages for anonymous
visitors only, and a member's lesson view without Wagtail's routing queries."""

import re

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.test import Client, RequestFactory
from wagtail.models import PageViewRestriction

from courses import page_cache, services
from courses.models import LessonPage

pytestmark = pytest.mark.django_db

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def renders(monkeypatch):
    """How many times a lesson body was rendered from its blocks."""
    calls = []
    render = page_cache._render_body

    def counting(page, request):
        calls.append(page.pk)
        return render(page, request)

    monkeypatch.setattr(page_cache, "_render_body", counting)
    return calls


def open_course(course_tree):
    course_tree.course.login_required = False
    course_tree.course.save_revision().publish()


def stored_pages() -> list[str]:
    return [key for key in cache._cache if "lesson-page:" in key]


def test_members_share_the_body_and_each_sees_only_their_own_progress(
    course_tree, make_user, renders
):
    lesson = course_tree.lessons[0]
    done, reading = make_user(full_name="Trần Thị Hoa"), make_user(full_name="Lê Văn Bình")
    services.start_lesson(user=done, lesson=lesson)
    services.complete_lesson(user=done, lesson=lesson)
    pages = {}
    for member in (done, reading, done, reading):
        client = Client()
        client.force_login(member)
        response = client.get(lesson.url)
        assert response.status_code == 200
        pages[member.pk] = response.content.decode()
    assert renders == [lesson.pk]  # one render of the blocks for every view, both members
    mine, theirs = pages[done.pk], pages[reading.pk]
    for html in (mine, theirs):
        assert "Không bao giờ đọc mã OTP" in html and "Giả danh công an" in html
    assert "Bạn đã hoàn thành bài học này" in mine and "Hoàn thành bài học" not in mine
    assert "Hoàn thành bài học" in theirs and "Bạn đã hoàn thành bài học này" not in theirs
    assert "Hoa" in mine and "Hoa" not in theirs and "Bình" in theirs and "Bình" not in mine


def test_publishing_a_new_revision_shows_the_new_body_on_the_next_view(
    client, course_tree, make_user
):
    lesson = LessonPage.objects.get(pk=course_tree.lessons[1].pk)
    client.force_login(make_user())
    assert "Không bao giờ đọc mã OTP" in client.get(lesson.url).content.decode()
    lesson.body = [("text", "<p>Nội dung mới: gọi 156 khi nghi ngờ.</p>")]
    lesson.save_revision().publish()
    html = client.get(lesson.url).content.decode()
    assert "Nội dung mới: gọi 156 khi nghi ngờ." in html
    assert "Không bao giờ đọc mã OTP" not in html


def test_a_knowledge_check_answer_is_rendered_for_that_request(client, course_tree, make_user):
    lesson = LessonPage.objects.get(pk=course_tree.lessons[0].pk)
    lesson.body = [
        (
            "knowledge_check",
            {
                "question": "Có nên đọc mã OTP cho người lạ?",
                "explanation": "Không bao giờ.",
                "choices": [
                    {"text": "Có", "is_correct": False},
                    {"text": "Không", "is_correct": True},
                ],
            },
        )
    ]
    lesson.save_revision().publish()
    lesson.refresh_from_db()
    block_id = lesson.body[0].id
    client.force_login(make_user())
    assert "check-feedback" not in client.get(lesson.url).content.decode()
    answered = client.get(f"{lesson.url}?check={block_id}&answer=1").content.decode()
    assert "check-feedback is-correct" in answered
    assert "check-feedback" not in client.get(lesson.url).content.decode()


def test_anonymous_pages_are_kept_whole_without_a_token_and_each_visitor_gets_their_own(
    course_tree, renders, django_assert_max_num_queries
):
    open_course(course_tree)
    lesson = course_tree.lessons[0]
    first, second = Client(), Client()
    page = first.get(lesson.url)
    assert page.status_code == 200
    [key] = stored_pages()
    stored = cache.get(key.split(":", 2)[2])
    assert set(CSRF_INPUT.findall(stored)) == {page_cache.CSRF_PLACEHOLDER}
    assert "sessionid" not in page.cookies
    with django_assert_max_num_queries(4):  # Wagtail's routing and view restrictions only
        again = second.get(lesson.url)
    assert again.status_code == 200
    tokens = {CSRF_INPUT.search(r.content.decode()).group(1) for r in (page, again)}
    assert len(tokens) == 2 and page_cache.CSRF_PLACEHOLDER not in tokens
    assert "private" in again["Cache-Control"] and "Cookie" in again["Vary"]
    # The token each visitor got works: the language switch accepts it.
    token = CSRF_INPUT.search(again.content.decode()).group(1)
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = second.cookies
    response = strict.post("/i18n/setlang/", {"language": "en", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert renders == [lesson.pk]


def test_no_page_is_kept_for_a_logged_in_member_nor_shown_to_a_visitor(course_tree, make_user):
    open_course(course_tree)
    lesson = course_tree.lessons[0]
    member = make_user(full_name="Phạm Thị Riêng")
    client = Client()
    client.force_login(member)
    html = client.get(lesson.url).content.decode()
    assert "Riêng" in html
    assert stored_pages() == []
    visitor = Client().get(lesson.url).content.decode()
    assert "Riêng" not in visitor and "Đăng nhập" in visitor


def test_a_visitor_with_a_message_waiting_gets_a_fresh_page_that_is_not_kept(course_tree):
    open_course(course_tree)
    lesson = course_tree.lessons[0]
    visitor = Client()
    storage = CookieStorage(RequestFactory().get("/"))
    visitor.cookies[CookieStorage.cookie_name] = storage._encode(
        [Message(constants.INFO, "Đã đăng xuất.")]
    )
    html = visitor.get(lesson.url).content.decode()
    assert "Đã đăng xuất." in html
    assert stored_pages() == []


def test_a_course_that_turns_members_only_stops_serving_kept_pages(course_tree):
    open_course(course_tree)
    lesson = course_tree.lessons[0]
    assert Client().get(lesson.url).status_code == 200
    assert stored_pages()
    course_tree.course.login_required = True
    course_tree.course.save_revision().publish()
    response = Client().get(lesson.url)
    assert response.status_code == 302 and response["Location"].startswith("/account/login/")


def test_a_restriction_added_later_applies_to_the_next_view(client, course_tree, make_user):
    member = make_user()
    client.force_login(member)
    lesson = course_tree.lessons[0]
    assert client.get(lesson.url).status_code == 200
    restriction = PageViewRestriction.objects.create(
        page=course_tree.course, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.create(name="Chỉ giảng viên"))
    response = client.get(lesson.url)
    assert response.status_code == 302
    restriction.delete()
    assert client.get(lesson.url).status_code == 200


def test_a_made_up_address_is_a_404_and_takes_no_memory(client, course_tree, make_user):
    from courses import middleware

    client.force_login(make_user())
    lesson = course_tree.lessons[0]
    assert client.get(lesson.url).status_code == 200
    assert client.get(course_tree.course.url + "khong-co-bai-nay/").status_code == 404
    remembered = middleware._lessons._current[2]
    assert [page.pk for page in remembered.values() if page is not None] == [lesson.pk]
    assert not any("khong-co-bai-nay" in path for _site, path in remembered)
