"""Recertification: certificates close to expiry are renewed after the course is studied again."""

from datetime import date
from typing import cast

from django.db import transaction
from django.utils import timezone

from certificates.models import Certificate
from certificates.services import renew_certificate
from courses.models import CourseCompletion, CoursePage
from courses.services import request_course_review
from notifications.models import Kind
from notifications.services import notify

from .. import selectors
from ..models import Recertification

__all__ = [
    "open_recertifications",
    "renew_if_recertifying",
]


def open_recertifications(*, on: date | None = None) -> int:
    """The daily job: certificates with 30 days left (or already lapsed) get a renewal: the
    course (or its refresher) is assigned again, its lessons are marked for re-study, and
    the member is reminded. Renewals already satisfied are completed."""
    on = on or timezone.localdate()
    opened = 0
    for certificate in selectors.recertifications_due(on=on).iterator():
        issued_for = cast(CoursePage, certificate.course)  # the selector keeps those with one
        course = issued_for.refresher_course or issued_for
        if not course.live:
            course = issued_for
        with transaction.atomic():
            renewal, created = Recertification.objects.get_or_create(
                certificate=certificate,
                defaults={
                    "user_id": certificate.user_id,
                    "course": course,
                    "due_on": timezone.localtime(certificate.expires_at).date(),
                },
            )
            if not created:
                continue
            request_course_review(course=course, user_ids=[certificate.user_id])
            notify(
                user_ids=[certificate.user_id],
                kind=Kind.CERTIFICATE_EXPIRING,
                key=f"certificate:{certificate.pk}:expiring",
                params={
                    "course": certificate.course_title,
                    "refresher": course.title,
                    "expires_on": renewal.due_on.isoformat(),
                },
                link=course.url or "",
            )
        opened += 1
    for renewal in selectors.renewals_ready():
        renew_if_recertifying(**renewal)
    return opened


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
