"""Each app sends its own notices (issue 18): the certificate service queues the "certificate
issued" notice in the transaction that writes the certificate, and the course service
queues the "lesson updated" notice with the re-study marks; no signal or task of `training`
stands in between, and running the queued task again sends nothing twice."""

import pytest
from django.db import transaction

from certificates import services, tasks
from common.models import OutboxMessage
from courses import services as course_services
from courses import tasks as course_tasks
from courses.models import LessonProgress
from notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db


def test_the_certificate_service_queues_its_own_notice_with_the_certificate(
    completed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        certificate = services.issue_certificate(completion_id=completed.completion.pk)
        (message,) = OutboxMessage.objects.filter(task_name__endswith="notify_certificate_issued")
    assert message.task_name == "certificates.tasks.notify_certificate_issued"
    assert message.kwargs == {"certificate_id": certificate.pk}
    notices = Notification.objects.filter(user=completed.member, kind=Kind.CERTIFICATE_ISSUED)
    assert [n.key for n in notices] == [f"certificate:{certificate.pk}:issued"]
    assert notices.get().params == {
        "course": certificate.course_title,
        "code": certificate.display_code,
    }

    assert tasks.notify_certificate_issued(certificate_id=certificate.pk) == 0  # a redelivery
    assert services.issue_certificate(completion_id=completed.completion.pk) == certificate
    assert notices.count() == 1
    assert (
        OutboxMessage.objects.filter(task_name__endswith="notify_certificate_issued").count() == 1
    )


def test_a_certificate_revoked_before_its_notice_goes_out_is_not_announced(completed):
    certificate = services.issue_certificate(completion_id=completed.completion.pk)
    Notification.objects.all().delete()  # as if the queued notice had not run yet
    services.revoke_certificate(certificate=certificate, by=completed.root, reason="Nhầm người")
    assert services.notify_certificate_issued(certificate_id=certificate.pk) == 0
    assert not Notification.objects.exists()


def test_the_course_service_queues_the_lesson_notice_with_the_marks(
    completed, django_capture_on_commit_callbacks
):
    course_services.start_lesson(user=completed.member, lesson=completed.lesson)
    course_services.complete_lesson(user=completed.member, lesson=completed.lesson)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        marked = course_services.request_restudy(lesson=completed.lesson, revision_id=91)
        (message,) = OutboxMessage.objects.filter(task_name__endswith="notify_lesson_updated")
    assert marked == 1
    assert message.task_name == "courses.tasks.notify_lesson_updated"
    assert message.kwargs == {"lesson_id": completed.lesson.pk, "revision_id": 91}
    notice = Notification.objects.get(kind=Kind.LESSON_UPDATED)
    assert (notice.user, notice.key) == (
        completed.member,
        f"lesson:{completed.lesson.pk}:revision:91",
    )
    assert course_tasks.notify_lesson_updated(lesson_id=completed.lesson.pk, revision_id=91) == 0
    assert Notification.objects.filter(kind=Kind.LESSON_UPDATED).count() == 1
    assert LessonProgress.objects.get(user=completed.member).review_requested_at is not None


def test_training_no_longer_relays_notices_of_other_apps():
    from config.celery_app import app

    app.loader.import_default_modules()
    assert "training.tasks.notify_certificate_issued" not in app.tasks
    assert "training.tasks.notify_lesson_updated" not in app.tasks
    assert "certificates.tasks.notify_certificate_issued" in app.tasks
    assert "courses.tasks.notify_lesson_updated" in app.tasks
