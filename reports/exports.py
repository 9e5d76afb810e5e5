"""The tables behind each export: Vietnamese headers, one row per unit, member or question,
written to XLSX or CSV with every text cell that could run as a formula neutralised."""

import csv
import io
from collections.abc import Callable, Iterable

from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from common.spreadsheets import safe_cell, xlsx_row
from organisations.models import OrgUnit, Role
from organisations.selectors import members_visible_to
from outreach.selectors import member_fieldwork
from quizzes.statistics import item_analysis

from . import outreach_exports
from .figures import breakdown, member_rows
from .filters import filters_from_params, visible_unit
from .models import ReportExport
from .record import member_record
from .rollup import national_rows

PROGRESS_EVERY = 500


def _figure_headers() -> list[str]:
    return [
        _("Members"),
        _("Completed"),
        _("Share completed (%)"),
        _("In progress"),
        _("Not started"),
        _("Overdue"),
        _("Valid certificates"),
        _("Expiring within 30 days"),
        _("Expired: needs retraining"),
        _("Average best score (%)"),
    ]


def _figure_values(figures: dict) -> list:
    score = figures["average_best_score"]
    return [
        figures["members"],
        figures["completed"],
        figures["completed_percent"],
        figures["in_progress"],
        figures["not_started"],
        figures["overdue"],
        figures["certificates_valid"],
        figures["certificates_expiring"],
        figures["certificates_expired"],
        float(score) if score is not None else "",
    ]


def member_status(row) -> str:
    if row.is_completed:
        return _("Completed")
    if row.is_in_progress:
        return _("In progress")
    return _("Not started")


def certificate_status(row) -> str:
    if row.is_certificates_expiring:
        return _("Expiring within 30 days")
    if row.is_certificates_valid:
        return _("Valid")
    if row.is_certificates_expired:
        return _("Expired: needs retraining")
    return ""


def table(export: ReportExport) -> tuple[str, list[str], int, Iterable[list]]:
    """(sheet title, headers, number of rows, rows) of an export, scoped to its creator."""
    params, viewer = export.params, export.created_by
    if export.kind in outreach_exports.KINDS:
        return outreach_exports.table(export)
    if export.kind == ReportExport.Kind.QUESTIONS:
        items = item_analysis(topic_id=params.get("topic"))
        flags = {
            "hard": _("Almost everyone gets it wrong"),
            "easy": _("Almost everyone gets it right"),
        }
        rows = (
            [
                item["question"].topic.name if item["question"].topic else "",
                strip_tags(item["question"].text),
                item["answered"],
                item["correct_percent"] if item["correct_percent"] is not None else "",
                str(item["top_wrong"].text) if item["top_wrong"] else "",
                item["top_wrong_percent"] if item["top_wrong_percent"] is not None else "",
                flags.get(item["flag"], ""),
            ]
            for item in items
        )
        headers = [
            _("Topic"),
            _("Question"),
            _("Answers"),
            _("Share correct (%)"),
            _("Most chosen wrong answer"),
            _("Share who chose it (%)"),
            _("Flag"),
        ]
        return _("Question analysis"), headers, len(items), rows
    if export.kind == ReportExport.Kind.RECORD:
        return _record_table(export)
    if export.kind == ReportExport.Kind.NATIONAL:
        if not viewer.is_superuser:
            raise PermissionError("the national view is for superusers")
        filters = filters_from_params(params, viewer)
        rows = _unit_rows(*national_rows(filters.course), parent=None)
        headers = [_("Unit"), _("Code"), *_figure_headers()]
        return _("Whole country"), headers, len(rows), rows
    unit = visible_unit(viewer, params.get("unit"))
    if unit is None:
        raise PermissionError("unit outside the viewer's area")
    filters = filters_from_params(params, viewer)
    if export.kind == ReportExport.Kind.UNITS:
        rows = _unit_rows(*breakdown(unit, filters), parent=unit)
        return unit.name, [_("Unit"), _("Code"), *_figure_headers()], len(rows), rows
    members = member_rows(unit, filters, status=params.get("status", ""))
    roles = dict(Role.choices)
    rows = (
        [
            row.user.full_name or row.user.username,
            row.user.phone or "",
            row.unit.name,
            row.unit.code,
            str(roles.get(row.role, row.role)),
            member_status(row),
            _("Yes") if row.is_overdue else "",
            certificate_status(row),
            float(row.best_score) if row.best_score is not None else "",
        ]
        for row in members.iterator(chunk_size=2000)
    )
    headers = [
        _("Full name"),
        _("Phone number"),
        _("Team"),
        _("Team code"),
        _("Role"),
        _("Status"),
        _("Overdue"),
        _("Certificate"),
        _("Best score (%)"),
    ]
    return unit.name, headers, members.count(), rows


def _unit_rows(unit_rows, totals, *, parent: OrgUnit | None) -> list[list]:
    """One row per unit (members placed directly in `parent` under its name), then the total."""
    rows = [
        [(row.unit or parent).name, (row.unit or parent).code, *_figure_values(row.figures)]
        for row in unit_rows
    ]
    return [*rows, [_("Total"), parent.code if parent else "", *_figure_values(totals)]]


def _record_table(export: ReportExport):
    person = members_visible_to(export.created_by).filter(pk=export.params.get("member")).first()
    if person is None:
        raise PermissionError("member outside the viewer's area")
    record = member_record(person)
    now = timezone.now()

    def day(moment):
        return timezone.localtime(moment).strftime("%d/%m/%Y") if moment else ""

    rows = []
    for p in record["lessons"]:
        result = _("Updated: study again") if p.review_requested_at else ""
        rows.append([_("Lesson"), p.lesson.title, day(p.started_at), day(p.completed_at), result])
    for a in record["attempts"]:
        result = (
            f"{float(a.percent):g}% – {_('Passed') if a.passed else _('Not passed')}"
            if a.percent is not None
            else str(a.get_state_display())
        )
        rows.append(
            [
                _("Quiz"),
                f"{a.quiz.title} #{a.number}",
                day(a.started_at),
                day(a.submitted_at),
                result,
            ]
        )
    for c in record["certificates"]:
        if c.status(now) == "replaced":
            state = _("Replaced by a renewed certificate")
        elif c.revoked_at:
            state = f"{_('Revoked')}: {c.revoke_reason}"
        elif c.expires_at and c.expires_at < now:
            state = _("Expired: needs retraining")
        else:
            state = _("Valid")
        rows.append(
            [
                _("Certificate"),
                f"{c.course_title} ({c.display_code})",
                day(c.issued_at),
                day(c.expires_at),
                state,
            ]
        )
    fieldwork = member_fieldwork(person)
    for a in fieldwork["attendances"]:
        rows.append(
            [
                _("In-person session"),
                f"{a.session.title} ({a.session.place})",
                day(a.session.starts_at),
                day(a.checked_in_at),
                str(a.get_method_display()),
            ]
        )
    for e in fieldwork["outreach_entries"]:
        rows.append(
            [
                _("Help given to residents"),
                f"{e.get_kind_display()} · {e.place.name}",
                e.helped_on.strftime("%d/%m/%Y"),
                "",
                _("%(n)s residents") % {"n": e.residents},
            ]
        )
    headers = [_("Item"), _("Name"), _("Started / issued"), _("Completed / expires"), _("Result")]
    return person.full_name or person.username, headers, len(rows), rows


def write(
    *,
    file_format: str,
    title: str,
    headers: list[str],
    rows: Iterable[list],
    about: list[tuple[str, str]],
    progress: Callable[[int], None],
) -> bytes:
    """The file's bytes; `progress(n)` is called every few hundred rows."""
    if file_format == ReportExport.Format.CSV:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(headers)
        for n, row in enumerate(rows, start=1):
            writer.writerow([safe_cell(value) for value in row])
            if n % PROGRESS_EVERY == 0:
                progress(n)
        return buffer.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_title(title))
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for n, row in enumerate(rows, start=1):
        sheet.append(xlsx_row(sheet, row))
        if n % PROGRESS_EVERY == 0:
            progress(n)
    info = workbook.create_sheet(_("About")[:31])
    for key, value in about:
        info.append(xlsx_row(info, [key, value]))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str) -> str:
    for bad in "[]:*?/\\":
        title = title.replace(bad, " ")
    return title[:31] or "Report"


def about(export: ReportExport, title: str) -> list[tuple[str, str]]:
    if export.kind in outreach_exports.KINDS:
        return outreach_exports.about(export, title)
    params = export.params
    lines = [
        (_("Report"), f"{export.get_kind_display()}: {title}"),
        (_("Made by"), export.created_by.full_name or export.created_by.username),
        (_("Made at"), timezone.localtime().strftime("%d/%m/%Y %H:%M")),
    ]
    # Only a unit the author may see is named (the request was checked, but an "about"
    # sheet must never print a unit from outside the author's area).
    unit = visible_unit(export.created_by, params.get("unit"))
    if unit:
        lines.append((_("Unit"), f"{unit.name} ({unit.code})"))
    filters = filters_from_params(params, export.created_by)
    if filters.course:
        lines.append((_("Course"), filters.course.title))
    if filters.campaign:
        lines.append((_("Campaign"), filters.campaign.title))
    if filters.role:
        lines.append((_("Role"), str(dict(Role.choices)[filters.role])))
    if filters.date_from or filters.date_to:
        period = " – ".join(
            d.strftime("%d/%m/%Y") if d else "…" for d in (filters.date_from, filters.date_to)
        )
        lines.append((_("Completed between"), period))
    if params.get("status"):
        lines.append((_("Only"), str(status_labels().get(params["status"], ""))))
    return lines


def status_labels() -> dict[str, str]:
    return {
        "completed": _("Completed"),
        "in_progress": _("In progress"),
        "not_started": _("Not started"),
        "overdue": _("Overdue"),
        "certificates_expiring": _("Certificate expiring within 30 days"),
        "certificates_expired": _("Expired: needs retraining"),
    }
