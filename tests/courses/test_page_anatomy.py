"""The lesson page as one page (issue 18): `serve` handles GET (login gate, progress through
the service) and POST (completion), `get_context` only reads, nothing travels on `request`."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from courses.models import LessonProgress

pytestmark = pytest.mark.django_db


def test_get_context_writes_nothing_and_needs_nothing_on_the_request(course_tree, make_user):
    member = make_user()
    lesson = course_tree.lessons[1]
    request = RequestFactory().get(lesson.url)
    request.user = member
    context = lesson.get_context(request)
    assert not LessonProgress.objects.exists()
    assert context["progress"] is None
    assert context["next_lesson"]["url"] == course_tree.lessons[2].url
    assert not hasattr(request, "lesson_outline")


def test_serve_get_starts_the_lesson_and_shows_the_progress(client, course_tree, make_user):
    member = make_user()
    client.force_login(member)
    lesson = course_tree.lessons[0]
    response = client.get(lesson.url)
    progress = LessonProgress.objects.get(user=member, lesson=lesson)
    assert response.context["progress"] == progress
    assert reverse("courses:complete_lesson", args=[lesson.pk]) in response.content.decode()


def test_serve_post_completes_the_lesson_and_goes_to_the_next(client, course_tree, make_user):
    member = make_user()
    first, second, _third = course_tree.lessons
    client.force_login(member)
    # Completing a lesson never opened is refused with a message, nothing is written.
    response = client.post(first.url)
    assert response["Location"] == first.url
    assert not LessonProgress.objects.exists()
    client.get(first.url)
    response = client.post(first.url)
    assert response["Location"] == second.url
    assert LessonProgress.objects.get(user=member, lesson=first).completed_at is not None
    # The older address does the same through the page.
    client.get(second.url)
    response = client.post(reverse("courses:complete_lesson", args=[second.pk]))
    assert response["Location"] == course_tree.lessons[2].url


def test_anonymous_post_to_an_open_course_goes_to_login(client, course_tree):
    course_tree.course.login_required = False
    course_tree.course.save_revision().publish()
    lesson = course_tree.lessons[0]
    response = client.post(lesson.url)
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")
    assert not LessonProgress.objects.exists()
