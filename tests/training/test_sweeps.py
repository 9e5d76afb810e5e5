"""Set-based sweeps (issue 19): renewals, due reminders and overdue notices in chunks of a
few statements, idempotent: a second run, a sweep interleaved with another, two workers at
once or a real worker running them twice create and send nothing twice."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from certificates.models import Certificate
from courses import services as course_services
from courses.models import CoursePage, LessonPage, LessonProgress
from notifications.models import Delivery, Kind, Notification
from tests.worker import requires_redis, running_worker, send, wait_for
from training import selectors
from training.models import Campaign, CampaignStatus, Recertification
from training.services import reminders, renewals


def _members(tree):
    return [tree.leader, tree.member1, tree.member2, tree.member3]


def _complete(user, course, capture):
    for lesson in LessonPage.objects.child_of(course):
        course_services.start_lesson(user=user, lesson=lesson)
        with capture(execute=True):
            course_services.complete_lesson(user=user, lesson=lesson)


@pytest.fixture
def expiring(tree, courses, django_capture_on_commit_callbacks):
    """Four members hold a certificate of the first course that expires in 20 days."""
    course = courses[0]
    CoursePage.objects.filter(pk=course.pk).update(certificate_validity_months=12)
    for member in _members(tree):
        _complete(member, course, django_capture_on_commit_callbacks)
    Certificate.objects.update(expires_at=timezone.now() + datetime.timedelta(days=20))
    return list(Certificate.objects.order_by("pk"))


def _state():
    """Everything a renewal sweep writes, to compare runs."""
    return {
        "renewals": sorted(
            Recertification.objects.values_list("certificate_id", "user_id", "course_id", "due_on")
        ),
        "notices": sorted(Notification.objects.values_list("user_id", "key", "kind", "created_at")),
        "deliveries": Delivery.objects.count(),
        "review": sorted(
            LessonProgress.objects.filter(review_requested_at__isnull=False).values_list(
                "user_id", "lesson_id", "review_requested_at"
            )
        ),
    }


def _assert_opened_once(certificates):
    renewals_by_certificate = {r.certificate_id: r for r in Recertification.objects.all()}
    assert sorted(renewals_by_certificate) == [c.pk for c in certificates]
    for certificate in certificates:
        renewal = renewals_by_certificate[certificate.pk]
        assert renewal.user_id == certificate.user_id
        assert renewal.course_id == certificate.course_id
        assert renewal.due_on == timezone.localtime(certificate.expires_at).date()
        notice = Notification.objects.get(key=f"certificate:{certificate.pk}:expiring")
        assert notice.user_id == certificate.user_id
        assert notice.kind == Kind.CERTIFICATE_EXPIRING
        assert notice.params == {
            "course": certificate.course_title,
            "refresher": certificate.course.title,
            "expires_on": renewal.due_on.isoformat(),
        }
        assert notice.link == certificate.course.url
    assert Notification.objects.filter(kind=Kind.CERTIFICATE_EXPIRING).count() == len(certificates)
    under_review = LessonProgress.objects.filter(review_requested_at__isnull=False)
    assert sorted(under_review.values_list("user_id", flat=True)) == sorted(
        c.user_id for c in certificates
    )


@pytest.mark.django_db
@pytest.mark.parametrize("chunk", [1, 3, 1000])
def test_the_renewal_sweep_opens_each_renewal_once_whatever_the_chunk_size(expiring, chunk):
    assert renewals.open_recertifications(chunk=chunk) == 4
    _assert_opened_once(expiring)
    before = _state()
    assert renewals.open_recertifications(chunk=chunk) == 0  # the job ran again
    assert _state() == before


@pytest.mark.django_db
def test_revoked_inactive_and_far_certificates_are_left_out(tree, expiring):
    revoked, inactive, far, due = expiring
    Certificate.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())
    type(tree.member1).objects.filter(pk=inactive.user_id).update(is_active=False)
    Certificate.objects.filter(pk=far.pk).update(
        expires_at=timezone.now() + datetime.timedelta(days=40)
    )
    assert renewals.open_recertifications(chunk=2) == 1
    _assert_opened_once([due])


@pytest.mark.django_db
def test_two_sweeps_interleaved_create_and_send_nothing_twice(
    tree, expiring, django_capture_on_commit_callbacks
):
    """Sweep A listed the due certificates and opened its first chunk; sweep B then ran in
    full; A goes on with the rest of the list it read before B. In between, a member whose
    renewal A opened studied the course again: nothing marks it for review a second time."""
    on = timezone.localdate()
    due = list(selectors.recertifications_due(on=on).order_by("pk").values_list("pk", flat=True))
    assert len(due) == 4
    assert renewals._open_chunk(due[:2], on=on, links={}) == 2
    first = Certificate.objects.get(pk=due[0])
    _complete(first.user, first.course, django_capture_on_commit_callbacks)
    assert renewals.open_recertifications(chunk=1) == 2  # B: only what A had not reached
    assert renewals._open_chunk(due[2:], on=on, links={}) == 0  # A: all done already
    assert sorted(Recertification.objects.values_list("certificate_id", flat=True)) == due
    assert Notification.objects.filter(kind=Kind.CERTIFICATE_EXPIRING).count() == 4
    assert not LessonProgress.objects.filter(
        user=first.user, review_requested_at__isnull=False
    ).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_sweeping_at_the_same_moment_open_each_renewal_once(expiring):
    start = threading.Barrier(2)
    opened, errors = [], []

    def sweep():
        try:
            start.wait(timeout=10)
            opened.append(renewals.open_recertifications(chunk=1))
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(opened) in ([0, 4], [1, 3], [2, 2])  # shared, never doubled
    assert sum(opened) == 4
    _assert_opened_once(expiring)


# --- Reminders and overdue notices --------------------------------------------------------


@pytest.fixture
def running(tree, courses):
    def make(*, due_in: int) -> Campaign:
        today = timezone.localdate()
        campaign = Campaign.objects.create(
            title=f"Đợt {due_in}",
            starts_on=today - datetime.timedelta(days=40),
            due_on=today + datetime.timedelta(days=due_in),
            status=CampaignStatus.RUNNING,
            created_by=tree.province_admin,
        )
        campaign.courses.set([courses[1]])
        campaign.target_units.set([tree.p])
        return campaign

    return make


@pytest.mark.django_db
@pytest.mark.parametrize("chunk", [1, 3, 1000])
@pytest.mark.parametrize(("due_in", "event"), [(3, "due:3"), (-2, "overdue")])
def test_reminders_and_overdue_notices_once_whatever_the_chunk_size(
    tree, running, chunk, due_in, event
):
    campaign = running(due_in=due_in)
    behind = set(selectors.members_behind(campaign))
    assert behind == {m.pk for m in _members(tree)}
    assert reminders.send_campaign_notices(campaign_id=campaign.pk, chunk=chunk) == 8
    key = f"campaign:{campaign.pk}:{campaign.due_on.isoformat()}:{event}"
    assert set(Notification.objects.filter(key=key).values_list("user_id", flat=True)) == behind
    assigned = Notification.objects.filter(key=f"campaign:{campaign.pk}:assigned")
    assert set(assigned.values_list("user_id", flat=True)) == behind
    assert Notification.objects.count() == 8
    deliveries = Delivery.objects.count()
    assert deliveries == 8  # each member has a phone number
    assert reminders.run_daily_reminders(chunk=chunk) == 0
    assert reminders.send_campaign_notices(campaign_id=campaign.pk, chunk=chunk) == 0
    assert Notification.objects.count() == 8 and Delivery.objects.count() == deliveries


@pytest.mark.django_db
def test_a_reminder_sweep_interleaved_with_another_sends_each_notice_once(tree, running):
    """A second sweep that already sent the notice to some members (it ran first, or its
    chunk committed first) leaves A to send only to the others."""
    from notifications.services import notify

    campaign = running(due_in=-2)
    key = f"campaign:{campaign.pk}:{campaign.due_on.isoformat()}:overdue"
    notify(user_ids=[tree.member1.pk, tree.member3.pk], kind=Kind.OVERDUE, key=key, params={})
    assert reminders.send_campaign_notices(campaign_id=campaign.pk, chunk=1) == 4 + 2
    assert Notification.objects.filter(key=key).count() == 4


# --- On a real worker ----------------------------------------------------------------------


@pytest.mark.worker
@requires_redis
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_sweeps_run_twice_on_a_real_worker_send_each_notice_once(tree, expiring, running):
    overdue = running(due_in=-2)
    soon = running(due_in=3)
    with running_worker() as queue:
        for _ in range(2):
            send("training.tasks.open_recertifications", queue=queue)
            send("training.tasks.run_daily_reminders", queue=queue)
        overdue_key = f"campaign:{overdue.pk}:{overdue.due_on.isoformat()}:overdue"
        soon_key = f"campaign:{soon.pk}:{soon.due_on.isoformat()}:due:3"
        assert wait_for(
            lambda: (
                Recertification.objects.count() == 4
                and Notification.objects.filter(key=overdue_key).count() == 4
                and Notification.objects.filter(key=soon_key).count() == 4
            ),
            timeout=90,
        )
        wait_for(lambda: False, timeout=5)  # the second runs finish too
    _assert_opened_once(expiring)
    assert Notification.objects.filter(key__startswith=f"campaign:{overdue.pk}:").count() == 8
    assert Notification.objects.filter(key__startswith=f"campaign:{soon.pk}:").count() == 8
    duplicated = [
        pair
        for pair in Notification.objects.values_list("user_id", "key")
        if Notification.objects.filter(user_id=pair[0], key=pair[1]).count() > 1
    ]
    assert duplicated == []
