import io
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common import outbox
from common.text import nfc
from courses.models import CourseCompletion
from organisations.models import OrgUnit
from organisations.selectors import (
    current_team_membership,
    members_of_subtree,
    members_visible_to,
    units_visible_to,
)

from . import codes, pdf
from .models import Certificate, CertificateArchive, CertificateEvent, CertificateTemplate
from .signals import certificate_issued

__all__ = [
    "issue_certificate",
    "reissue_certificate",
    "renew_certificate",
    "request_archive",
    "revoke_certificate",
    "verify_url",
]


def verify_url(code: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("certificates:verify", args=[code])


def _add_months(moment, months: int):
    year, month = divmod(moment.month - 1 + months, 12)
    day = min(moment.day, 28 if month == 1 else 30 if month in (3, 5, 8, 10) else 31)
    return moment.replace(year=moment.year + year, month=month + 1, day=day)


def _unit_name(user: User) -> str:
    membership = current_team_membership(user)
    if membership is None:
        return ""
    unit = membership.unit
    parents = [a.name for a in unit.get_ancestors() if a.kind in ("COMMUNE", "PROVINCE")]
    return " – ".join([unit.name, *reversed(parents)])


def _new_certificate(*, completion: CourseCompletion, now) -> Certificate:
    course = completion.course
    template = (
        CertificateTemplate.objects.filter(is_default=True).first()
        or CertificateTemplate.objects.first()
    )
    months = course.certificate_validity_months
    return Certificate(
        code=codes.new_code(),
        user=completion.user,
        course=course,
        completion=completion,
        issued_at=now,
        expires_at=_add_months(now, months) if months else None,
        full_name=completion.user.full_name or completion.user.username,
        course_title=course.title,
        unit_name=_unit_name(completion.user),
        template=template,
        issuing_organisation=template.issuing_organisation if template else "",
        heading=template.heading if template else "GIẤY CHỨNG NHẬN",
        wording=template.wording if template else "Đã hoàn thành khoá học “{khoa_hoc}”.",
        signatory_name=template.signatory_name if template else "",
        signatory_title=template.signatory_title if template else "",
    )


def issue_certificate(*, completion_id: int, by: User | None = None) -> Certificate | None:
    """The certificate of a course completion, created once: repeated events, retried or
    parallel tasks all end with the same single certificate."""
    existing = Certificate.objects.filter(
        completion_id=completion_id, revoked_at__isnull=True
    ).first()
    if existing:
        return existing
    completion = (
        CourseCompletion.objects.select_related("user", "course").filter(pk=completion_id).first()
    )
    if completion is None or completion.course is None or not completion.course.issues_certificate:
        return None
    for _attempt in range(5):
        certificate = _new_certificate(completion=completion, now=timezone.now())
        content = pdf.render_pdf(certificate, verify_url=verify_url(certificate.code))
        try:
            with transaction.atomic():
                certificate.pdf.save(f"{certificate.code}.pdf", ContentFile(content), save=False)
                certificate.save()
                CertificateEvent.objects.create(
                    certificate=certificate, action=CertificateEvent.Action.ISSUED, by=by
                )
                transaction.on_commit(
                    lambda pk=certificate.pk: certificate_issued.send(
                        sender=Certificate, certificate_id=pk
                    )
                )
        except IntegrityError:
            certificate.pdf.delete(save=False)
            existing = Certificate.objects.filter(
                completion_id=completion_id, revoked_at__isnull=True
            ).first()
            if existing:
                return existing  # another worker issued it first
            continue  # a code collision (about one in 2^83): draw again
        return certificate
    raise RuntimeError("could not draw a unique certificate code")


@transaction.atomic
def revoke_certificate(*, certificate: Certificate, by: User, reason: str) -> Certificate:
    reason = " ".join(nfc(reason or "").split())
    if not reason:
        raise ValidationError(
            _("Give the reason for revoking the certificate."), code="reason_required"
        )
    if certificate.revoked_at:
        raise ValidationError(_("This certificate is already revoked."), code="already_revoked")
    Certificate.objects.filter(pk=certificate.pk).update(
        revoked_at=timezone.now(), revoke_reason=reason[:300]
    )
    CertificateEvent.objects.create(
        certificate=certificate, action=CertificateEvent.Action.REVOKED, by=by, reason=reason[:300]
    )
    certificate.refresh_from_db()
    return certificate


def reissue_certificate(*, certificate: Certificate, by: User, reason: str) -> Certificate:
    """Replace a certificate (e.g. a corrected name): the old one is revoked and kept."""
    if certificate.completion_id is None:
        raise ValidationError(_("This certificate cannot be re-issued: its course record is gone."))
    if not certificate.revoked_at:
        revoke_certificate(certificate=certificate, by=by, reason=reason or _("Re-issued"))
    new = issue_certificate(completion_id=certificate.completion_id, by=by)
    CertificateEvent.objects.create(
        certificate=new,
        action=CertificateEvent.Action.REISSUED,
        by=by,
        reason=f"{certificate.display_code}: {reason}"[:300],
    )
    return new


@transaction.atomic
def renew_certificate(*, certificate: Certificate) -> Certificate:
    """After a member re-studied for renewal: a new certificate (new code, validity counted
    from today) replaces the old one, which stays verifiable as replaced. Safe to repeat."""
    if certificate.revoked_at is None:
        Certificate.objects.filter(pk=certificate.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoke_reason=_("Replaced by a renewed certificate")
        )
    new = issue_certificate(completion_id=certificate.completion_id)
    if new is not None and not new.events.filter(action=CertificateEvent.Action.RENEWED).exists():
        CertificateEvent.objects.create(
            certificate=new, action=CertificateEvent.Action.RENEWED, reason=certificate.display_code
        )
    return new


@transaction.atomic
def request_archive(*, by: User, unit: OrgUnit) -> CertificateArchive:
    archive = CertificateArchive.objects.create(created_by=by, unit=unit)
    outbox.enqueue("certificates.tasks.build_archive", archive_id=archive.pk)
    return archive


def archive_certificates(unit: OrgUnit, viewer: User):
    people = members_of_subtree(unit).filter(pk__in=members_visible_to(viewer).values("pk"))
    return Certificate.objects.filter(user__in=people, revoked_at__isnull=True).order_by(
        "full_name"
    )


def build_archive(*, archive_id: int) -> CertificateArchive:
    """Zip the PDFs of the unit's live certificates (safe to run again: it starts over)."""
    archive = CertificateArchive.objects.select_related("unit", "created_by").get(pk=archive_id)
    if archive.status in (CertificateArchive.Status.DONE, CertificateArchive.Status.FAILED):
        return archive
    if not units_visible_to(archive.created_by).filter(pk=archive.unit_id).exists():
        CertificateArchive.objects.filter(pk=archive.pk).update(
            status=CertificateArchive.Status.FAILED,
            failure=_("This unit is no longer in your area."),
        )
        archive.refresh_from_db()
        return archive
    certificates = list(archive_certificates(archive.unit, archive.created_by))
    CertificateArchive.objects.filter(pk=archive.pk).update(
        status=CertificateArchive.Status.RUNNING, total=len(certificates), done=0
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        for n, certificate in enumerate(certificates, start=1):
            if certificate.pdf:
                with certificate.pdf.open("rb") as handle:
                    bundle.writestr(
                        f"{certificate.full_name} - {certificate.display_code}.pdf", handle.read()
                    )
            if n % 50 == 0 or n == len(certificates):
                CertificateArchive.objects.filter(pk=archive.pk).update(done=n)
    archive.file.save(
        f"chung-chi-{archive.unit.code}-{archive.pk}.zip",
        ContentFile(buffer.getvalue()),
        save=False,
    )
    CertificateArchive.objects.filter(pk=archive.pk).update(
        file=archive.file.name, status=CertificateArchive.Status.DONE, done=F("total")
    )
    archive.refresh_from_db()
    return archive
