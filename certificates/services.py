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
from organisations.selectors import current_team_membership, members_of_subtree, members_visible_to

from . import codes, pdf
from .models import Certificate, CertificateArchive, CertificateEvent, CertificateTemplate
from .signals import certificate_issued

__all__ = [
    "current_certificate",
    "issue_certificate",
    "reissue_certificate",
    "renew_certificate",
    "request_archive",
    "revoke_certificate",
    "verify_url",
]


def verify_url(code: str) -> str:
    return settings.BASE_URL.rstrip("/") + reverse("certificates:verify", args=[code])


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


def current_certificate(*, completion_id: int) -> Certificate | None:
    """The certificate of a completion that nothing replaced (in force or not)."""
    return (
        Certificate.objects.filter(completion_id=completion_id, replacement__isnull=True)
        .order_by("-issued_at", "-pk")
        .first()
    )


def issue_certificate(*, completion_id: int, by: User | None = None) -> Certificate | None:
    """The certificate of a course completion, created once. The completion decides: once it
    has a certificate (valid, expired, revoked or replaced), every later call, whether a
    retried, redelivered or re-queued task or a repeated event, returns what is there and
    changes nothing. Re-issuing and renewing are explicit and separate (below)."""
    existing = current_certificate(completion_id=completion_id)
    if existing:
        return existing
    completion = (
        CourseCompletion.objects.select_related("user", "course").filter(pk=completion_id).first()
    )
    if completion is None or completion.course is None or not completion.course.issues_certificate:
        return None
    return _create(completion=completion, by=by, replaces=None)


def _create(
    *,
    completion: CourseCompletion,
    by: User | None,
    replaces: Certificate | None,
    origin: str = Certificate.Origin.ISSUED,
    reason: str = "",
) -> Certificate:
    """Write a certificate of `completion` (the original when `replaces` is None, else its
    replacement), its PDF and its history. The database settles races: one original per
    completion, one replacement per certificate; whoever loses returns the winner's."""
    action = CertificateEvent.Action(origin)  # ISSUED, REISSUED, RENEWED: same names
    for _attempt in range(5):
        certificate = _new_certificate(completion=completion, now=timezone.now())
        certificate.replaces, certificate.origin = replaces, origin
        content = pdf.render_pdf(certificate, verify_url=verify_url(certificate.code))
        try:
            with transaction.atomic():
                certificate.pdf.save(f"{certificate.code}.pdf", ContentFile(content), save=False)
                certificate.save()
                CertificateEvent.objects.create(
                    certificate=certificate, action=action, by=by, reason=reason[:300]
                )
                transaction.on_commit(
                    lambda pk=certificate.pk: certificate_issued.send(
                        sender=Certificate, certificate_id=pk
                    )
                )
        except IntegrityError:
            certificate.pdf.delete(save=False)
            winner = (
                current_certificate(completion_id=completion.pk)
                if replaces is None
                else Certificate.objects.filter(replaces=replaces).first()
            )
            if winner:
                return winner  # another worker or request wrote it first
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


def _completion_of(certificate: Certificate) -> CourseCompletion:
    completion = (
        CourseCompletion.objects.select_related("user", "course")
        .filter(pk=certificate.completion_id)
        .first()
    )
    if completion is None or completion.course is None:
        raise ValidationError(
            _("This certificate cannot be re-issued: its course record is gone."), code="no_course"
        )
    return completion


@transaction.atomic
def reissue_certificate(*, certificate: Certificate, by: User, reason: str) -> Certificate:
    """An administrator replaces a certificate (e.g. a corrected name): the old one is
    revoked and kept, the new one names it as the one it replaces."""
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    completion = _completion_of(certificate)
    replacement = certificate.replaced_by
    if replacement is not None:
        raise ValidationError(
            _("This certificate was already replaced by %(code)s."),
            code="already_replaced",
            params={"code": replacement.display_code},
        )
    reason = " ".join(nfc(reason or "").split())
    if not certificate.revoked_at:
        revoke_certificate(certificate=certificate, by=by, reason=reason or _("Re-issued"))
    return _create(
        completion=completion,
        by=by,
        replaces=certificate,
        origin=Certificate.Origin.REISSUED,
        reason=f"{certificate.display_code}: {reason}" if reason else certificate.display_code,
    )


@transaction.atomic
def renew_certificate(*, certificate: Certificate) -> Certificate | None:
    """After a member re-studied for renewal: a new certificate (new code, validity counted
    from today) replaces the old one, which the verify page shows as replaced. Safe to
    repeat: a certificate is renewed once. A certificate an administrator revoked is not
    renewed (None): a revocation is only undone by re-issuing."""
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    replacement = certificate.replaced_by
    if replacement is not None:
        return replacement if replacement.origin == Certificate.Origin.RENEWED else None
    if certificate.revoked_at is not None or certificate.completion_id is None:
        return None
    completion = _completion_of(certificate)
    Certificate.objects.filter(pk=certificate.pk).update(
        revoked_at=timezone.now(), revoke_reason=_("Replaced by a renewed certificate")
    )
    certificate.refresh_from_db()
    return _create(
        completion=completion,
        by=None,
        replaces=certificate,
        origin=Certificate.Origin.RENEWED,
        reason=certificate.display_code,
    )


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
    if archive.status == CertificateArchive.Status.DONE:
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
