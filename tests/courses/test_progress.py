import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from courses import services
from courses.models import CourseCompletion, LessonProgress
from courses.signals import course_completed

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(make_user):
    return make_user(username="hoc-vien")


def test_opening_a_lesson_records_it_as_started(client, course_tree, member):
    client.force_login(member)
    lesson = course_tree.lessons[0]
    assert not LessonProgress.objects.exists()
    client.get(lesson.url)
    progress = LessonProgress.objects.get(user=member, lesson=lesson)
    assert progress.started_at and progress.completed_at is None
    client.get(lesson.url)
    assert LessonProgress.objects.filter(user=member).count() == 1


def test_a_lesson_never_opened_cannot_be_completed(client, course_tree, member):
    lesson = course_tree.lessons[0]
    with pytest.raises(ValidationError):
        services.complete_lesson(user=member, lesson=lesson)
    client.force_login(member)
    client.post(reverse("courses:complete_lesson", args=[lesson.pk]))
    assert not LessonProgress.objects.filter(completed_at__isnull=False).exists()


def test_completing_is_a_post_and_leads_to_the_next_lesson(client, course_tree, member):
    client.force_login(member)
    first, second = course_tree.lessons[:2]
    client.get(first.url)
    assert client.get(reverse("courses:complete_lesson", args=[first.pk])).status_code == 405
    response = client.post(reverse("courses:complete_lesson", args=[first.pk]))
    assert response["Location"] == second.url
    assert LessonProgress.objects.get(user=member, lesson=first).completed_at is not None


def test_a_member_cannot_complete_another_members_lesson(client, course_tree, member, make_user):
    other = make_user(username="khac")
    lesson = course_tree.lessons[0]
    services.start_lesson(user=other, lesson=lesson)
    client.force_login(member)
    client.post(
        reverse("courses:complete_lesson", args=[lesson.pk]),
        {"user": other.pk, "user_id": other.pk},
    )
    assert LessonProgress.objects.get(user=other, lesson=lesson).completed_at is None
    assert not LessonProgress.objects.filter(user=member).exists()


def test_course_completes_when_every_required_lesson_is_done_and_signals_once(
    course_tree, member, django_capture_on_commit_callbacks
):
    received = []

    def handler(sender, **kwargs):
        received.append(kwargs)

    course_completed.connect(handler)
    try:
        required = course_tree.lessons[:2]  # the third lesson is optional
        for lesson in course_tree.lessons:
            services.start_lesson(user=member, lesson=lesson)
        with django_capture_on_commit_callbacks(execute=True):
            services.complete_lesson(user=member, lesson=required[0])
        assert not CourseCompletion.objects.exists()
        with django_capture_on_commit_callbacks(execute=True):
            services.complete_lesson(user=member, lesson=required[1])
        completion = CourseCompletion.objects.get(user=member, course=course_tree.course)
        with django_capture_on_commit_callbacks(execute=True):
            services.complete_lesson(user=member, lesson=required[1])  # again: nothing new
            services.complete_lesson(user=member, lesson=course_tree.lessons[2])
    finally:
        course_completed.disconnect(handler)
    assert CourseCompletion.objects.count() == 1
    assert received == [
        {
            "signal": course_completed,
            "user_id": member.pk,
            "course_id": course_tree.course.pk,
            "completion_id": completion.pk,
        }
    ]


def test_catalogue_and_course_page_show_progress(client, course_tree, member):
    client.force_login(member)
    lesson = course_tree.lessons[0]
    client.get(lesson.url)
    client.post(reverse("courses:complete_lesson", args=[lesson.pk]))
    catalogue = client.get(course_tree.index.url)
    course = catalogue.context["courses"][0]
    assert (course.lessons_done, course.lessons_total, course.percent) == (1, 2, 50)
    assert 'value="50"' in catalogue.content.decode()
    page = client.get(course_tree.course.url).content.decode()
    assert '<progress class="progress" max="100" value="50"' in page
    assert "1/2 bài học" in page


def test_my_learning_shows_where_to_continue_and_completed_courses(client, course_tree, member):
    client.force_login(member)
    first, second = course_tree.lessons[:2]
    client.get(first.url)
    client.post(reverse("courses:complete_lesson", args=[first.pk]))
    client.get(second.url)
    page = client.get(reverse("courses:my_learning"))
    assert [c.pk for c in page.context["in_progress"]] == [course_tree.course.pk]
    next_step = page.context["in_progress"][0].journey.next_step
    assert next_step.extra["lesson"].pk == second.pk
    assert f'href="{second.url}">Học tiếp</a>' in page.content.decode()
    client.post(reverse("courses:complete_lesson", args=[second.pk]))
    page = client.get(reverse("courses:my_learning"))
    assert page.context["in_progress"] == []
    assert [c.course_id for c in page.context["completions"]] == [course_tree.course.pk]
    assert "Nhận diện lừa đảo trực tuyến" in page.content.decode()


def test_my_learning_requires_login(client, home_page):
    assert client.get(reverse("courses:my_learning")).status_code == 302
