from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from organisations.selectors import members_visible_to

from .codes import normalise_code
from .models import Certificate

__all__ = ["certificate_for_download", "certificates_of", "certificates_visible_to", "find_by_code"]


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
