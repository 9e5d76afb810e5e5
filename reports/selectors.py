"""Report figures, computed by aggregate queries only.

Each member-level fact (completed, started, overdue, certificate state) is a set of user
ids written as a subquery that does not depend on the outer row, so the database evaluates
it once and probes it per membership (PostgreSQL: a hashed subplan). A dashboard is a
handful of queries whatever the number of members."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import connections
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Substr, TruncWeek
from django.utils import timezone

from accounts.models import User
from certificates.models import Certificate
from common.params import parse_date, parse_id
from courses.models import CourseCompletion, CoursePage, LessonPage, LessonProgress
from courses.selectors import pages_in_courses
from organisations.history import TreeAsOf
from organisations.models import TEAM_ROLES, Membership, OrgUnit, UnitKind
from organisations.selectors import path_with_ancestors, units_visible_to
from quizzes.models import Attempt, Choice, ChoiceStat, Question, QuizPage
from quizzes.selectors import course_titles_of, grants_of
from training.models import Campaign, CampaignStatus
from training.selectors import (
    campaigns_visible_to,
    completed_all,
    lapsed_certificates,
    targeted_members,
)

from .models import UnitRollup

__all__ = [
    "METRICS",
    "Filters",
    "breakdown",
    "filters_from_params",
    "grouped_figures",
    "item_analysis",
    "member_record",
    "member_rows",
    "national_rows",
    "pass_rates",
    "rolled_up_figures",
    "rollup_breakdown",
    "rollup_freshness",
    "rollup_units",
    "visible_unit",
    "weekly_completions",
]

EXPIRING_DAYS = 30
# Units whose dashboards are read from the roll-up (their children are rolled up too).
ROLLED_UP_KINDS = (UnitKind.NATION, UnitKind.PROVINCE)
PATH_LENGTH = OrgUnit._meta.get_field("path").max_length  # a unit's whole tree path
ROLLUP_USABLE_FOR = timedelta(minutes=15)  # three refreshes missed: count live instead
MIN_ANSWERS_FOR_FLAG = 20
TOO_HARD_BELOW = 0.2
TOO_EASY_ABOVE = 0.95

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


@dataclass(frozen=True)
class Filters:
    course: CoursePage | None = None
    campaign: Campaign | None = None
    role: str = ""
    date_from: date | None = None
    date_to: date | None = None
    courses: list[CoursePage] = field(default_factory=list, compare=False)

    def __post_init__(self) -> None:
        if self.campaign is not None:
            courses = list(self.campaign.courses.order_by("path"))
        else:
            courses = [self.course] if self.course else []
        object.__setattr__(self, "courses", courses)

    def as_params(self) -> dict:
        return {
            "course": self.course.pk if self.course else None,
            "campaign": self.campaign.pk if self.campaign else None,
            "role": self.role,
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
        }


def _completed_ids(filters: Filters) -> QuerySet:
    return completed_all(filters.courses, since=filters.date_from, until=filters.date_to)


def _started_condition(filters: Filters) -> Q:
    lessons = LessonProgress.objects.all()
    attempts = Attempt.objects.all()
    if filters.courses:
        lessons = lessons.filter(lesson__in=pages_in_courses(LessonPage, filters.courses))
        attempts = attempts.filter(quiz__in=pages_in_courses(QuizPage, filters.courses))
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


def _certificate_sets(filters: Filters, now: datetime) -> dict:
    live = Certificate.objects.filter(revoked_at__isnull=True)
    if filters.courses:
        live = live.filter(course__in=filters.courses)
    valid = Q(expires_at__isnull=True) | Q(expires_at__gte=now)
    return {
        "certificates_valid": live.filter(valid).values("user_id"),
        "certificates_expiring": live.filter(
            expires_at__gte=now, expires_at__lt=now + timedelta(days=EXPIRING_DAYS)
        ).values("user_id"),
        "certificates_expired": lapsed_certificates(now=now, courses=filters.courses).values(
            "user_id"
        ),
    }


def _graded(filters: Filters) -> QuerySet[Attempt]:
    attempts = Attempt.objects.filter(percent__isnull=False)
    if filters.courses:
        attempts = attempts.filter(quiz__in=pages_in_courses(QuizPage, filters.courses))
    return attempts


def _best_score(filters: Filters) -> Subquery:
    attempts = _graded(filters).filter(user=OuterRef("user_id"))
    return Subquery(
        attempts.order_by().values("user").annotate(best=Max("percent")).values("best")[:1]
    )


def _conditions(filters: Filters, unit: OrgUnit | None, now: datetime) -> dict[str, Q]:
    """{fact: condition on a membership row}. "in progress" and "not started" are derived
    from "completed" and "began" (completed or started), so the database counts fewer."""
    completed = Q(user_id__in=_completed_ids(filters))
    conditions = {"completed": completed, "began": completed | _started_condition(filters)}
    overdue = Q()
    for campaign in _overdue_campaigns(filters, unit, timezone.localdate(now)):
        # Rows are current team memberships already, so "targeted" is a test on the
        # row's own team path, not another subquery.
        targeted = Q()
        for target in campaign.target_units.all():
            targeted |= Q(unit__path__startswith=target.path)
        courses = list(campaign.courses.all())
        overdue |= targeted & ~Q(user_id__in=completed_all(courses))
    conditions["overdue"] = overdue
    for name, user_ids in _certificate_sets(filters, now).items():
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
        role__in=[filters.role] if filters.role else TEAM_ROLES, user__is_active=True
    )
    if unit is not None:
        rows = rows.filter(
            tree.subtree(unit, prefix="unit__") if tree else Q(unit__path__startswith=unit.path)
        )
    if filters.campaign is not None:
        rows = rows.filter(user_id__in=targeted_members(filters.campaign, on=day))
    return rows


def _complete(row: dict) -> dict:
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
    grouped = _grouped_counts(unit, filters, prefix_length=prefix_length, now=now)
    return {row["child"]: _complete(row) for row in grouped}, _complete(_sum(grouped))


def _grouped_counts(
    unit: OrgUnit | None, filters: Filters, *, prefix_length: int, now: datetime | None
) -> list[dict]:
    """Raw counts per path prefix ("began" rather than in progress / not started).

    One statement: each membership row gets its facts as booleans and its member's best
    score from a grouped join (a per-row subquery would look the score up once per member),
    and the rows are counted per group."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    # An empty Q means no overdue campaign: nothing to count.
    conditions = {name: q for name, q in _conditions(filters, unit, now).items() if q}
    tree = _tree_as_of(filters, today, unit)
    # A past period is counted per unit, then added up along the tree as it was then.
    as_it_was = tree is not None and unit is not None
    child = Substr("unit__path", 1, PATH_LENGTH if as_it_was else prefix_length)
    facts = _memberships(unit, filters, today, tree=tree).annotate(
        child=child,
        **{
            f"is_{name}": ExpressionWrapper(condition, output_field=BooleanField())
            for name, condition in conditions.items()
        },
    )
    facts_sql, facts_params = facts.values(
        "user_id", "child", *(f"is_{name}" for name in conditions)
    ).query.sql_with_params()
    best = _graded(filters).order_by().values("user_id").annotate(best=Max("percent"))
    best_sql, best_params = best.values("user_id", "best").query.sql_with_params()
    # Rows are counted, not distinct users: a member is in one team at a time (the database
    # allows one open team membership per person), and COUNT(DISTINCT) costs a sort each.
    counts = "".join(f", COUNT(*) FILTER (WHERE m.is_{name})" for name in conditions)
    # Both parts are compiled by the ORM with their parameters kept apart; the rest is
    # column names of our own.
    sql = (
        f"SELECT m.child, COUNT(*), AVG(b.best), COUNT(b.best), SUM(b.best){counts} "  # noqa: S608
        f"FROM ({facts_sql}) m LEFT JOIN ({best_sql}) b ON b.user_id = m.user_id "
        "GROUP BY m.child ORDER BY m.child"
    )
    with connections[facts.db].cursor() as cursor:
        cursor.execute(sql, [*facts_params, *best_params])
        fetched = cursor.fetchall()
    grouped = []
    for child, members, score, scored, best_total, *counted in fetched:
        row = {
            "child": child,
            "members": members,
            "scored": scored,
            **dict(zip(conditions, counted, strict=True)),
        }
        row["average_best_score"] = Decimal(str(score)) if score is not None else None
        row["best_total"] = Decimal(str(best_total)) if best_total is not None else Decimal(0)
        grouped.append(row)
    if as_it_was and tree is not None:  # as_it_was implies a tree
        by_key: dict[str, list[dict]] = {}
        for row in grouped:
            by_key.setdefault(tree.key_at(row["child"], prefix_length), []).append(row)
        grouped = [{**_sum(rows), "child": key} for key, rows in sorted(by_key.items())]
    return grouped


def _sum(rows: list[dict]) -> dict:
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
    conditions = _member_conditions(_conditions(filters, unit, now))
    flags = {
        f"is_{name}": ExpressionWrapper(condition, output_field=BooleanField())
        if condition
        else Value(False, output_field=BooleanField())
        for name, condition in conditions.items()
    }
    rows = (
        _memberships(unit, filters, timezone.localdate(now))
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
    for row in _grouped_counts(under, Filters(course=course), prefix_length=length, now=now):
        for path in path_with_ancestors(row["child"]):
            if path in parts:
                parts[path].append(row)
    return {path: _complete(_sum(rows)) for path, rows in parts.items()}


def _rollup_counts(rollup: UnitRollup) -> dict:
    """A stored row as raw counts, the shape `_sum` and `_complete` take."""
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
        UnitRow(unit=r.unit, figures=_complete(_rollup_counts(r)))
        for r in rollups
        if r is not own and r.members
    ]
    return rows, _complete(_rollup_counts(own)), own.computed_at


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
    rows = [UnitRow(unit=unit, figures=_complete(c)) for unit, c in zip(units, counts, strict=True)]
    return rows, _complete(_sum(counts))


def rollup_freshness() -> datetime | None:
    """When the oldest rolled-up figures were computed (a province can be refreshed alone)."""
    return UnitRollup.objects.aggregate(oldest=Min("computed_at"))["oldest"]


def member_record(user: User) -> dict:
    """Everything a member did: lessons, attempts, certificates, memberships."""
    return {
        "person": user,
        "memberships": Membership.objects.filter(user=user)
        .select_related("unit")
        .order_by("-started_on"),
        "completions": CourseCompletion.objects.filter(user=user)
        .select_related("course")
        .order_by("-completed_at"),
        "lessons": LessonProgress.objects.filter(user=user)
        .select_related("lesson")
        .order_by("-last_opened_at"),
        "attempts": Attempt.objects.filter(user=user)
        .select_related("quiz")
        .order_by("-started_at"),
        "certificates": Certificate.objects.filter(user=user)
        .select_related("replacement")
        .order_by("-issued_at"),
        "grants": grants_of(user),
    }


def visible_unit(
    viewer: User, unit_id: str | int | None, *, roots: list[OrgUnit] | None = None
) -> OrgUnit | None:
    """The unit with that id if the viewer may see it; None for any other value."""
    pk = parse_id(unit_id)
    if pk is None:
        return None
    return units_visible_to(viewer, roots=roots).filter(pk=pk).first()


def item_analysis(*, topic_id: int | None = None) -> list[dict]:
    """Per question: answers counted, share correct, the most chosen wrong answer, and a
    flag when almost everyone fails or passes it."""
    questions = Question.objects.select_related("topic", "stat").order_by("topic__name", "pk")
    if topic_id:
        questions = questions.filter(topic_id=topic_id)
    questions = list(questions)
    wrong = {c.pk: c for c in Choice.objects.filter(question__in=questions, is_correct=False)}
    top_wrong: dict[int, tuple[Choice, int]] = {}
    for stat in ChoiceStat.objects.filter(question__in=questions, choice_id__in=list(wrong)):
        best = top_wrong.get(stat.question_id)
        if stat.chosen and (best is None or stat.chosen > best[1]):
            top_wrong[stat.question_id] = (wrong[stat.choice_id], stat.chosen)
    result = []
    for question in questions:
        question_stat = getattr(question, "stat", None)
        answered = question_stat.answered if question_stat else 0
        share = (question_stat.correct / answered) if question_stat and answered else None
        flag = ""
        if answered >= MIN_ANSWERS_FOR_FLAG and share is not None:
            flag = "hard" if share < TOO_HARD_BELOW else "easy" if share > TOO_EASY_ABOVE else ""
        choice, chosen = top_wrong.get(question.pk, (None, 0))
        result.append(
            {
                "question": question,
                "answered": answered,
                "correct_percent": round(100 * share) if share is not None else None,
                "top_wrong": choice,
                "top_wrong_percent": round(100 * chosen / answered)
                if answered and choice
                else None,
                "flag": flag,
            }
        )
    return result


def filters_from_params(params: dict, viewer: User) -> Filters:
    """Filters from stored or submitted ids, keeping only what the viewer may use."""
    course = campaign = None
    if parse_id(params.get("course")):
        course = CoursePage.objects.live().filter(pk=parse_id(params["course"])).first()
    if parse_id(params.get("campaign")):
        campaign = (
            campaigns_visible_to(viewer)
            .filter(pk=parse_id(params["campaign"]))  # type: ignore[misc]  # an id: checked above
            .first()
        )
    role = params.get("role") or ""
    return Filters(
        course=course,
        campaign=campaign,
        role=role if role in TEAM_ROLES else "",
        date_from=parse_date(params.get("date_from")),
        date_to=parse_date(params.get("date_to")),
    )
