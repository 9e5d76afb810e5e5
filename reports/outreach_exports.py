"""The outreach report as a table for the export machinery (exports.write): per unit (or
per member of a team) or per week, scoped to the export's author at build time."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import CoursePage
from organisations.models import OrgUnit
from outreach.models import HelpKind
from training.selectors import campaigns_visible_to

from .filters import visible_unit
from .models import ReportExport
from .outreach_forms import make_filters
from .outreach_selectors import OutreachFilters, outreach_breakdown, weekly

KINDS = (ReportExport.Kind.OUTREACH, ReportExport.Kind.OUTREACH_WEEKS)


def _date(value) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def filters_from_params(params: dict, viewer) -> OutreachFilters:
    campaign = None
    if params.get("campaign"):
        campaign = campaigns_visible_to(viewer).filter(pk=params["campaign"]).first()
    course = None
    if str(params.get("course") or "").isdigit():
        course = CoursePage.objects.live().filter(pk=params["course"]).first()
    kind = params.get("kind") if params.get("kind") in HelpKind.values else HelpKind.SCAM
    return make_filters(
        date_from=_date(params.get("date_from")),
        date_to=_date(params.get("date_to")),
        campaign=campaign,
        course=course,
        kind=kind,
    )


def table(export: ReportExport):
    """(sheet title, headers, number of rows, rows), or PermissionError outside the area."""
    viewer = export.created_by
    unit = visible_unit(viewer, export.params.get("unit"))
    if unit is None:
        raise PermissionError("unit outside the viewer's area")
    filters = filters_from_params(export.params, viewer)
    labels = [str(label) for _value, label in HelpKind.choices]
    if export.kind == ReportExport.Kind.OUTREACH_WEEKS:
        weeks = weekly(unit, filters)
        rows = [
            [monday.strftime("%d/%m/%Y"), *(kinds[k] for k in HelpKind.values), sum(kinds.values())]
            for monday, kinds in weeks
        ]
        headers = [_("Week from"), *labels, _("Residents helped")]
        return unit.name, headers, len(rows), rows
    unit_rows, totals = outreach_breakdown(unit, filters)
    course = filters.course.title if filters.course else ""
    target_headers = [
        _("Reached the target: %(kind)s") % {"kind": target.get_kind_display()}
        for target in filters.targets
    ]

    def values(row, name, code):
        return [
            name,
            code,
            row.members,
            row.help["helpers"],
            *(row.help[k] for k in HelpKind.values),
            row.help["total"],
            row.help["entries"],
            row.completed,
            row.completed_percent,
            row.attended,
            *(row.reached.get(target.kind, 0) for target in filters.targets),
        ]

    rows = [values(row, row.name, row.code) for row in unit_rows]
    rows.append(values(totals, _("Total"), unit.code))
    headers = [
        _("Unit or member"),
        _("Code"),
        _("Members"),
        _("Members who gave help"),
        *labels,
        _("Residents helped"),
        _("Entries"),
        _("Completed: %(course)s") % {"course": course},
        _("Share completed (%)"),
        _("Attended an in-person session"),
        *target_headers,
    ]
    return unit.name, headers, len(rows), rows


def about(export: ReportExport, title: str) -> list[tuple[str, str]]:
    filters = filters_from_params(export.params, export.created_by)
    lines = [
        (_("Report"), f"{export.get_kind_display()}: {title}"),
        (_("Made by"), export.created_by.full_name or export.created_by.username),
        (_("Made at"), timezone.localtime().strftime("%d/%m/%Y %H:%M")),
        (
            _("Help given between"),
            f"{filters.date_from:%d/%m/%Y} – {filters.date_to:%d/%m/%Y}",
        ),
    ]
    unit = OrgUnit.objects.filter(pk=export.params.get("unit")).first()
    if unit:
        lines.append((_("Unit"), f"{unit.name} ({unit.code})"))
    if filters.campaign:
        lines.append((_("Campaign"), filters.campaign.title))
    if filters.course:
        lines.append((_("Course"), filters.course.title))
    lines.append(
        (
            _("Counts only"),
            _("The log holds no personal data about the residents who were helped."),
        )
    )
    return lines
