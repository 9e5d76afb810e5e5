import datetime

import pytest
from django.utils import timezone

from courses import services as course_services
from courses.models import LessonPage, LessonProgress
from notifications.models import Kind, Notification
from training import selectors
from training.services import campaigns as campaign_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(tree, courses):
    return campaign_services.create_campaign(
        by=tree.province_admin,
        title="Đợt cập nhật lừa đảo",
        course_ids=[courses[1].pk],
        unit_codes=["P"],
        starts_on=timezone.localdate(),
        due_on=timezone.localdate() + datetime.timedelta(days=10),
        status="RUNNING",
    )


def publish(lesson, *, restudy, capture):
    lesson.requires_restudy = restudy
    with capture(execute=True):
        lesson.save_revision().publish()
    return LessonPage.objects.get(pk=lesson.pk)


def test_must_restudy_reaches_exactly_the_members_who_completed_it(
    tree, campaign, courses, client, django_capture_on_commit_callbacks
):
    lesson = LessonPage.objects.child_of(courses[1]).get()
    for member in (tree.member1, tree.member3):
        course_services.start_lesson(user=member, lesson=lesson)
        course_services.complete_lesson(user=member, lesson=lesson)
    course_services.start_lesson(user=tree.member2, lesson=lesson)  # started, not completed
    assert [a.completed for a in selectors.assignments_for(tree.member1)] == [True]

    lesson = publish(lesson, restudy=True, capture=django_capture_on_commit_callbacks)

    notified = set(
        Notification.objects.filter(kind=Kind.LESSON_UPDATED).values_list("user", flat=True)
    )
    assert notified == {tree.member1.pk, tree.member3.pk}
    assert lesson.requires_restudy is False  # the tick does not stick to later edits
    assert lesson.get_latest_revision_as_object().requires_restudy is False
    (item,) = selectors.assignments_for(tree.member1)
    assert not item.completed and item.percent == 0
    assert selectors.campaign_progress(campaign)["courses"][0]["completed"] == 0
    client.force_login(tree.member1)
    page = client.get(lesson.url).content.decode()
    assert "Hãy học lại bài này" in page

    course_services.complete_lesson(user=tree.member1, lesson=lesson)
    assert [a.completed for a in selectors.assignments_for(tree.member1)] == [True]
    assert selectors.campaign_progress(campaign)["courses"][0]["completed"] == 1

    publish(lesson, restudy=False, capture=django_capture_on_commit_callbacks)  # a typo fix
    assert LessonProgress.objects.filter(review_requested_at__isnull=False).count() == 1  # member3
    assert Notification.objects.filter(kind=Kind.LESSON_UPDATED).count() == 2
