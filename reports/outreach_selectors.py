"""Figures of the outreach report: the help members gave residents per unit, kind and week,
set beside their training (the share who completed the matching course, who attended a
session of it) and against a campaign's targets. Built from outreach's grouped counts and
this app's `grouped_figures`, so the members counted here are the dashboard's."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import cast

from django.db.models import Count, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from courses.models import CoursePage
from organisations.models import TEAM_ROLES, Membership, OrgUnit, UnitKind
from outreach import selectors as outreach
from outreach.models import HelpKind
from training.models import Campaign
from training.selectors import attended_user_ids, completed_all, targeted_members

from .figures import grouped_figures
from .filters import Filters
from .rollup import rollup_breakdown

__all__ = ["OutreachFilters", "OutreachRow", "default_period", "outreach_breakdown", "weekly"]


@dataclass(frozen=True)
class OutreachFilters:
    date_from: date
    date_to: date
    campaign: Campaign | None = None
    course: CoursePage | None = None
    kind: str = HelpKind.SCAM
    targets: list = field(default_factory=list, compare=False)

    def user_ids(self) -> QuerySet | None:
        return targeted_members(self.campaign) if self.campaign else None

    def as_params(self) -> dict:
        return {
            "date_from": self.date_from.isoformat(),
            "date_to": self.date_to.isoformat(),
            "campaign": self.campaign.pk if self.campaign else None,
            "course": self.course.pk if self.course else None,
            "kind": self.kind,
        }


@dataclass
class OutreachRow:
    unit: OrgUnit | None  # a child unit (None: members placed directly in the unit)
    name: str
    code: str
    members: int
    help: dict  # {kind: residents, "total", "entries", "helpers"}
    completed: int = 0
    attended: int = 0
    reached: dict = field(default_factory=dict)  # {target kind: members who reached it}
    user_id: int | None = None
    freshness: datetime | None = None  # training figures from the roll-up computed then

    @property
    def completed_percent(self) -> int:
        return round(100 * self.completed / self.members) if self.members else 0

    @property
    def attended_percent(self) -> int:
        return round(100 * self.attended / self.members) if self.members else 0

    @property
    def helpers_percent(self) -> int:
        return round(100 * self.help["helpers"] / self.members) if self.members else 0

    def per_member(self, kind: str) -> float:
        return round(self.help.get(kind, 0) / self.members, 1) if self.members else 0.0


def _attended_by_child(
    unit: OrgUnit, course: CoursePage | None, length: int, user_ids: Iterable[int] | QuerySet | None
) -> dict[str, int]:
    rows = Membership.objects.current().filter(
        unit__path__startswith=unit.path,
        role__in=TEAM_ROLES,
        user__is_active=True,
        user_id__in=attended_user_ids(course),
    )
    if user_ids is not None:
        rows = rows.filter(user_id__in=user_ids)
    return dict(
        rows.annotate(child=Substr("unit__path", 1, length))
        .order_by()
        .values_list("child")
        .annotate(n=Count("user_id", distinct=True))
    )


def _reached_by_child(filters: OutreachFilters, unit: OrgUnit, length: int) -> dict:
    """{target kind: {child path: members who reached the target}} for the campaign."""
    if filters.campaign is None:
        return {}
    result = {}
    members = targeted_members(filters.campaign)
    for target in filters.targets:
        sums = outreach.target_sums(target, user_ids=members, under=unit, prefix_length=length)
        counts: dict[str, int] = {}
        for row in sums:
            if row["n"] >= target.per_member:
                counts[row["child"]] = counts.get(row["child"], 0) + 1
        result[target.kind] = counts
    return result


def outreach_breakdown(
    unit: OrgUnit, filters: OutreachFilters
) -> tuple[list[OutreachRow], OutreachRow]:
    """One row per child unit of `unit` (per member for a team), and the totals: members,
    residents helped per kind in the period, members who gave help, and beside them the
    members who completed the chosen course (at any time) and attended a session of it."""
    if unit.kind == UnitKind.TEAM:
        return _team_rows(unit, filters)
    length = (unit.depth + 1) * OrgUnit.steplen
    user_ids = filters.user_ids()
    training, training_totals, freshness = _training_figures(unit, filters, length)
    helped, help_totals = outreach.figures_by_unit(
        unit,
        prefix_length=length,
        date_from=filters.date_from,
        date_to=filters.date_to,
        user_ids=user_ids,
    )
    attended = _attended_by_child(unit, filters.course, length, user_ids)
    reached = _reached_by_child(filters, unit, length)
    paths = sorted(set(training) | set(helped))
    children = {u.path: u for u in OrgUnit.objects.filter(path__in=paths)}
    rows = []
    for path in paths:
        child = children.get(path)
        rows.append(
            OutreachRow(
                unit=child,
                name=(child or unit).name,
                code=(child or unit).code,
                members=training.get(path, {}).get("members", 0),
                help=helped.get(path, outreach.empty_figures()),
                completed=training.get(path, {}).get("completed", 0)
                if filters.course or filters.campaign
                else 0,
                attended=attended.get(path, 0),
                reached={kind: counts.get(path, 0) for kind, counts in reached.items()},
            )
        )
    totals = OutreachRow(
        unit=unit,
        name=unit.name,
        code=unit.code,
        members=training_totals["members"],
        help=help_totals,
        completed=sum(r.completed for r in rows),
        attended=sum(r.attended for r in rows),
        reached={kind: sum(counts.values()) for kind, counts in reached.items()},
        freshness=freshness,
    )
    return rows, totals


def _training_figures(
    unit: OrgUnit, filters: OutreachFilters, length: int
) -> tuple[dict[str, dict], dict, datetime | None]:
    """Members and completions per child unit: the campaign's courses among its members,
    or the chosen course among everyone; a province's from the dashboard's roll-up while it
    is fresh (as its dashboard does), else counted live. ({path: figures}, totals, as of)."""
    if filters.campaign:
        figures, totals = grouped_figures(
            unit, Filters(campaign=filters.campaign), prefix_length=length
        )
        return figures, totals, None
    rolled = rollup_breakdown(unit, Filters(course=filters.course))
    if rolled is not None:
        rows, totals, computed_at = rolled
        return {row.unit.path: row.figures for row in rows if row.unit}, totals, computed_at
    figures, totals = grouped_figures(unit, Filters(course=filters.course), prefix_length=length)
    return figures, totals, None


def _team_rows(team: OrgUnit, filters: OutreachFilters) -> tuple[list[OutreachRow], OutreachRow]:
    user_ids = filters.user_ids()
    memberships = (
        Membership.objects.current()
        .filter(unit=team, role__in=TEAM_ROLES, user__is_active=True)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user_id")
    )
    if user_ids is not None:
        memberships = memberships.filter(user_id__in=user_ids)
    memberships = list(memberships)
    ids = [m.user_id for m in memberships]
    helped = outreach.figures_by_member(
        team, date_from=filters.date_from, date_to=filters.date_to, user_ids=ids
    )
    courses = list(filters.campaign.courses.all()) if filters.campaign else [filters.course]
    completed = (
        set(
            completed_all(cast(list[CoursePage], courses))  # none is None: all(courses)
            .filter(user_id__in=ids)
            .values_list("user_id", flat=True)
        )
        if all(courses)
        else set()
    )
    attended = set(
        attended_user_ids(filters.course).filter(user_id__in=ids).values_list("user_id", flat=True)
    )
    reached: dict[str, set] = {}
    for target in filters.targets:
        sums = outreach.target_sums(target, user_ids=ids)
        reached[target.kind] = {r["user_id"] for r in sums if r["n"] >= target.per_member}
    rows = [
        OutreachRow(
            unit=None,
            user_id=m.user_id,
            name=m.user.full_name or m.user.username,
            code="",
            members=1,
            help=helped.get(m.user_id, outreach.empty_figures()),
            completed=int(m.user_id in completed),
            attended=int(m.user_id in attended),
            reached={kind: int(m.user_id in users) for kind, users in reached.items()},
        )
        for m in memberships
    ]
    help_totals = outreach.empty_figures()
    for row in rows:
        for key in help_totals:
            help_totals[key] += row.help.get(key, 0)
    totals = OutreachRow(
        unit=team,
        name=team.name,
        code=team.code,
        members=len(rows),
        help=help_totals,
        completed=sum(r.completed for r in rows),
        attended=sum(r.attended for r in rows),
        reached={kind: len(users) for kind, users in reached.items()},
    )
    return rows, totals


def weekly(unit: OrgUnit, filters: OutreachFilters) -> list[tuple[date, dict[str, int]]]:
    return outreach.weekly_figures(
        unit, date_from=filters.date_from, date_to=filters.date_to, user_ids=filters.user_ids()
    )


def default_period(today: date | None = None, weeks: int = 12) -> tuple[date, date]:
    """The last `weeks` weeks, Monday first, up to today."""
    today = today or timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    return monday - timedelta(weeks=weeks - 1), today
