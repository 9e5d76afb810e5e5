import os
import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError

from courses.models import CourseIndexPage, CoursePage, LessonPage
from home.models import HomePage

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("child", "parent", "allowed"),
    [
        (CourseIndexPage, HomePage, True),
        (CoursePage, CourseIndexPage, True),
        (LessonPage, CoursePage, True),
        (LessonPage, CourseIndexPage, False),
        (LessonPage, HomePage, False),
        (CoursePage, HomePage, False),
        (CoursePage, CoursePage, False),
        (LessonPage, LessonPage, False),
    ],
)
def test_page_tree_rules(child, parent, allowed):
    assert child.can_create_at(parent()) is allowed
    assert (child in parent.allowed_subpage_models()) is allowed


def test_only_one_course_catalogue(course_tree):
    assert not CourseIndexPage.can_create_at(course_tree.index.get_parent().specific)


def test_members_only_course_refuses_anonymous_readers(client, course_tree):
    lesson = course_tree.lessons[0]
    for url in (course_tree.course.url, lesson.url):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/account/login/")


def test_open_course_can_be_read_without_login(client, course_tree):
    course_tree.course.login_required = False
    course_tree.course.save_revision().publish()
    response = client.get(course_tree.lessons[0].url)
    assert response.status_code == 200
    assert "Mạo danh công an" in response.content.decode()


def test_lesson_page_budget_queries_and_size(
    client, course_tree, make_user, django_assert_max_num_queries
):
    member = make_user()
    client.force_login(member)
    lesson = course_tree.lessons[0]
    client.get(lesson.url)  # first view creates the progress row and warms the caches
    with django_assert_max_num_queries(10):
        response = client.get(lesson.url)
    assert response.status_code == 200
    html = response.content.decode()
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', html)
    assert stylesheets and not scripts  # members' pages need no JavaScript
    css_files = [finders.find(url.removeprefix(settings.STATIC_URL)) for url in stylesheets]
    assert all(css_files)
    css_bytes = sum(os.path.getsize(path) for path in css_files)
    assert len(response.content) + css_bytes < 100 * 1024


def test_video_block_needs_exactly_one_source():
    from courses.blocks import LessonStreamBlock

    block = LessonStreamBlock().child_blocks["video"]
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"title": "Video", "url": "", "file": None}))
    cleaned = block.clean(
        block.to_python(
            {"title": "Video", "url": "https://www.youtube.com/watch?v=abc", "file": None}
        )
    )
    assert cleaned["url"]


def test_knowledge_check_needs_a_correct_answer():
    from courses.blocks import LessonStreamBlock

    block = LessonStreamBlock().child_blocks["knowledge_check"]
    value = block.to_python(
        {
            "question": "?",
            "explanation": "vì",
            "choices": [{"text": "a", "is_correct": False}, {"text": "b", "is_correct": False}],
        }
    )
    with pytest.raises(ValidationError):
        block.clean(value)


def test_lesson_views_follow_what_editors_publish(client, course_tree, make_user):
    """The outline (course title, previous/next lesson) is kept between views; a publish,
    an unpublish or a change of the course's login rule shows on the very next view."""
    first, second, third = course_tree.lessons
    client.force_login(make_user())
    response = client.get(second.url)
    assert (response.context["lesson_count"], response.context["next_lesson"]["url"]) == (
        3,
        third.url,
    )
    course = course_tree.course
    course.title = "Lừa đảo qua mạng"
    course.save_revision().publish()
    third.unpublish()
    response = client.get(second.url)
    html = response.content.decode()
    assert f'<a href="{course.url}">Lừa đảo qua mạng</a>' in html
    assert f'href="{first.url}" rel="prev"' in html
    assert 'rel="next"' not in html and response.context["lesson_count"] == 2

    client.logout()
    assert client.get(second.url).status_code == 302
    course.login_required = False
    course.save_revision().publish()
    assert client.get(second.url).status_code == 200


def test_a_warm_lesson_view_reads_the_outline_without_a_query(
    client, course_tree, make_user, django_assert_num_queries
):
    client.force_login(make_user())
    lesson = course_tree.lessons[1]
    client.get(lesson.url)
    with django_assert_num_queries(2):
        assert client.get(lesson.url).status_code == 200
