"""Recertification: certificates close to expiry are renewed after the course is studied again."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from certificates.models import Certificate
from certificates.services import renew_certificate
from courses.models import CourseCompletion, CoursePage
from courses.services import request_course_review
from notifications.models import Kind
from notifications.services import Notice, notify_each

from .. import selectors
from ..models import Recertification

__all__ = [
    "SWEEP_CHUNK",
    "open_recertifications",
    "renew_if_recertifying",
]


SWEEP_CHUNK = 1000


def open_recertifications(*, on: date | None = None, chunk: int = SWEEP_CHUNK) -> int:
    """The daily job: certificates with 30 days left (or already lapsed) get a renewal: the
    course (or its refresher) is assigned again, its lessons are marked for re-study, and
    the member is reminded. Renewals already satisfied are completed. Returns how many
    renewals this run opened.

    Set-based, in chunks of `chunk` certificates, each one transaction of a few statements
    (`_open_chunk`). Running it again, or on two workers at once, opens each renewal once:
    a chunk's certificates are locked before their renewals are looked up, so a second
    sweep waits for the first chunk's commit and then finds the renewals there."""
    on = on or timezone.localdate()
    due = list(selectors.recertifications_due(on=on).order_by("pk").values_list("pk", flat=True))
    links: dict[int, str] = {}  # a course's URL, looked up once per sweep
    opened = sum(
        _open_chunk(due[start : start + chunk], on=on, links=links)
        for start in range(0, len(due), chunk)
    )
    for renewal in selectors.renewals_ready():
        renew_if_recertifying(**renewal)
    return opened


def _course_to_study(course: CoursePage) -> CoursePage:
    refresher = course.refresher_course or course
    return refresher if refresher.live else course


@transaction.atomic
def _open_chunk(certificate_ids: list[int], *, on: date, links: dict[int, str]) -> int:
    # The lock comes first; the renewals are read in a statement of their own afterwards, so
    # (read committed) a sweep that waited here sees what the one before it committed.
    locked = list(
        Certificate.objects.select_for_update()
        .filter(pk__in=certificate_ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    rows = list(
        selectors.recertifications_due(on=on)
        .filter(pk__in=locked)
        .order_by("pk")
        .values_list("pk", "user_id", "course_id", "course_title", "expires_at")
    )
    if not rows:
        return 0
    to_study = {
        course.pk: _course_to_study(course)
        for course in CoursePage.objects.filter(pk__in={row[2] for row in rows}).select_related(
            "refresher_course"
        )
    }
    renewals = [
        Recertification(
            certificate_id=certificate_id,
            user_id=user_id,
            course=to_study[course_id],
            due_on=timezone.localtime(expires_at).date(),
        )
        for certificate_id, user_id, course_id, _title, expires_at in rows
    ]
    Recertification.objects.bulk_create(renewals)
    courses = {course.pk: course for course in to_study.values()}
    for course_id, course in courses.items():
        request_course_review(
            course=course,
            user_ids=sorted({r.user_id for r in renewals if r.course_id == course_id}),
        )
        if course_id not in links:
            links[course_id] = course.url or ""
    notify_each(
        kind=Kind.CERTIFICATE_EXPIRING,
        notices=[
            Notice(
                user_id=renewal.user_id,
                key=f"certificate:{renewal.certificate_id}:expiring",
                params={
                    "course": title,
                    "refresher": courses[renewal.course_id].title,
                    "expires_on": renewal.due_on.isoformat(),
                },
                link=links[renewal.course_id],
            )
            for renewal, (_pk, _user, _course, title, _expires) in zip(renewals, rows, strict=True)
        ],
    )
    return len(renewals)


def renew_if_recertifying(*, user_id: int, course_id: int) -> list[Certificate]:
    """Renew the certificates waiting on this course once the member has completed it with
    nothing left to re-study."""
    renewals = list(
        Recertification.objects.filter(
            user_id=user_id, course_id=course_id, renewed_at__isnull=True
        ).select_related("certificate", "course")
    )
    if not renewals:
        return []
    course = renewals[0].course
    finished = CourseCompletion.objects.filter(user_id=user_id, course=course).exists()
    if not finished or selectors.restudying_members([course]).filter(user_id=user_id).exists():
        return []
    renewed = []
    for renewal in renewals:
        with transaction.atomic():
            claimed = Recertification.objects.filter(pk=renewal.pk, renewed_at__isnull=True).update(
                renewed_at=timezone.now()
            )
            if not claimed:
                continue
            certificate = renew_certificate(certificate=renewal.certificate)
            if certificate is None:  # revoked meanwhile: re-study does not undo a revocation
                transaction.set_rollback(True)
                continue
            Recertification.objects.filter(pk=renewal.pk).update(renewed_certificate=certificate)
            renewed.append(certificate)
    return renewed
