import tempfile
import zipfile
from datetime import datetime
from typing import cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common import jobs, outbox
from common.text import nfc
from courses.models import CourseCompletion, CoursePage
from notifications.models import Kind
from notifications.services import notify
from organisations.models import OrgUnit
from organisations.selectors import (
    current_team_membership,
    members_of_subtree,
    members_visible_to,
    units_visible_to,
)

from . import codes, pdf
from .models import (
    BulkIssue,
    Certificate,
    CertificateArchive,
    CertificateEvent,
    CertificateTemplate,
)

__all__ = [
    "current_certificate",
    "delete_pdf_files",
    "issue_certificate",
    "issue_missing_certificates",
    "notify_certificate_issued",
    "regenerate_pdf",
    "reissue_certificate",
    "renew_certificate",
    "request_archive",
    "request_bulk_issue",
    "revoke_certificate",
    "verify_url",
]


def verify_url(code: str) -> str:
    return settings.BASE_URL.rstrip("/") + reverse("certificates:verify", args=[code])


def _add_months(moment: datetime, months: int) -> datetime:
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


def _new_certificate(*, completion: CourseCompletion, now: datetime) -> Certificate:
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


PDF_FOLDER = "certificates"  # Certificate.pdf: upload_to="certificates/%Y/%m/"


def pdf_file_names(certificate: Certificate) -> list[str]:
    """Every stored PDF of this certificate, in every month folder: the file the row points
    to and any older one (the storage adds a suffix, CODE_aB3xYz9.pdf, when the name is
    taken)."""
    storage = Certificate._meta.get_field("pdf").storage
    code = certificate.code
    names: set[str] = {cast(str, certificate.pdf.name)} if certificate.pdf else set()
    if not code or not storage.exists(PDF_FOLDER):
        return sorted(n for n in names if storage.exists(n))
    for year in storage.listdir(PDF_FOLDER)[0]:
        for month in storage.listdir(f"{PDF_FOLDER}/{year}")[0]:
            folder = f"{PDF_FOLDER}/{year}/{month}"
            for name in storage.listdir(folder)[1]:
                if name == f"{code}.pdf" or (name.startswith(f"{code}_") and name.endswith(".pdf")):
                    names.add(f"{folder}/{name}")
    return sorted(n for n in names if storage.exists(n))


def delete_pdf_files(certificate: Certificate) -> int:
    """Delete every stored PDF of the certificate (see `pdf_file_names`); the row keeps its
    `pdf` value: the caller clears or replaces it."""
    storage = Certificate._meta.get_field("pdf").storage
    names = pdf_file_names(certificate)
    for name in names:
        storage.delete(name)
    return len(names)


def regenerate_pdf(*, certificate: Certificate) -> Certificate:
    """Draw the certificate's PDF again (a new template, a corrected name): the old file is
    deleted, so no earlier copy stays on disk."""
    content = pdf.render_pdf(certificate, verify_url=verify_url(certificate.code))
    delete_pdf_files(certificate)
    certificate.pdf.save(f"{certificate.code}.pdf", ContentFile(content), save=False)
    Certificate.objects.filter(pk=certificate.pk).update(pdf=certificate.pdf.name)
    return certificate


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
                # The member's notice is queued with the certificate (sent after the commit).
                outbox.enqueue(
                    "certificates.tasks.notify_certificate_issued", certificate_id=certificate.pk
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


def notify_certificate_issued(*, certificate_id: int) -> int:
    """Tell the member about a new certificate (first issue, re-issue or renewal) once: the
    notice is keyed by the certificate. Nothing is sent for one revoked meanwhile."""
    certificate = Certificate.objects.filter(pk=certificate_id, revoked_at__isnull=True).first()
    if certificate is None:
        return 0
    return notify(
        user_ids=[certificate.user_id],
        kind=Kind.CERTIFICATE_ISSUED,
        key=f"certificate:{certificate.pk}:issued",
        params={"course": certificate.course_title, "code": certificate.display_code},
        link=reverse("certificates:mine"),
    )


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
        .filter(pk=certificate.completion_id)  # type: ignore[misc]  # None: found below
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


ARCHIVE_CHUNK = 50


@transaction.atomic
def request_archive(*, by: User, unit: OrgUnit) -> CertificateArchive:
    archive = CertificateArchive.objects.create(created_by=by, unit=unit)
    jobs.queue(archive)
    return archive


def archive_certificates(unit: OrgUnit, viewer: User) -> QuerySet[Certificate]:
    people = members_of_subtree(unit).filter(pk__in=members_visible_to(viewer).values("pk"))
    return Certificate.objects.filter(user__in=people, revoked_at__isnull=True).order_by(
        "full_name", "pk"
    )


def build_archive(*, archive_id: int) -> CertificateArchive | None:
    """Zip the PDFs of the unit's live certificates under a lease (`common.jobs`): the lease
    is renewed with the progress of every chunk of PDFs; a worker that dies is followed by
    another, which builds the ZIP over (a ZIP holds each certificate once)."""
    return jobs.run(CertificateArchive, archive_id, _build_archive)


def _build_archive(lease: jobs.Lease) -> dict:
    archive = CertificateArchive.objects.select_related("unit", "created_by").get(pk=lease.job.pk)
    if not units_visible_to(archive.created_by).filter(pk=archive.unit_id).exists():
        raise ValidationError(_("This unit is no longer in your area."), code="out_of_scope")
    certificates = list(archive_certificates(archive.unit, archive.created_by))
    lease.beat(total=len(certificates), done=0)
    with tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024) as buffer:
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
            for start in range(0, len(certificates), ARCHIVE_CHUNK):
                for certificate in certificates[start : start + ARCHIVE_CHUNK]:
                    if certificate.pdf:
                        with certificate.pdf.open("rb") as handle:
                            bundle.writestr(
                                f"{certificate.full_name} - {certificate.display_code}.pdf",
                                handle.read(),
                            )
                lease.beat(done=min(start + ARCHIVE_CHUNK, len(certificates)))
        buffer.seek(0)
        archive.file.save(
            f"chung-chi-{archive.unit.code}-{archive.pk}.zip", File(buffer), save=False
        )
    return {"file": archive.file.name, "done": len(certificates)}


# --- Issuing the missing certificates of a unit --------------------------------------------

BULK_CHUNK = 10


def completions_without_certificate(
    *, unit: OrgUnit, course: CoursePage, viewer: User
) -> QuerySet[CourseCompletion]:
    """Completions of `course` by members of `unit` (in the viewer's area) that never had a
    certificate. One that had one, even revoked or replaced, is not issued again."""
    people = members_of_subtree(unit).filter(pk__in=members_visible_to(viewer).values("pk"))
    return CourseCompletion.objects.filter(
        course=course, user__in=people, certificates__isnull=True
    ).order_by("pk")


@transaction.atomic
def request_bulk_issue(*, by: User, unit: OrgUnit, course: CoursePage) -> BulkIssue:
    if not course.issues_certificate:
        raise ValidationError(_("This course does not issue certificates."), code="no_certificate")
    if not completions_without_certificate(unit=unit, course=course, viewer=by).exists():
        raise ValidationError(
            _("Everyone in %(unit)s who completed this course already has a certificate."),
            code="nothing_missing",
            params={"unit": unit.name},
        )
    job = BulkIssue.objects.create(created_by=by, unit=unit, course=course)
    jobs.queue(job)
    return job


def issue_missing_certificates(*, job_id: int) -> BulkIssue | None:
    """Issue them, chunk by chunk. Each chunk and its progress mark are one transaction, and
    `issue_certificate` makes one certificate per completion whatever happens, so a worker
    that dies is followed by another and no certificate is issued twice."""
    return jobs.run(BulkIssue, job_id, _issue_missing)


def _issue_missing(lease: jobs.Lease) -> dict:
    job = BulkIssue.objects.select_related("unit", "course", "created_by").get(pk=lease.job.pk)
    missing = completions_without_certificate(
        unit=job.unit, course=job.course, viewer=job.created_by
    )
    if job.last_completion_id == 0:
        lease.beat(total=missing.count(), done=0)
    while True:
        with lease.chunk():
            cursor = BulkIssue.objects.values_list("last_completion_id", flat=True).get(pk=job.pk)
            chunk = list(missing.filter(pk__gt=cursor).values_list("pk", flat=True)[:BULK_CHUNK])
            if not chunk:
                return {}
            issued = sum(
                issue_certificate(completion_id=pk, by=job.created_by) is not None for pk in chunk
            )
            lease.beat(
                done=F("done") + len(chunk),
                issued_count=F("issued_count") + issued,
                last_completion_id=chunk[-1],
            )
