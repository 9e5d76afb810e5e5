from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import User
from common import jobs
from common.text import slugify_vi
from courses.models import CoursePage
from organisations.models import OrgUnit
from organisations.selectors import members_visible_to

from . import exports, selectors
from .models import ReportExport, UnitRollup

__all__ = ["build_export", "purge_old_exports", "refresh_rollups", "request_export"]

EXPORTS_KEPT_FOR = timedelta(days=7)


@transaction.atomic
def request_export(*, by: User, kind: str, file_format: str, params: dict) -> ReportExport:
    """Queue an export of a report the user may see; it is built by a Celery task."""
    if kind not in ReportExport.Kind.values or file_format not in ReportExport.Format.values:
        raise ValidationError(_("Unknown report or file type."))
    if kind == ReportExport.Kind.QUESTIONS:
        if not (by.is_superuser or by.has_perm("quizzes.change_question")):
            raise ValidationError(_("Only trainers may export the question analysis."))
    elif kind == ReportExport.Kind.RECORD:
        if not members_visible_to(by).filter(pk=params.get("member")).exists():
            raise ValidationError(_("This member is not in your area."))
    elif kind == ReportExport.Kind.NATIONAL:
        if not by.is_superuser:
            raise ValidationError(_("Only the national administrators may export the country."))
    elif selectors.visible_unit(by, params.get("unit")) is None:
        raise ValidationError(_("This unit is not in your area."))
    status = params.get("status", "")
    if status and status not in exports.status_labels():
        raise ValidationError(_("Unknown member status."))
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
    lease.beat(done=0)
    try:
        with translation.override(export.params.get("language", "vi")):
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
        message = _("The export failed: the unit is no longer in your area.")
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
    units = selectors.rollup_units(under)
    if not units:
        return 0
    courses = [None, *CoursePage.objects.live()]
    for course in courses:
        figures = selectors.rolled_up_figures(units, under=under, course=course, now=now)
        with transaction.atomic():
            UnitRollup.objects.filter(course=course, unit__in=units).delete()
            UnitRollup.objects.bulk_create(
                [
                    UnitRollup(
                        unit=unit,
                        course=course,
                        computed_at=now,
                        scored=figures[unit.path]["scored"],
                        **{name: figures[unit.path][name] for name in selectors.METRICS},
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
