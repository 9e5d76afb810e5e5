from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from organisations.selectors import members_visible_to

from .codes import normalise_code
from .models import Certificate

__all__ = [
    "certificate_for_download",
    "certificate_rewards",
    "certificates_of",
    "certificates_visible_to",
    "find_by_code",
]


def find_by_code(typed: str) -> Certificate | None:
    code = normalise_code(typed)
    return Certificate.objects.filter(code=code).first() if code else None


def certificates_of(user: User) -> QuerySet[Certificate]:
    return (
        Certificate.objects.filter(user=user).select_related("replacement").order_by("-issued_at")
    )


def certificates_visible_to(viewer: User) -> QuerySet[Certificate]:
    """An administrator's certificates: those of members in their area."""
    return Certificate.objects.filter(user__in=members_visible_to(viewer))


def certificate_for_download(viewer: User, code: str) -> Certificate | None:
    """The owner, or an administrator whose area covers the owner; nobody else."""
    certificate = find_by_code(code)
    if certificate is None or not viewer.is_authenticated:
        return None
    if (
        certificate.user_id == viewer.pk
        or certificates_visible_to(viewer).filter(pk=certificate.pk).exists()
    ):
        return certificate
    return None


def filter_by_status(queryset: QuerySet[Certificate], status: str) -> QuerySet[Certificate]:
    now = timezone.now()
    if status == "valid":
        return queryset.filter(revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )
    if status == "expired":
        return queryset.filter(revoked_at__isnull=True, expires_at__lte=now)
    if status == "expiring":
        return queryset.filter(
            revoked_at__isnull=True,
            expires_at__gt=now,
            expires_at__lte=now + timedelta(days=30),
        )
    renewed = Q(replacement__origin=Certificate.Origin.RENEWED)
    if status == "revoked":
        return queryset.filter(revoked_at__isnull=False).exclude(renewed)
    if status == "replaced":
        return queryset.filter(renewed)
    return queryset


def certificate_rewards(user: User, course_ids: list[int]) -> dict:
    """For completed courses: the member's latest unrevoked certificate (download and check
    links), "revoked" when every certificate of the course was revoked, or "being issued"
    while the task runs, for courses that issue one."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from courses.journey import Reward
    from courses.models import CoursePage

    latest: dict[int | None, Certificate] = {}
    revoked: set[int | None] = set()
    for issued in Certificate.objects.filter(user=user, course_id__in=course_ids).order_by(
        "issued_at"
    ):
        if issued.revoked_at is None:
            latest[issued.course_id] = issued
        else:
            revoked.add(issued.course_id)
    rewards = {}
    issuing = CoursePage.objects.filter(pk__in=course_ids, issues_certificate=True).values_list(
        "pk", flat=True
    )
    for course_id in issuing:
        certificate = latest.get(course_id)
        if certificate is None and course_id in revoked:
            rewards[course_id] = Reward(title=_("Your certificate was revoked"), revoked=True)
        elif certificate is None:
            rewards[course_id] = Reward(title=_("Your certificate is being issued"), pending=True)
        else:
            rewards[course_id] = Reward(
                title=_("Certificate %(code)s") % {"code": certificate.display_code},
                url=reverse("certificates:download", args=[certificate.code])
                if certificate.pdf
                else "",
                pending=not certificate.pdf,
                secondary_url=reverse("certificates:verify", args=[certificate.code]),
            )
    return rewards
