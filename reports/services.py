import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import User
from common import jobs
from common.params import clean_date, parse_id
from common.text import slugify_vi
from courses.models import CoursePage
from organisations.models import TEAM_ROLES, OrgUnit
from organisations.selectors import members_visible_to
from training.selectors import campaigns_covering

from . import exports
from .figures import METRICS
from .filters import visible_unit
from .models import ReportExport, UnitRollup
from .rollup import rolled_up_figures, rollup_units

__all__ = [
    "build_export",
    "check_export_access",
    "clean_export_params",
    "purge_old_exports",
    "refresh_rollups",
    "request_export",
]

EXPORTS_KEPT_FOR = timedelta(days=7)
logger = logging.getLogger(__name__)


def check_export_access(*, by: User, kind: str, params: dict) -> None:
    """Whether `by` may have this export now: asked when it is requested, when it is
    built and again at every download (someone moved out of an area loses its exports)."""
    if kind == ReportExport.Kind.QUESTIONS:
        if not (by.is_superuser or by.has_perm("quizzes.change_question")):
            raise ValidationError(_("Only trainers may export the question analysis."))
    elif kind == ReportExport.Kind.RECORD:
        member = parse_id(params.get("member"))
        if member is None or not members_visible_to(by).filter(pk=member).exists():
            raise ValidationError(_("This member is not in your area."))
    elif kind == ReportExport.Kind.NATIONAL:
        if not by.is_superuser:
            raise ValidationError(_("Only the national administrators may export the country."))
    elif visible_unit(by, params.get("unit")) is None:
        raise ValidationError(_("This unit is not in your area."))


def clean_export_params(*, by: User, params: dict) -> dict:
    """The filters of an export request, checked and normalised (ids as numbers, dates as
    yyyy-mm-dd); ValidationError with a Vietnamese message for anything wrong."""
    clean: dict = {}
    for name in ("unit", "member", "course", "campaign", "topic"):
        value = params.get(name)
        if value in (None, ""):
            continue
        if parse_id(value) is None:
            raise ValidationError(
                _("A filter of this export is not valid: %(name)s."), params={"name": name}
            )
        clean[name] = parse_id(value)
    for name in ("date_from", "date_to"):
        if params.get(name) not in (None, ""):
            clean[name] = clean_date(params[name]).isoformat()
    if clean.get("date_from") and clean.get("date_to") and clean["date_from"] > clean["date_to"]:
        raise ValidationError(_("The end of the period is before its start."))
    role = params.get("role") or ""
    if role and role not in TEAM_ROLES:
        raise ValidationError(_("Unknown role."))
    status = params.get("status") or ""
    if status and status not in exports.status_labels():
        raise ValidationError(_("Unknown member status."))
    if clean.get("course") and not CoursePage.objects.live().filter(pk=clean["course"]).exists():
        raise ValidationError(_("This course does not exist."))
    if clean.get("campaign") and not (campaigns_covering(by).filter(pk=clean["campaign"]).exists()):
        raise ValidationError(_("This campaign is not in your area."))
    return {**clean, "role": role, "status": status}


@transaction.atomic
def request_export(*, by: User, kind: str, file_format: str, params: dict) -> ReportExport:
    """Queue an export of a report the user may see; it is built by a Celery task.
    Its filters are checked now, so a bad one is refused here rather than in the task."""
    if kind not in ReportExport.Kind.values or file_format not in ReportExport.Format.values:
        raise ValidationError(_("Unknown report or file type."))
    params = clean_export_params(by=by, params=params)
    check_export_access(by=by, kind=kind, params=params)
    export = ReportExport.objects.create(
        created_by=by,
        kind=kind,
        file_format=file_format,
        params={**params, "language": translation.get_language() or "vi"},
    )
    jobs.queue(export)
    return export


def build_export(*, export_id: int) -> ReportExport | None:
    """Write the file under a lease (`common.jobs`): a worker that dies is followed by
    another, which starts the file over; a delivery to a second worker does nothing."""
    return jobs.run(ReportExport, export_id, _build_export)


def _build_export(lease: jobs.Lease) -> dict:
    export = ReportExport.objects.select_related("created_by").get(pk=lease.job.pk)
    language = export.params.get("language", "vi")
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    with translation.override(language):
        # The stored request is checked again before any work: its filters, and the
        # author's right to it today. A ValidationError fails the job with its message.
        clean_export_params(by=export.created_by, params=export.params)
        check_export_access(by=export.created_by, kind=export.kind, params=export.params)
        lease.beat(done=0)
        try:
            title, headers, total, rows = exports.table(export)
            lease.beat(total=total)
            content = exports.write(
                file_format=export.file_format,
                title=title,
                headers=headers,
                rows=rows,
                about=exports.about(export, title),
                progress=lambda n: lease.beat(done=n),
            )
        except PermissionError as error:
            message = _("The unit or member is no longer in your area.")
            raise ValidationError(message) from error
    name = slugify_vi(title) or slugify(export.kind.lower())
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    export.file.save(f"{name}-{stamp}.{export.file_format}", ContentFile(content), save=False)
    return {"file": export.file.name, "done": total}


def refresh_rollups(*, under: OrgUnit | None = None) -> int:
    """Recompute the roll-up (every nation and province and their children, for "any
    course" and each live course), everywhere or only under one unit; returns the number
    of rows written."""
    now = timezone.now()
    units = rollup_units(under)
    if not units:
        return 0
    courses = [None, *CoursePage.objects.live()]
    for course in courses:
        figures = rolled_up_figures(units, under=under, course=course, now=now)
        with transaction.atomic():
            UnitRollup.objects.filter(course=course, unit__in=units).delete()
            UnitRollup.objects.bulk_create(
                [
                    UnitRollup(
                        unit=unit,
                        course=course,
                        computed_at=now,
                        scored=figures[unit.path]["scored"],
                        **{name: figures[unit.path][name] for name in METRICS},
                    )
                    for unit in units
                ],
                batch_size=2000,
            )
    return len(units) * len(courses)


def purge_old_exports() -> int:
    """Exports hold personal data: files and rows older than a week are deleted."""
    old = ReportExport.objects.filter(created_at__lt=timezone.now() - EXPORTS_KEPT_FOR)
    for export in old.exclude(file=""):
        export.file.delete(save=False)
    return old.delete()[0]
