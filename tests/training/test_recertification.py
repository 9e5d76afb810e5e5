import datetime
import zoneinfo

import pytest
import time_machine
from django.utils import timezone

from certificates.models import Certificate
from courses import services as course_services
from courses.models import CoursePage, LessonPage, LessonProgress
from notifications.models import Kind, Notification
from training import selectors
from training.models import Recertification
from training.services import renewals as renewal_services

pytestmark = pytest.mark.django_db

VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def complete_course(user, course, capture):
    for lesson in LessonPage.objects.child_of(course):
        course_services.start_lesson(user=user, lesson=lesson)
        with capture(execute=True):
            course_services.complete_lesson(user=user, lesson=lesson)


@pytest.fixture
def certified(tree, courses, django_capture_on_commit_callbacks):
    """member1 holds a 12-month certificate of the first course, issued now."""
    course = courses[0]
    CoursePage.objects.filter(pk=course.pk).update(certificate_validity_months=12)
    complete_course(tree.member1, course, django_capture_on_commit_callbacks)
    return Certificate.objects.get(user=tree.member1)


def day_before_expiry(certificate, days):
    expiry = timezone.localtime(certificate.expires_at)
    return (expiry - datetime.timedelta(days=days)).replace(hour=7, minute=30)


def test_recertification_end_to_end(tree, certified, django_capture_on_commit_callbacks):
    assert Notification.objects.filter(user=tree.member1, kind=Kind.CERTIFICATE_ISSUED).count() == 1
    with time_machine.travel(day_before_expiry(certified, 31), tick=False):
        assert renewal_services.open_recertifications() == 0  # 31 days left: not yet
    with time_machine.travel(day_before_expiry(certified, 30), tick=False):
        assert renewal_services.open_recertifications() == 1
        assert renewal_services.open_recertifications() == 0  # the job ran again
        renewal = Recertification.objects.get()
        assert renewal.course_id == certified.course_id
        assert renewal.due_on == timezone.localtime(certified.expires_at).date()
        expiring = Notification.objects.get(kind=Kind.CERTIFICATE_EXPIRING)
        assert expiring.user == tree.member1
        (item,) = selectors.assignments_for(tree.member1)
        assert item.recertification == renewal and not item.completed and item.percent == 0
        assert LessonProgress.objects.filter(review_requested_at__isnull=False).count() == 1
        complete_course(tree.member1, certified.course, django_capture_on_commit_callbacks)
    renewal.refresh_from_db()
    certified.refresh_from_db()
    assert renewal.renewed_at is not None
    new = renewal.renewed_certificate
    assert new.code != certified.code and new.revoked_at is None
    assert new.expires_at > certified.expires_at
    assert certified.revoked_at is not None  # replaced, still verifiable as such
    assert selectors.assignments_for(tree.member1) == []
    assert Notification.objects.filter(user=tree.member1, kind=Kind.CERTIFICATE_ISSUED).count() == 2


def test_an_expired_certificate_means_retraining_until_renewed(tree, certified, courses):
    after_expiry = timezone.localtime(certified.expires_at) + datetime.timedelta(days=2)
    with time_machine.travel(after_expiry, tick=False):
        assert list(selectors.needing_retraining(tree.p)) == [tree.member1.pk]
        assert list(selectors.needing_retraining(tree.y)) == []
        renewal_services.open_recertifications()  # a lapse the job had not seen is re-assigned too
        (item,) = selectors.assignments_for(tree.member1)
        assert item.overdue
        for lesson in LessonPage.objects.child_of(courses[0]):
            course_services.complete_lesson(user=tree.member1, lesson=lesson)
        renewal_services.open_recertifications()  # the daily sweep renews what is satisfied
        assert list(selectors.needing_retraining(tree.p)) == []


def test_a_named_refresher_course_is_assigned_instead(
    tree, certified, courses, django_capture_on_commit_callbacks
):
    refresher = courses[1]
    CoursePage.objects.filter(pk=certified.course_id).update(refresher_course=refresher)
    with time_machine.travel(day_before_expiry(certified, 10), tick=False):
        renewal_services.open_recertifications()
        assert Recertification.objects.get().course_id == refresher.pk
        assert Notification.objects.get(kind=Kind.CERTIFICATE_EXPIRING).params["refresher"] == (
            refresher.title
        )
        complete_course(tree.member1, refresher, django_capture_on_commit_callbacks)
    renewal = Recertification.objects.get()
    assert renewal.renewed_certificate.course_id == certified.course_id
