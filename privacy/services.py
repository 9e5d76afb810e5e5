"""Writes about personal data: consent, the member's copy of their data, correction
requests, erasure, retention and the access log. Keyword-only, typed, atomic; bad input
raises ValidationError with a Vietnamese message."""

import io
import json
import logging
import zipfile
from datetime import datetime, timedelta
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import ActivationCode, User
from certificates.models import Certificate, CertificateArchive
from certificates.services import delete_pdf_files
from common import jobs
from common.spreadsheets import xlsx_row
from notifications.models import Delivery, Notification, RecordedMessage
from organisations.models import Membership, OrgUnit, RosterImport
from organisations.selectors import path_with_ancestors
from outreach.models import OutreachEntry
from reports.models import ReportExport

from . import selectors
from .models import (
    AccessLog,
    Consent,
    CorrectionRequest,
    DataExport,
    ErasureRecord,
    MemberChoice,
    PrivacyNotice,
    RetentionRun,
)
from .periods import DEFAULT_RETENTION_DAYS

__all__ = [
    "EXPORT_BURST",
    "accept_notice",
    "apply_retention",
    "build_data_export",
    "erase_member",
    "handle_correction",
    "record_download",
    "request_data_export",
    "set_keep_name",
    "submit_correction",
]

logger = logging.getLogger(__name__)

TEXT_LIMIT = 2000
# Report exports that list members by name (the others hold figures per unit).
PERSONAL_EXPORT_KINDS = (ReportExport.Kind.MEMBERS, ReportExport.Kind.RECORD)


# --- Notice and consent ----------------------------------------------------------------


def clear_notice_cache() -> None:
    cache.delete(selectors.CURRENT_NOTICE_KEY)


@transaction.atomic
def accept_notice(*, user: User, notice: PrivacyNotice, ip_address: str | None = None) -> Consent:
    if notice.published_at is None:
        raise ValidationError(_("This version of the notice is not published."), code="draft")
    consent, _created = Consent.objects.get_or_create(
        user=user, notice=notice, defaults={"ip_address": ip_address or None}
    )
    return consent


@transaction.atomic
def set_keep_name(*, user: User, keep: bool) -> MemberChoice:
    choice, _created = MemberChoice.objects.update_or_create(
        user=user, defaults={"keep_name_on_certificates": keep}
    )
    return choice


# --- The member's copy of their data ---------------------------------------------------


# Clicks this close together ask for the same copy.
EXPORT_BURST = timedelta(minutes=1)


@transaction.atomic
def request_data_export(*, user: User) -> DataExport:
    """Queue a copy of the user's data; a copy already queued or being built, or one asked
    for in the last minute, is returned instead (seven clicks: one copy, even when the first
    copy was built before the last click arrived). The member's row is locked first, so two
    clicks at the same moment cannot both find nothing and both queue one."""
    User.objects.select_for_update().filter(pk=user.pk).first()
    unfinished = Q(status__in=[*DataExport.waiting_statuses(), *DataExport.working_statuses()])
    just_built = Q(status=DataExport.Status.DONE, created_at__gte=timezone.now() - EXPORT_BURST)
    running = (
        DataExport.objects.filter(unfinished | just_built, created_by=user)
        .order_by("-created_at")
        .first()
    )
    if running is not None:
        return running
    export = DataExport.objects.create(created_by=user, total=len(selectors.section_titles()))
    jobs.queue(export)
    return export


def build_data_export(*, export_id: int) -> DataExport | None:
    """Build the ZIP under a lease (`common.jobs`); a crash starts it over (no other effect)."""
    return jobs.run(DataExport, export_id, _build_data_export)


def _cell(value: object) -> object:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return "" if value is None else selectors.readable(value)


def _build_data_export(lease: jobs.Lease) -> dict:
    export = DataExport.objects.select_related("created_by").get(pk=lease.job.pk)
    user = export.created_by
    from openpyxl import Workbook
    from openpyxl.styles import Font

    with translation.override(settings.LANGUAGE_CODE):
        data = selectors.member_data(user)
        titles = selectors.section_titles()
        sheet_titles = selectors.sheet_titles()
        workbook = Workbook()
        workbook.remove(workbook.active)
        for done, key in enumerate(titles, start=1):
            sheet = workbook.create_sheet(title=sheet_titles[key])
            section = data[key]
            if isinstance(section, dict):
                sheet.append([_("Field"), _("Value")])
                for label, value in section.items():
                    sheet.append(xlsx_row(sheet, [str(label), _cell(value)]))
            else:
                headers = [str(h) for h in (section[0].keys() if section else [_("Nothing")])]
                sheet.append(headers)
                for row in section:
                    sheet.append(xlsx_row(sheet, [_cell(v) for v in row.values()]))
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            for column in sheet.columns:
                width = max(len(str(c.value or "")) for c in column)
                sheet.column_dimensions[column[0].column_letter].width = min(max(12, width + 2), 60)
            lease.beat(done=done)
        xlsx = io.BytesIO()
        workbook.save(xlsx)
        document = {
            "generated_at": timezone.localtime().isoformat(),
            "sections": {str(titles[k]): v for k, v in data.items()},
        }
        readme = _(
            "Everything the platform holds about you, on %(when)s.\n"
            "du-lieu-cua-toi.json: the data, for a computer.\n"
            "du-lieu-cua-toi.xlsx: the same data, one sheet per kind, to read.\n"
        ) % {"when": timezone.localtime().strftime("%d/%m/%Y %H:%M")}
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "du-lieu-cua-toi.json",
            json.dumps(document, ensure_ascii=False, indent=2, default=str),
        )
        zf.writestr("du-lieu-cua-toi.xlsx", xlsx.getvalue())
        zf.writestr("doc-truoc.txt", readme)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    export.file.save(f"du-lieu-cua-toi-{stamp}.zip", ContentFile(archive.getvalue()), save=False)
    return {"file": export.file.name, "done": export.total}


# --- Corrections -----------------------------------------------------------------------


@transaction.atomic
def submit_correction(*, member: User, text: str) -> CorrectionRequest:
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Say what is wrong and what it should be."), code="empty")
    if len(text) > TEXT_LIMIT:
        raise ValidationError(
            _("At most %(limit)s characters, please.") % {"limit": TEXT_LIMIT}, code="long"
        )
    return CorrectionRequest.objects.create(member=member, text=text)


@transaction.atomic
def handle_correction(*, by: User, request_id: int, reply: str) -> CorrectionRequest:
    correction = (
        selectors.corrections_visible_to(by).select_for_update(of=("self",)).filter(pk=request_id)
    ).first()
    if correction is None:
        raise ValidationError(_("This request is not in your area."), code="scope")
    reply = (reply or "").strip()
    if not reply:
        raise ValidationError(_("Write a reply to the member: what was corrected, or why not."))
    if len(reply) > TEXT_LIMIT:
        raise ValidationError(_("At most %(limit)s characters, please.") % {"limit": TEXT_LIMIT})
    if correction.status == CorrectionRequest.Status.HANDLED:
        raise ValidationError(_("This request was already handled."), code="handled")
    correction.status = CorrectionRequest.Status.HANDLED
    correction.handled_by = by
    correction.handled_at = timezone.now()
    correction.reply = reply
    correction.save(update_fields=["status", "handled_by", "handled_at", "reply"])
    return correction


# --- Access log ------------------------------------------------------------------------


def record_download(
    *, user: User, kind: str, description: str, unit: OrgUnit | None = None
) -> AccessLog:
    return AccessLog.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        kind=kind,
        description=str(description)[:300],
        unit=unit,
        unit_path=unit.path if unit is not None else "",
    )


# --- Erasure ---------------------------------------------------------------------------

ERASED_USERNAME = "da-xoa-{pk}"


def is_erased(user: User) -> bool:
    return user.erased_at is not None


def _deleted(queryset: QuerySet) -> int:
    """Delete and count the rows of the queryset's own model (not the rows the deletion
    cascaded to: deleting 213 notifications also deletes their deliveries)."""
    _total, per_model = queryset.delete()
    return per_model.get(queryset.model._meta.label, 0)


def _delete_files(queryset: QuerySet, field: str = "file") -> int:
    count = 0
    for obj in queryset.exclude(**{field: ""}).iterator():
        getattr(obj, field).delete(save=False)
        count += 1
    return count


def _end_sessions(user: User) -> int:
    """Delete every session of the user (database and cache, whatever the engine)."""
    from django.contrib.sessions.models import Session

    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    for key, data in Session.objects.filter(expire_date__gt=timezone.now()).values_list(
        "session_key", "session_data"
    ):
        decoded = store().decode(data)
        if str(decoded.get("_auth_user_id")) == str(user.pk):
            store(session_key=key).delete()
            ended += 1
    return ended


def _scrub_roster_rows(phone: str | None, name: str) -> int:
    """Drop the rows (and row errors) stored for this person in roster imports."""
    if not phone and not name:
        return 0
    changed = 0
    for job in RosterImport.objects.exclude(rows=[], errors=[]).iterator():

        def mentions(item: object) -> bool:
            text = json.dumps(item, ensure_ascii=False, default=str)
            return bool((phone and phone in text) or (name and name in text))

        rows = [row for row in job.rows if not mentions(row)]
        errors = [error for error in job.errors if not mentions(error)]
        if len(rows) != len(job.rows) or len(errors) != len(job.errors):
            changed += len(job.rows) - len(rows) + len(job.errors) - len(errors)
            RosterImport.objects.filter(pk=job.pk).update(rows=rows, errors=errors)
    return changed


def _login_records(usernames: list[str]) -> int:
    removed = 0
    for name in ("AccessAttempt", "AccessLog", "AccessFailureLog"):
        try:
            model = apps.get_model("axes", name)
        except LookupError:
            continue
        removed += _deleted(model.objects.filter(username__in=usernames))
    return removed


def _wagtail_log_labels(user: User, names: list[str], replacement: str) -> int:
    from wagtail.models import ModelLogEntry, PageLogEntry

    changed = 0
    for model in (ModelLogEntry, PageLogEntry):
        for name in names:
            for entry in model.objects.filter(label__contains=name).only("pk", "label"):
                model.objects.filter(pk=entry.pk).update(
                    label=entry.label.replace(name, replacement)
                )
                changed += 1
    return changed


@transaction.atomic
def erase_member(*, by: User | None, member: User, reason: str) -> ErasureRecord:
    """Anonymise a member who left: personal fields, sessions and codes, personal files;
    their rows (memberships, progress, attempts, completions) stay, de-identified, so every
    figure adds up as before. `by` None: the retention job (inactive accounts)."""
    reason = " ".join((reason or "").split())
    if len(reason) < 5:
        raise ValidationError(_("Give the reason for erasing this member's data."), code="reason")
    if len(reason) > 500:
        raise ValidationError(_("At most %(limit)s characters, please.") % {"limit": 500})
    member = User.objects.select_for_update().get(pk=member.pk)
    if is_erased(member):
        raise ValidationError(_("This member's data was already erased."), code="erased")
    if by is not None:
        refusal = selectors.erasure_refusal(by, member)
        if refusal is not None:
            raise ValidationError(refusal, code="refused")
    if member.is_superuser or member.is_staff:
        raise ValidationError(
            _("An administrator's account with admin rights cannot be erased here."),
            code="staff",
        )
    now = timezone.now()
    phone, email, full_name = member.phone, member.email, member.full_name
    usernames = [u for u in {member.username, phone or ""} if u]
    names = [n for n in {full_name, member.last_name, member.first_name} if len(n or "") > 2]
    names.sort(key=len, reverse=True)
    keep_name = selectors.keeps_name_on_certificates(member)
    unit = selectors.last_unit(member)
    counts: dict[str, int] = {}

    certificates = Certificate.objects.filter(user=member)
    counts["certificate_pdfs"] = sum(delete_pdf_files(c) for c in certificates.iterator())
    certificates.update(pdf="")
    if keep_name:
        counts["certificates_kept_with_name"] = certificates.count()
    else:
        counts["certificates_withdrawn"] = certificates.filter(withdrawn_at__isnull=True).update(
            withdrawn_at=now, full_name=""
        )
    # Files that may list the member: archives of their units, member lists, their own.
    paths = list(Membership.objects.filter(user=member).values_list("unit__path", flat=True))
    archive_q = Q(created_by=member)
    for path in paths:
        archive_q |= Q(unit__path__in=path_with_ancestors(path))
    archives = CertificateArchive.objects.filter(archive_q)
    counts["certificate_archives"] = _delete_files(archives)
    archives.delete()
    exports = ReportExport.objects.filter(Q(kind__in=PERSONAL_EXPORT_KINDS) | Q(created_by=member))
    counts["report_exports"] = _delete_files(exports)
    exports.delete()
    own = DataExport.objects.filter(created_by=member)
    counts["data_exports"] = _delete_files(own)
    own.delete()
    counts["roster_rows"] = _scrub_roster_rows(phone, full_name)
    # Messages and notices addressed to the member.
    addresses = [a for a in (phone, email) if a]
    counts["messages"] = _deleted(RecordedMessage.objects.filter(address__in=addresses))
    counts["deliveries"] = _deleted(
        Delivery.objects.filter(Q(notification__user=member) | Q(address__in=addresses))
    )
    counts["notifications"] = _deleted(Notification.objects.filter(user=member))
    counts["correction_requests"] = _deleted(CorrectionRequest.objects.filter(member=member))
    counts["outreach_notes"] = (
        OutreachEntry.objects.filter(user=member).exclude(note="").update(note="")
    )
    # Access: codes, sessions, login records.
    counts["activation_codes"] = _deleted(ActivationCode.objects.filter(user=member))
    counts["sessions"] = _end_sessions(member)
    counts["login_records"] = _login_records(usernames)
    anonymous = ERASED_USERNAME.format(pk=member.pk)
    counts["log_labels"] = _wagtail_log_labels(member, names, anonymous)
    profile = getattr(member, "wagtail_userprofile", None)
    if profile is not None and profile.avatar:
        profile.avatar.delete(save=False)
        profile.avatar = None
        profile.save(update_fields=["avatar"])
    member.username = anonymous
    member.first_name = member.last_name = member.email = ""
    member.phone = None
    member.date_of_birth = None
    # `is_active` is left as it was: the figures count active members, and they must add
    # up as before. Without a password, a phone or a code, nobody can log in as them.
    member.set_unusable_password()
    member.erased_at = now
    member.save()
    return ErasureRecord.objects.create(
        user_id_erased=member.pk,
        by=by,
        at=now,
        reason=reason,
        counts=counts,
        unit=unit,
        unit_path=unit.path if unit is not None else "",
    )


# --- Retention -------------------------------------------------------------------------


def retention_days() -> dict[str, int]:
    return {**DEFAULT_RETENTION_DAYS, **getattr(settings, "PRIVACY_RETENTION_DAYS", {})}


def apply_retention(*, now: datetime | None = None) -> RetentionRun:
    """Remove, in bulk, whatever is older than its retention period; record what went.
    Running it twice removes nothing the second time."""
    now = now or timezone.now()
    days = retention_days()

    def before(kind: str) -> datetime:
        return now - timedelta(days=days[kind])

    counts: dict[str, int] = {}
    run = RetentionRun.objects.create(started_at=now)
    # Roster imports: the uploaded file and the rows kept for the preview.
    old_imports = RosterImport.objects.filter(created_at__lt=before("import_files"))
    counts["import_files"] = _delete_files(old_imports, "source")
    old_imports.exclude(source="").update(source="")
    counts["import_rows"] = old_imports.exclude(rows=[], errors=[]).update(rows=[], errors=[])
    for key, model in (("report_exports", ReportExport), ("data_exports", DataExport)):
        old: QuerySet = model.objects.filter(created_at__lt=before("exports"))
        _delete_files(old)
        counts[key] = _deleted(old)
    old = CertificateArchive.objects.filter(created_at__lt=before("archives"))
    _delete_files(old)
    counts["certificate_archives"] = _deleted(old)
    counts["recorded_messages"] = _deleted(
        RecordedMessage.objects.filter(created_at__lt=before("message_log"))
    )
    counts["deliveries"] = _deleted(
        Delivery.objects.filter(not_before__lt=before("message_log")).exclude(
            status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING]
        )
    )
    counts["notifications"] = _deleted(
        Notification.objects.filter(created_at__lt=before("notifications"))
    )
    counts["access_log"] = _deleted(AccessLog.objects.filter(at__lt=before("audit")))
    counts["login_records"] = 0
    for name in ("AccessLog", "AccessFailureLog", "AccessAttempt"):
        try:
            model = apps.get_model("axes", name)
        except LookupError:
            continue
        counts["login_records"] += _deleted(model.objects.filter(attempt_time__lt=before("audit")))
    counts["inactive_accounts"] = 0
    inactive = (
        User.objects.filter(is_active=False, is_staff=False, is_superuser=False)
        .filter(
            Q(last_login__lt=before("inactive_accounts"))
            | Q(last_login__isnull=True, date_joined__lt=before("inactive_accounts"))
        )
        .filter(erased_at__isnull=True)
    )
    for user in inactive.iterator():
        erase_member(by=None, member=user, reason=str(_("Retention: account inactive")))
        counts["inactive_accounts"] += 1
    RetentionRun.objects.filter(pk=run.pk).update(finished_at=timezone.now(), counts=counts)
    run.refresh_from_db()
    return run
