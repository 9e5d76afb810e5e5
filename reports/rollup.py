"""Roll-up reads: the dashboards of nations and provinces and the national view, from the
figures that `services.refresh_rollups` stores every few minutes (`UnitRollup`), and the
figures it stores, counted by `figures.grouped_counts` once for a whole tree."""

from datetime import datetime, timedelta

from django.db.models import Min
from django.utils import timezone

from courses.models import CoursePage
from organisations.models import OrgUnit, UnitKind
from organisations.selectors import path_with_ancestors

from .figures import METRICS, UnitRow, add_up, as_figures, grouped_counts
from .filters import Filters
from .models import UnitRollup

__all__ = [
    "ROLLED_UP_KINDS",
    "national_rows",
    "rolled_up_figures",
    "rollup_breakdown",
    "rollup_freshness",
    "rollup_units",
]

# Units whose dashboards are read from the roll-up (their children are rolled up too).
ROLLED_UP_KINDS = (UnitKind.NATION, UnitKind.PROVINCE)
ROLLUP_USABLE_FOR = timedelta(minutes=15)  # three refreshes missed: count live instead


def rollup_units(under: OrgUnit | None = None) -> list[OrgUnit]:
    """The units the roll-up keeps figures for: every nation and province (under `under`,
    itself included) and their children, the rows of those units' dashboards."""
    tops = OrgUnit.objects.filter(kind__in=ROLLED_UP_KINDS)
    if under is not None:
        tops = tops.filter(path__startswith=under.path)
    top_paths = set(tops.values_list("path", flat=True))
    if not top_paths:
        return []
    step = OrgUnit.steplen
    units = OrgUnit.objects.filter(depth__lte=max(len(p) for p in top_paths) // step + 1)
    if under is not None:
        units = units.filter(path__startswith=under.path)
    return [u for u in units.order_by("path") if u.path in top_paths or u.path[:-step] in top_paths]


def rolled_up_figures(
    units: list[OrgUnit], *, under: OrgUnit | None, course: CoursePage | None, now: datetime
) -> dict[str, dict]:
    """{unit path: figures} for each of `units`, from one grouped count of the members under
    `under`: the counts of the deepest units are added up for every unit above them."""
    parts: dict[str, list[dict]] = {u.path: [] for u in units}
    length = max(len(path) for path in parts)
    for row in grouped_counts(under, Filters(course=course), prefix_length=length, now=now):
        for path in path_with_ancestors(row["child"]):
            if path in parts:
                parts[path].append(row)
    return {path: as_figures(add_up(rows)) for path, rows in parts.items()}


def _rollup_counts(rollup: UnitRollup) -> dict:
    """A stored row as raw counts, the shape `add_up` and `as_figures` take."""
    counts = {name: getattr(rollup, name) for name in METRICS}
    return {**counts, "began": rollup.completed + rollup.in_progress, "scored": rollup.scored}


def rollup_breakdown(
    unit: OrgUnit, filters: Filters, *, now: datetime | None = None
) -> tuple[list[UnitRow], dict, datetime] | None:
    """A nation's or province's dashboard from the roll-up: (rows, totals, computed at).

    None when the roll-up cannot answer, so the caller counts live: a smaller unit (cheap
    to count anyway), a filter other than the course, or figures older than
    ROLLUP_USABLE_FOR (the worker that refreshes them has stopped)."""
    if unit.kind not in ROLLED_UP_KINDS or filters.campaign or filters.role:
        return None
    if filters.date_from or filters.date_to:
        return None
    now = now or timezone.now()
    rollups = list(
        UnitRollup.objects.filter(
            course=filters.course, unit__path__startswith=unit.path, unit__depth__lte=unit.depth + 1
        )
        .select_related("unit")
        .order_by("unit__path")
    )
    own = next((r for r in rollups if r.unit_id == unit.pk), None)
    if own is None or own.computed_at < now - ROLLUP_USABLE_FOR:
        return None
    rows = [
        UnitRow(unit=r.unit, figures=as_figures(_rollup_counts(r)))
        for r in rollups
        if r is not own and r.members
    ]
    return rows, as_figures(_rollup_counts(own)), own.computed_at


def national_rows(course: CoursePage | None = None) -> tuple[list[UnitRow], dict]:
    """The country from the roll-up: one row per province (the children of a single NATION
    root, or the roots themselves)."""
    roots = list(OrgUnit.get_root_nodes())
    if len(roots) == 1 and roots[0].kind == UnitKind.NATION:
        units = list(roots[0].get_children())
    else:
        units = roots
    rollups = {r.unit_id: r for r in UnitRollup.objects.filter(unit__in=units, course=course)}
    counts = [_rollup_counts(rollups.get(unit.pk) or UnitRollup()) for unit in units]
    rows = [
        UnitRow(unit=unit, figures=as_figures(c)) for unit, c in zip(units, counts, strict=True)
    ]
    return rows, as_figures(add_up(counts))


def rollup_freshness() -> datetime | None:
    """When the oldest rolled-up figures were computed (a province can be refreshed alone)."""
    return UnitRollup.objects.aggregate(oldest=Min("computed_at"))["oldest"]
