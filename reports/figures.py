"""Live figures: the dashboard of any unit, its member list, its weekly completions and pass
rates, computed by aggregate queries only.

Each member-level fact (completed, began, overdue, certificate state) is a condition on a
membership row (`_conditions`). For a unit, the cost follows the unit, not the country: a
province's dashboard reads its ten thousand members' rows, not the hundreds of thousands of
the whole country. Its counts (`_unit_counting`) probe each fact table once per member
through its `user_id` index, the facts that share a table coming from that one probe; its
member lists test each fact as a correlated condition of its own (`per_member`), and a test
holds both to the same answers. For the whole country (the roll-up's count,
`_national_counting`) each fact's set of user ids does not depend on the row, so the database
builds it once and probes it per membership (PostgreSQL: a hashed subplan). A dashboard is a
handful of queries whatever the number of members. Nations and provinces are usually read
from the roll-up (`reports.rollup`), built from `grouped_counts`."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import reduce
from operator import add
from typing import Any

from django.db import connections
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import BaseExpression
from django.db.models.functions import Coalesce, Substr, TruncWeek
from django.utils import timezone

from accounts.models import User
from certificates.models import Certificate
from courses.models import CourseCompletion, LessonPage, LessonProgress
from courses.selectors import pages_in_courses
from organisations.history import TreeAsOf
from organisations.models import TEAM_ROLES, Membership, OrgUnit
from organisations.selectors import path_with_ancestors
from quizzes.models import Attempt, QuizPage
from quizzes.selectors import course_titles_of
from training.models import Campaign, CampaignStatus
from training.selectors import completed_all, targeted_members, unrenewed_expiry

from .filters import Filters

__all__ = [
    "METRICS",
    "UnitRow",
    "add_up",
    "as_figures",
    "breakdown",
    "grouped_counts",
    "grouped_figures",
    "member_rows",
    "pass_rates",
    "weekly_completions",
]

EXPIRING_DAYS = 30
PATH_LENGTH = OrgUnit._meta.get_field("path").max_length  # a unit's whole tree path

METRICS = (
    "members",
    "completed",
    "in_progress",
    "not_started",
    "overdue",
    "certificates_valid",
    "certificates_expiring",
    "certificates_expired",
    "average_best_score",
)


def _within(user_ids: QuerySet, per_member: bool) -> QuerySet:
    """`user_ids` (a query with a `user_id` column), kept to the member of the outer row
    when `per_member`: a probe of the `user_id` index per row instead of a set built from
    the whole country."""
    return user_ids.filter(user_id=OuterRef("user_id")) if per_member else user_ids


def _completed_ids(filters: Filters, per_member: bool = False) -> QuerySet:
    completed = completed_all(filters.courses, since=filters.date_from, until=filters.date_to)
    return _within(completed, per_member)


def _page_ids(model: type, courses: list) -> list[int] | QuerySet:
    """Ids of the lessons or quizzes of `courses`, read first: a handful of numbers in the
    statement rather than a join of the page tree repeated in every member's probe. With
    no such page, the (empty) subquery itself: an empty list cannot be written into SQL."""
    pages = pages_in_courses(model, courses)
    return list(pages.values_list("pk", flat=True)) or pages


def _started_condition(filters: Filters, per_member: bool = False) -> Q:
    lessons = _within(LessonProgress.objects.all(), per_member)
    attempts = _within(Attempt.objects.all(), per_member)
    if filters.courses:
        lessons = lessons.filter(lesson__in=_page_ids(LessonPage, filters.courses))
        attempts = attempts.filter(quiz__in=_page_ids(QuizPage, filters.courses))
    return Q(user_id__in=lessons.values("user_id")) | Q(user_id__in=attempts.values("user_id"))


def _overdue_campaigns(filters: Filters, unit: OrgUnit | None, today: date) -> list[Campaign]:
    if filters.campaign is not None:
        campaign = filters.campaign
        overdue = campaign.status == CampaignStatus.RUNNING and campaign.due_on < today
        return [campaign] if overdue else []
    campaigns = Campaign.objects.filter(status=CampaignStatus.RUNNING, due_on__lt=today)
    if unit is not None:
        campaigns = campaigns.filter(
            Q(target_units__path__startswith=unit.path)
            | Q(target_units__path__in=path_with_ancestors(unit.path))
        )
    if filters.course is not None:
        campaigns = campaigns.filter(courses=filters.course)
    return list(campaigns.distinct().prefetch_related("target_units", "courses"))


def _live_certificates(filters: Filters, per_member: bool = False) -> QuerySet[Certificate]:
    live = _within(Certificate.objects.filter(revoked_at__isnull=True), per_member)
    return live.filter(course__in=filters.courses) if filters.courses else live


def _certificate_states(now: datetime) -> dict[str, Q]:
    """{fact: condition on a live certificate}; a member has the fact when one of their
    certificates (of the filter's courses) meets it."""
    return {
        "certificates_valid": Q(expires_at__isnull=True) | Q(expires_at__gte=now),
        "certificates_expiring": Q(
            expires_at__gte=now, expires_at__lt=now + timedelta(days=EXPIRING_DAYS)
        ),
        "certificates_expired": unrenewed_expiry(now),
    }


def _certificate_sets(filters: Filters, now: datetime, per_member: bool = False) -> dict:
    live = _live_certificates(filters, per_member)
    return {
        name: live.filter(state).values("user_id")
        for name, state in _certificate_states(now).items()
    }


def _graded(filters: Filters) -> QuerySet[Attempt]:
    attempts = Attempt.objects.filter(percent__isnull=False)
    if filters.courses:
        attempts = attempts.filter(quiz__in=_page_ids(QuizPage, filters.courses))
    return attempts


def _best_score(filters: Filters) -> Subquery:
    attempts = _graded(filters).filter(user=OuterRef("user_id"))
    return Subquery(
        attempts.order_by().values("user").annotate(best=Max("percent")).values("best")[:1]
    )


def _conditions(
    filters: Filters, unit: OrgUnit | None, now: datetime, *, per_member: bool = False
) -> dict[str, Q]:
    """{fact: condition on a membership row}. "in progress" and "not started" are derived
    from "completed" and "began" (completed or started), so the database counts fewer.

    `per_member`: each set of user ids is probed for the row's own member (a unit's
    count) rather than built whole and hashed (the whole country's): the same answer."""
    completed = Q(user_id__in=_completed_ids(filters, per_member))
    conditions = {
        "completed": completed,
        "began": completed | _started_condition(filters, per_member),
    }
    overdue = Q()
    for campaign in _overdue_campaigns(filters, unit, timezone.localdate(now)):
        # Rows are current team memberships already, so "targeted" is a test on the
        # row's own team path, not another subquery.
        targeted = _under_any(campaign.target_units.all())
        courses = list(campaign.courses.all())
        overdue |= targeted & ~Q(user_id__in=_within(completed_all(courses), per_member))
    conditions["overdue"] = overdue
    for name, user_ids in _certificate_sets(filters, now, per_member).items():
        conditions[name] = Q(user_id__in=user_ids)
    return conditions


def _member_conditions(conditions: dict[str, Q]) -> dict[str, Q]:
    """Per-member facts, each a condition of its own (for lists and flags)."""
    facts = {k: v for k, v in conditions.items() if k != "began"}
    facts["in_progress"] = conditions["began"] & ~conditions["completed"]
    facts["not_started"] = ~conditions["began"]
    return facts


def _tree_as_of(filters: Filters, today: date, unit: OrgUnit | None) -> TreeAsOf | None:
    """The unit tree at the end of a past period (None: the present tree). A period that
    ended before today counts the members where they were on its last day, in the units
    as they were then (a unit merged since has its own row, with its sub-units)."""
    if filters.date_to is not None and filters.date_to < today:
        return TreeAsOf(filters.date_to, within=unit)
    return None


def _memberships(
    unit: OrgUnit | None, filters: Filters, today: date, *, tree: TreeAsOf | None = None
) -> QuerySet[Membership]:
    tree = tree or _tree_as_of(filters, today, unit)
    day = tree.day if tree else today
    rows = Membership.objects.current(day).filter(
        role__in=[filters.role] if filters.role else TEAM_ROLES
    )
    # Deactivated people are left out through their (few) ids, found by a partial index
    # (reports/migrations/0010), rather than by a lookup of every member's account.
    rows = rows.exclude(user_id__in=User.objects.filter(is_active=False).values("pk"))
    if unit is not None:
        rows = rows.filter(
            tree.subtree(unit, prefix="unit__") if tree else Q(unit__path__startswith=unit.path)
        )
    if filters.campaign is not None:
        if tree is None:
            # Rows are current team memberships: "targeted" is a test on the row's own
            # team path, not a probe of each member's memberships.
            rows = rows.filter(_under_any(filters.campaign.target_units.all()))
        else:
            targeted = _within(targeted_members(filters.campaign, on=day), unit is not None)
            rows = rows.filter(user_id__in=targeted)
    return rows


def _under_any(units: Iterable[OrgUnit]) -> Q:
    """Rows whose team is inside one of `units` (none: no row)."""
    condition = Q(pk__in=[])
    for target in units:
        condition |= Q(unit__path__startswith=target.path)
    return condition


def as_figures(row: dict) -> dict:
    began = row.get("began") or 0
    row = {**row, "in_progress": began - (row.get("completed") or 0)}
    row["not_started"] = (row.get("members") or 0) - began
    figures = {name: row.get(name) or 0 for name in METRICS}
    score = row.get("average_best_score")
    figures["average_best_score"] = round(Decimal(score), 1) if score is not None else None
    figures["completed_percent"] = (
        round(100 * figures["completed"] / figures["members"]) if figures["members"] else 0
    )
    figures["scored"] = row.get("scored") or 0  # members with a score, to weigh averages
    return figures


def grouped_figures(
    unit: OrgUnit | None, filters: Filters, *, prefix_length: int, now: datetime | None = None
) -> tuple[dict[str, dict], dict]:
    """({unit path prefix: figures}, totals) for the members under `unit` (everyone when
    None), grouped by the first `prefix_length` characters of their team's path."""
    grouped = grouped_counts(unit, filters, prefix_length=prefix_length, now=now)
    return {row["child"]: as_figures(row) for row in grouped}, as_figures(add_up(grouped))


@dataclass
class _Counting:
    """How a count reads each membership row's facts: `columns` computed on the row (the
    inner query), `facts` the SQL condition of each fact on that row (`m`), `best` the
    member's best score, and optionally a join that brings the score."""

    columns: dict[str, BaseExpression]
    facts: dict[str, str]
    best: str
    join: str = ""
    join_params: tuple[Any, ...] = ()


def _flag(condition: Q) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


def _national_counting(filters: Filters, unit: OrgUnit | None, now: datetime) -> _Counting:
    """The whole country: each fact's set of user ids built once and hashed, every best
    score in one grouped pass, joined."""
    conditions = {name: q for name, q in _conditions(filters, unit, now).items() if q}
    graded = _graded(filters).order_by().values("user_id").annotate(best=Max("percent"))
    best_sql, best_params = graded.values("user_id", "best").query.sql_with_params()
    return _Counting(
        columns={f"is_{name}": _flag(q) for name, q in conditions.items()},
        facts={name: f"m.is_{name}" for name in conditions},
        best="b.best",
        join=f" LEFT JOIN ({best_sql}) b ON b.user_id = m.user_id",
        join_params=best_params,
    )


# Bits of a member's certificate state, read in one probe of their certificates.
CERTIFICATE_BITS = {
    "certificates_valid": 4,
    "certificates_expiring": 2,
    "certificates_expired": 1,
}
NOT_GRADED = -1  # an attempt without a score yet (in progress, or its grading queued)


def _unit_counting(filters: Filters, unit: OrgUnit, now: datetime) -> _Counting:
    """A unit's members: each fact table is probed once per member through its `user_id`
    index, and the facts that share a table come from that one probe (the attempts give
    "has tried a quiz" and the best score; the certificates their three states as bits);
    "began" and a campaign's "overdue" reuse "completed" when it is the same condition. The
    same facts as `_conditions` (tests compare both), in about half the probes."""
    completed = Q(user_id__in=_completed_ids(filters, per_member=True))
    lessons = _within(LessonProgress.objects.all(), per_member=True)
    attempts = _within(Attempt.objects.all(), per_member=True)
    if filters.courses:
        lessons = lessons.filter(lesson__in=_page_ids(LessonPage, filters.courses))
        attempts = attempts.filter(quiz__in=_page_ids(QuizPage, filters.courses))
    attempt_mark = (
        attempts.order_by()
        .values("user_id")
        .annotate(mark=Max(Coalesce("percent", Value(Decimal(NOT_GRADED)))))
        .values("mark")[:1]
    )
    bits = [
        Max(Case(When(state, then=Value(CERTIFICATE_BITS[name])), default=Value(0)))
        for name, state in _certificate_states(now).items()
    ]
    certificates = (
        _live_certificates(filters, per_member=True)
        .order_by()
        .values("user_id")
        .annotate(state=reduce(add, bits))
        .values("state")[:1]
    )
    columns: dict[str, BaseExpression] = {
        "is_completed": _flag(completed),
        "has_lessons": _flag(Q(user_id__in=lessons.values("user_id"))),
        "attempt_mark": Subquery(attempt_mark),
        "certificates": Subquery(certificates),
    }
    facts = {
        "completed": "m.is_completed",
        "began": "(m.is_completed OR m.has_lessons OR m.attempt_mark IS NOT NULL)",
    }
    overdue = []
    for n, campaign in enumerate(_overdue_campaigns(filters, unit, timezone.localdate(now))):
        targeted = _under_any(campaign.target_units.all())
        courses = list(campaign.courses.all())
        if _same_completion(filters, courses):
            columns[f"is_targeted_{n}"] = _flag(targeted)
            overdue.append(f"(m.is_targeted_{n} AND NOT m.is_completed)")
        else:
            done = Q(user_id__in=_within(completed_all(courses), per_member=True))
            columns[f"is_overdue_{n}"] = _flag(targeted & ~done)
            overdue.append(f"m.is_overdue_{n}")
    if overdue:
        facts["overdue"] = "(" + " OR ".join(overdue) + ")"
    for name, bit in CERTIFICATE_BITS.items():
        facts[name] = f"(m.certificates & {bit}) = {bit}"
    return _Counting(
        columns=columns,
        facts=facts,
        best="(CASE WHEN m.attempt_mark >= 0 THEN m.attempt_mark END)",
    )


def _same_completion(filters: Filters, courses: list) -> bool:
    """Whether "completed all of `courses`" is the filter's own "completed" condition."""
    return (
        filters.date_from is None
        and filters.date_to is None
        and bool(filters.courses)
        and {c.pk for c in courses} == {c.pk for c in filters.courses}
    )


def grouped_counts(
    unit: OrgUnit | None, filters: Filters, *, prefix_length: int, now: datetime | None
) -> list[dict]:
    """Raw counts per path prefix ("began" rather than in progress / not started), the
    shape `add_up` adds and `as_figures` completes.

    One statement: each membership row gets its facts (`_unit_counting` for a unit,
    `_national_counting` for the whole country), and the rows are counted per group."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    tree = _tree_as_of(filters, today, unit)
    counting = (
        _national_counting(filters, unit, now)
        if unit is None
        else _unit_counting(filters, unit, now)
    )
    # A past period is counted per unit, then added up along the tree as it was then.
    as_it_was = tree is not None and unit is not None
    child = Substr("unit__path", 1, PATH_LENGTH if as_it_was else prefix_length)
    facts = _memberships(unit, filters, today, tree=tree).annotate(child=child, **counting.columns)
    facts_sql, facts_params = facts.values(
        "user_id", "child", *counting.columns
    ).query.sql_with_params()
    # Rows are counted, not distinct users: a member is in one team at a time (the database
    # allows one open team membership per person), and COUNT(DISTINCT) costs a sort each.
    counts = "".join(f", COUNT(*) FILTER (WHERE {fact})" for fact in counting.facts.values())
    if unit is not None and connections[facts.db].vendor == "postgresql":
        # A fence: without it PostgreSQL folds the rows into the outer query and probes
        # each member's facts once for every place the outer query names them.
        facts_sql += " OFFSET 0"
    best = counting.best
    # Both parts are compiled by the ORM with their parameters kept apart; the rest is
    # column names and numbers of our own.
    sql = (
        f"SELECT m.child, COUNT(*), AVG({best}), COUNT({best}), SUM({best}){counts} "  # noqa: S608
        f"FROM ({facts_sql}) m{counting.join} GROUP BY m.child ORDER BY m.child"
    )
    with connections[facts.db].cursor() as cursor:
        cursor.execute(sql, [*facts_params, *counting.join_params])
        fetched = cursor.fetchall()
    grouped = []
    for child, members, score, scored, best_total, *counted in fetched:
        row = {
            "child": child,
            "members": members,
            "scored": scored,
            **dict(zip(counting.facts, counted, strict=True)),
        }
        row["average_best_score"] = Decimal(str(score)) if score is not None else None
        row["best_total"] = Decimal(str(best_total)) if best_total is not None else Decimal(0)
        grouped.append(row)
    if as_it_was and tree is not None:  # as_it_was implies a tree
        by_key: dict[str, list[dict]] = {}
        for row in grouped:
            by_key.setdefault(tree.key_at(row["child"], prefix_length), []).append(row)
        grouped = [{**add_up(rows), "child": key} for key, rows in sorted(by_key.items())]
    return grouped


def add_up(rows: list[dict]) -> dict:
    """Totals of grouped rows: counts add up; the average is weighted by who has a score
    (exactly, from the sums of the best scores, where the rows have them)."""
    totals = {name: sum(row.get(name) or 0 for row in rows) for name in (*METRICS[:-1], "began")}
    scored = sum(row["scored"] for row in rows)
    if all("best_total" in row for row in rows):
        totals["best_total"] = sum(row["best_total"] for row in rows)
        weighted = totals["best_total"]
    else:
        weighted = sum(row["average_best_score"] * row["scored"] for row in rows if row["scored"])
    totals["average_best_score"] = weighted / scored if scored else None
    totals["scored"] = scored
    return totals


@dataclass
class UnitRow:
    unit: OrgUnit | None
    figures: dict


def breakdown(
    unit: OrgUnit, filters: Filters, *, now: datetime | None = None
) -> tuple[list[UnitRow], dict]:
    """Per child unit of `unit`: the dashboard's rows, and the totals of `unit`."""
    length = (unit.depth + 1) * OrgUnit.steplen
    figures, totals = grouped_figures(unit, filters, prefix_length=length, now=now)
    children = {u.path: u for u in OrgUnit.objects.filter(path__in=list(figures))}
    rows = [UnitRow(unit=children.get(path), figures=values) for path, values in figures.items()]
    return rows, totals


def member_rows(
    unit: OrgUnit, filters: Filters, *, status: str = "", now: datetime | None = None
) -> QuerySet[Membership]:
    """One row per member under `unit` with each fact as a boolean (is_completed ...) and
    the best score; `status` keeps only the rows where that fact holds."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    conditions = _member_conditions(_conditions(filters, unit, now, per_member=True))
    flags = {
        f"is_{name}": ExpressionWrapper(condition, output_field=BooleanField())
        if condition
        else Value(False, output_field=BooleanField())
        for name, condition in conditions.items()
    }
    rows = (
        _memberships(unit, filters, today)
        .select_related("user", "unit")
        .annotate(best_score=_best_score(filters), **flags)
    )
    if status in conditions:
        if not conditions[status]:
            return rows.none()
        rows = rows.filter(conditions[status])
    return rows.order_by("unit__path", "user__first_name", "user__last_name", "user_id")


def weekly_completions(
    unit: OrgUnit, filters: Filters, *, weeks: int = 12, now: datetime | None = None
) -> list[tuple[date, int]]:
    """Courses completed per week (Monday first) by members under `unit`, zeros included."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    last_monday = today - timedelta(days=today.weekday())
    first = filters.date_from or last_monday - timedelta(weeks=weeks - 1)
    first -= timedelta(days=first.weekday())
    end = filters.date_to or today
    completions = CourseCompletion.objects.filter(
        user_id__in=_memberships(unit, filters, today).values("user_id"),
        completed_at__gte=_local_midnight(first),
        completed_at__lt=_local_midnight(end + timedelta(days=1)),
    )
    if filters.courses:
        completions = completions.filter(course__in=filters.courses)
    counts = {
        timezone.localdate(row["week"]) if isinstance(row["week"], datetime) else row["week"]: row[
            "n"
        ]
        for row in completions.annotate(week=TruncWeek("completed_at"))
        .values("week")
        .annotate(n=Count("pk"))
    }
    result = []
    monday = first
    while monday <= end:
        result.append((monday, counts.get(monday, 0)))
        monday += timedelta(weeks=1)
    return result[-52:]


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def pass_rates(unit: OrgUnit, filters: Filters, *, now: datetime | None = None) -> list[dict]:
    """Per quiz: graded attempts by members under `unit`, and the share that passed."""
    today = timezone.localdate(now or timezone.now())
    attempts = Attempt.objects.filter(
        user_id__in=_memberships(unit, filters, today).values("user_id"), percent__isnull=False
    )
    if filters.courses:
        attempts = attempts.filter(quiz__in=pages_in_courses(QuizPage, filters.courses))
    rows = (
        attempts.values("quiz_id", "quiz__title")
        .annotate(total=Count("pk"), passed=Count("pk", filter=Q(passed=True)))
        .order_by("quiz__title")
    )
    courses = course_titles_of(row["quiz_id"] for row in rows)
    return [
        {
            # Named with the course: every course's final quiz may have the same title.
            "quiz": " › ".join(
                part for part in (courses.get(row["quiz_id"]), row["quiz__title"]) if part
            ),
            "title": row["quiz__title"],
            "course": courses.get(row["quiz_id"], ""),
            "total": row["total"],
            "passed": row["passed"],
            "percent": round(100 * row["passed"] / row["total"]) if row["total"] else 0,
        }
        for row in rows
    ]
