"""Reads of the outreach log: who may see which entries, a member's totals and targets, and
the figures of the reports (aggregate queries grouped by the path of the member's team)."""

from collections.abc import Iterable
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from accounts.models import User
from courses.models import CoursePage
from organisations.models import OrgUnit, UnitKind
from organisations.selectors import current_team_membership, path_with_ancestors, scope_roots
from training.models import Attendance, Campaign, CampaignStatus
from training.selectors import campaigns_for, targeted_members

from .models import KIND_TOPICS, HelpKind, OutreachEntry, OutreachTarget

__all__ = [
    "KINDS",
    "campaign_target_progress",
    "default_course_for",
    "default_place",
    "empty_figures",
    "entries_visible_to",
    "figures_by_member",
    "figures_by_unit",
    "member_fieldwork",
    "member_history",
    "member_summary",
    "places_for",
    "target_progress_for",
    "target_sums",
    "weekly_figures",
]

KINDS = HelpKind.values


def places_for(team: OrgUnit) -> list[OrgUnit]:
    """The hamlets a member of this team records help in: every current hamlet of the
    team's commune (the commune itself when it has none)."""
    communes = OrgUnit.objects.filter(
        path__in=path_with_ancestors(team.path), kind=UnitKind.COMMUNE
    ).order_by("-depth")
    commune = communes.first()
    if commune is None:
        return [team]
    hamlets = list(
        OrgUnit.objects.filter(
            path__startswith=commune.path, kind=UnitKind.HAMLET, valid_to__isnull=True
        ).order_by("name")
    )
    return hamlets or [commune]


def default_place(team: OrgUnit, places: list[OrgUnit]) -> OrgUnit | None:
    """The team's own hamlet when it has one, else the first choice."""
    for place in places:
        if team.path.startswith(place.path):
            return place
    return places[0] if places else None


def entries_visible_to(user: User) -> QuerySet[OutreachEntry]:
    """A member's own entries, and those of the teams in their area (a leader their team,
    an administrator their subtree, a superuser all)."""
    if not user.is_authenticated:
        return OutreachEntry.objects.none()
    if user.is_superuser:
        return OutreachEntry.objects.all()
    condition = Q(user=user)
    for root in scope_roots(user):
        condition |= Q(team__path__startswith=root.path)
    return OutreachEntry.objects.filter(condition)


def _by_kind(entries: QuerySet[OutreachEntry]) -> dict[str, int]:
    counts = dict(entries.order_by().values_list("kind").annotate(n=Sum("residents")))
    return {kind: counts.get(kind, 0) or 0 for kind in KINDS}


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def target_progress_for(user: User, *, today: date | None = None) -> list[dict]:
    """The outreach targets of the running campaigns the member is in, with what they did."""
    today = today or timezone.localdate()
    targets = list(
        OutreachTarget.objects.filter(campaign__in=campaigns_for(user, on=today))
        .select_related("campaign")
        .order_by("ends_on")
    )
    rows = []
    for target in targets:
        done = (
            OutreachEntry.objects.filter(
                user=user,
                kind=target.kind,
                helped_on__gte=target.starts_on,
                helped_on__lte=target.ends_on,
            ).aggregate(n=Sum("residents"))["n"]
            or 0
        )
        rows.append(
            {
                "target": target,
                "done": done,
                "percent": min(100, round(100 * done / target.per_member)),
                "reached": done >= target.per_member,
                "days_left": (target.ends_on - today).days,
            }
        )
    return rows


def member_summary(user: User, *, today: date | None = None) -> dict | None:
    """For "My learning": this week's and this month's residents helped, the campaign
    targets, or None for someone who is not in a team."""
    membership = current_team_membership(user)
    if membership is None:
        return None
    today = today or timezone.localdate()
    mine = OutreachEntry.objects.filter(user=user)
    totals = mine.aggregate(
        week=Sum("residents", filter=Q(helped_on__gte=_week_start(today))),
        month=Sum("residents", filter=Q(helped_on__gte=today.replace(day=1))),
        all=Sum("residents"),
    )
    return {
        "week": totals["week"] or 0,
        "month": totals["month"] or 0,
        "all": totals["all"] or 0,
        "targets": target_progress_for(user, today=today),
    }


def member_history(user: User, *, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    mine = OutreachEntry.objects.filter(user=user)
    labels = dict(HelpKind.choices)
    week = _by_kind(mine.filter(helped_on__gte=_week_start(today)))
    month = _by_kind(mine.filter(helped_on__gte=today.replace(day=1)))
    total = _by_kind(mine)
    return {
        "rows": [
            {
                "kind": kind,
                "label": labels[kind],
                "week": week[kind],
                "month": month[kind],
                "all": total[kind],
            }
            for kind in KINDS
        ],
        "week": sum(week.values()),
        "month": sum(month.values()),
        "all": sum(total.values()),
    }


def target_sums(
    target: OutreachTarget,
    *,
    user_ids: Iterable[int] | QuerySet,
    under: OrgUnit | None = None,
    prefix_length: int = 0,
) -> QuerySet:
    """Rows (user_id, n[, child]): residents each member helped towards the target, in its
    kind and period; with `prefix_length`, also grouped by that prefix of the team's path."""
    entries = OutreachEntry.objects.filter(
        user_id__in=user_ids,
        kind=target.kind,
        helped_on__gte=target.starts_on,
        helped_on__lte=target.ends_on,
    )
    if under is not None:
        entries = entries.filter(team__path__startswith=under.path)
    fields = ["user_id"]
    if prefix_length:
        entries = entries.annotate(child=Substr("team__path", 1, prefix_length))
        fields.append("child")
    return entries.order_by().values(*fields).annotate(n=Sum("residents"))


def campaign_target_progress(campaign: Campaign, *, today: date | None = None) -> list[dict]:
    """Per outreach target of a campaign: the members it concerns (those the campaign
    targets today), how many residents they helped in the period, and how many members
    reached their own target. One grouped query per target."""
    today = today or timezone.localdate()
    targets = list(campaign.outreach_targets.order_by("kind"))
    if not targets:
        return []
    members = list(targeted_members(campaign, on=today))
    rows = []
    for target in targets:
        per_user = {row["user_id"]: row["n"] for row in target_sums(target, user_ids=members)}
        done = sum(per_user.values())
        expected = target.per_member * len(members)
        rows.append(
            {
                "target": target,
                "members": len(members),
                "reached": sum(1 for n in per_user.values() if n >= target.per_member),
                "helping": len(per_user),
                "done": done,
                "expected": expected,
                "percent": min(100, round(100 * done / expected)) if expected else 0,
            }
        )
    return rows


def running_campaigns_with_targets() -> QuerySet[Campaign]:
    return Campaign.objects.filter(
        status=CampaignStatus.RUNNING, outreach_targets__isnull=False
    ).distinct()


def _entries(
    unit: OrgUnit | None,
    *,
    date_from: date | None,
    date_to: date | None,
    user_ids: Iterable[int] | QuerySet | None = None,
    kinds: list[str] | None = None,
) -> QuerySet[OutreachEntry]:
    entries = OutreachEntry.objects.all()
    if unit is not None:  # a semi-join on the teams, not a join per entry
        teams = OrgUnit.objects.filter(path__startswith=unit.path).values("pk")
        entries = entries.filter(team_id__in=teams)
    if date_from:
        entries = entries.filter(helped_on__gte=date_from)
    if date_to:
        entries = entries.filter(helped_on__lte=date_to)
    if user_ids is not None:
        entries = entries.filter(user_id__in=user_ids)
    if kinds:
        entries = entries.filter(kind__in=kinds)
    return entries


def empty_figures() -> dict:
    return {**dict.fromkeys(KINDS, 0), "total": 0, "entries": 0, "helpers": 0}


def _figures(entries: QuerySet[OutreachEntry], key: str) -> dict:
    """{group: {kind: residents, "total", "entries", "helpers"}}: two grouped queries, the
    sums per group and kind, and the members who gave help per group."""
    result: dict = {}
    for row in entries.values(key, "kind").annotate(n=Sum("residents"), entries=Count("pk")):
        group = result.setdefault(row[key], empty_figures())
        group[row["kind"]] += row["n"] or 0
        group["total"] += row["n"] or 0
        group["entries"] += row["entries"]
    helpers = entries.values(key).annotate(helpers=Count("user_id", distinct=True))
    for row in helpers:
        result[row[key]]["helpers"] = row["helpers"]
    return result


def figures_by_unit(
    unit: OrgUnit | None,
    *,
    prefix_length: int,
    date_from: date | None = None,
    date_to: date | None = None,
    user_ids: Iterable[int] | QuerySet | None = None,
) -> tuple[dict[str, dict], dict]:
    """({path prefix of the team: figures}, totals): residents helped per kind, entries and
    members who gave help, grouped by the first `prefix_length` characters of the path of
    the team the entry was recorded in. Two aggregate queries on the entries alone, grouped
    by team (no join per entry); the teams are then placed under their prefix."""
    teams = OrgUnit.objects.all()
    entries = _entries(None, date_from=date_from, date_to=date_to, user_ids=user_ids)
    if unit is not None:
        teams = teams.filter(path__startswith=unit.path)
        entries = entries.filter(team_id__in=teams.values("pk"))
    entries = entries.order_by()
    sums = list(entries.values("team_id", "kind").annotate(n=Sum("residents"), entries=Count("pk")))
    helpers = list(entries.values_list("team_id", "user_id").distinct())
    child_of = {
        pk: path[:prefix_length]
        for pk, path in teams.filter(pk__in={row["team_id"] for row in sums}).values_list(
            "pk", "path"
        )
    }
    grouped: dict[str, dict] = {}
    totals = empty_figures()
    for row in sums:
        group = grouped.setdefault(child_of[row["team_id"]], empty_figures())
        for figures in (group, totals):
            figures[row["kind"]] += row["n"] or 0
            figures["total"] += row["n"] or 0
            figures["entries"] += row["entries"]
    people: dict[str, set] = {}
    for team_id, user_id in helpers:
        people.setdefault(child_of[team_id], set()).add(user_id)
    for child, users in people.items():
        grouped[child]["helpers"] = len(users)
    # A member who moved team may have helped from two units: counted once in the total.
    totals["helpers"] = len({user_id for _team, user_id in helpers})
    return grouped, totals


def figures_by_member(
    team: OrgUnit,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    user_ids: Iterable[int] | QuerySet | None = None,
) -> dict[int, dict]:
    """{user id: figures} of the help recorded in one team."""
    entries = _entries(team, date_from=date_from, date_to=date_to, user_ids=user_ids)
    return _figures(entries.order_by(), "user_id")


def weekly_figures(
    unit: OrgUnit | None,
    *,
    date_from: date,
    date_to: date,
    user_ids: Iterable[int] | QuerySet | None = None,
) -> list[tuple[date, dict[str, int]]]:
    """Residents helped per week (Monday first) and kind, zeros included, at most a year."""
    rows = (
        _entries(unit, date_from=date_from, date_to=date_to, user_ids=user_ids)
        .order_by()
        .values("helped_on", "kind")
        .annotate(n=Sum("residents"))
    )
    counts: dict[date, dict[str, int]] = {}
    for row in rows:  # at most a year of days × kinds
        week = counts.setdefault(_week_start(row["helped_on"]), dict.fromkeys(KINDS, 0))
        week[row["kind"]] += row["n"] or 0
    result = []
    monday = _week_start(date_from)
    while monday <= date_to:
        result.append((monday, counts.get(monday, dict.fromkeys(KINDS, 0))))
        monday += timedelta(weeks=1)
    return result[-53:]


def member_fieldwork(user: User) -> dict:
    """For the member's record: sessions attended and help given."""
    entries = OutreachEntry.objects.filter(user=user).select_related("place", "team")
    labels = dict(HelpKind.choices)
    return {
        "attendances": Attendance.objects.filter(user=user)
        .select_related("session")
        .order_by("-session__starts_at"),
        "outreach_entries": entries.order_by("-helped_on", "-created_at")[:200],
        # (label, residents) for each kind of help given at least once
        "outreach_totals": [(labels[kind], n) for kind, n in _by_kind(entries).items() if n],
    }


def default_course_for(kind: str) -> CoursePage | None:
    """The live course of the topic that trains for this kind of help, if there is one."""
    slug = KIND_TOPICS.get(kind)
    courses = CoursePage.objects.live().order_by("path")
    return courses.filter(topic__slug=slug).first() if slug else None
