from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Exists, Max, Min, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from certificates.models import Certificate
from courses.models import CourseCompletion, CoursePage, LessonPage, LessonProgress
from courses.selectors import pages_in_courses, with_progress
from notifications.models import Kind, Notification
from organisations.models import TEAM_ROLES, Membership, OrgUnit, Role
from organisations.selectors import (
    held_units,
    members_of_subtree,
    path_with_ancestors,
    roots_among,
    scope_roots,
    units_visible_to,
)

from .models import Attendance, Campaign, CampaignStatus, Recertification, TrainingSession

__all__ = [
    "Assignment",
    "assignments_for",
    "attended_user_ids",
    "campaign_notices",
    "campaign_progress",
    "campaigns_covering",
    "campaigns_for",
    "campaigns_visible_to",
    "completed_all",
    "courses_covered_by",
    "invited_members",
    "is_invited",
    "lapsed_certificates",
    "may_manage_session",
    "member_sessions",
    "members_behind",
    "needing_retraining",
    "recertifications_due",
    "renewals_ready",
    "restudying_members",
    "session_area_roots",
    "session_roster",
    "sessions_visible_to",
    "targeted_members",
    "units_from_codes",
    "unrenewed_expiry",
    "whole_campaign_in_scope",
]

DUE_SOON_DAYS = 7
RENEWAL_NOTICE_DAYS = 30


def units_from_codes(codes: list[str], allowed: QuerySet[OrgUnit]) -> tuple[list[OrgUnit], str]:
    """The current units of `allowed` named by these codes, and what is wrong with them."""
    codes = sorted({code.strip().upper() for code in codes if code.strip()})
    units = list(allowed.filter(code__in=codes, valid_to__isnull=True))
    unknown = sorted(set(codes) - {unit.code for unit in units})
    if not codes:
        return units, gettext("Enter the codes of the target units.")
    if unknown:
        return units, gettext("Not in your area, merged or unknown: %(codes)s.") % {
            "codes": ", ".join(unknown)
        }
    return units, ""


def campaigns_for(user: User, *, on: date | None = None) -> QuerySet[Campaign]:
    """Running campaigns whose targets contain a team the member is in today."""
    on = on or timezone.localdate()
    paths = (
        Membership.objects.current(on)
        .filter(user=user, role__in=TEAM_ROLES)
        .values_list("unit__path", flat=True)
    )
    prefixes = {prefix for path in paths for prefix in path_with_ancestors(path)}
    if not prefixes:
        return Campaign.objects.none()
    return (
        Campaign.objects.filter(
            status=CampaignStatus.RUNNING, starts_on__lte=on, target_units__path__in=prefixes
        )
        .distinct()
        .order_by("due_on")
    )


@dataclass
class Assignment:
    """A course the member must complete by a date: for a campaign, or to renew a
    certificate."""

    course: CoursePage
    due_on: date
    completed: bool
    percent: int
    overdue: bool
    due_soon: bool
    campaign: Campaign | None = None
    recertification: Recertification | None = None

    @property
    def title(self) -> str:
        return self.campaign.title if self.campaign else gettext("Renew your certificate")

    @property
    def days_left(self) -> int:
        return (self.due_on - timezone.localdate()).days


def assignments_for(user: User, *, on: date | None = None) -> list[Assignment]:
    """What the member must study, overdue first, then by due date. A campaign course
    counts as completed only when no lesson of it waits to be re-studied."""
    on = on or timezone.localdate()
    campaigns = list(campaigns_for(user, on=on).prefetch_related("courses"))
    renewals = list(
        Recertification.objects.filter(user=user, renewed_at__isnull=True).select_related(
            "course", "certificate"
        )
    )
    courses = {
        course.pk: course
        for campaign in campaigns
        for course in campaign.courses.all()
        if course.live
    }
    courses.update({r.course.pk: r.course for r in renewals if r.course.live})
    with_progress(user, list(courses.values()))
    items = []

    def add(course: CoursePage, due_on: date, completed: bool, **source: Any) -> None:
        items.append(
            Assignment(
                course=course,
                due_on=due_on,
                completed=completed,
                percent=100 if completed else course.percent,
                overdue=not completed and due_on < on,
                due_soon=not completed and 0 <= (due_on - on).days <= DUE_SOON_DAYS,
                **source,
            )
        )

    for campaign in campaigns:
        for course in campaign.courses.all():
            if course.pk in courses:
                course = courses[course.pk]
                add(course, campaign.due_on, _done(course), campaign=campaign)
    for renewal in renewals:
        if renewal.course.pk in courses:
            add(courses[renewal.course.pk], renewal.due_on, False, recertification=renewal)
    items.sort(key=lambda a: (a.completed, not a.overdue, a.due_on, a.course.title))
    return items


def _done(course: CoursePage) -> bool:
    return course.is_completed and not course.lessons_to_restudy


def _members_under(units: Iterable[OrgUnit], *, on: date | None = None) -> QuerySet:
    """User ids of the current team members inside these units' subtrees."""
    condition = Q()
    for unit in units:
        condition |= Q(unit__path__startswith=unit.path)
    if not condition:
        return Membership.objects.none().values_list("user_id", flat=True)
    return (
        Membership.objects.current(on)
        .filter(condition, role__in=TEAM_ROLES)
        .values_list("user_id", flat=True)
        .distinct()
    )


def targeted_members(campaign: Campaign, *, on: date | None = None) -> QuerySet:
    """User ids of the current team members inside the campaign's target subtrees."""
    return _members_under(campaign.target_units.all(), on=on)


def restudying_members(courses: list[CoursePage]) -> QuerySet:
    """User ids with a lesson of these courses waiting to be re-studied."""
    return (
        LessonProgress.objects.filter(
            lesson__in=pages_in_courses(LessonPage, courses), review_requested_at__isnull=False
        )
        .values_list("user_id", flat=True)
        .distinct()
    )


def completed_all(
    courses: list[CoursePage], *, since: date | None = None, until: date | None = None
) -> QuerySet:
    """User ids who completed every one of the courses (any course when none is given)
    with no lesson of them left to re-study, optionally within a period of local dates."""
    completions = CourseCompletion.objects.all()
    if since:
        completions = completions.filter(completed_at__date__gte=since)
    if until:
        completions = completions.filter(completed_at__date__lte=until)
    if not courses:
        return completions.values("user_id")
    return (
        completions.filter(course__in=courses)
        .exclude(user_id__in=restudying_members(courses))
        .values("user_id")
        .annotate(n=Count("course_id", distinct=True))
        .filter(n=len(courses))
        .values("user_id")
    )


def members_behind(campaign: Campaign, *, on: date | None = None) -> QuerySet:
    """User ids of targeted members who have not yet completed the campaign."""
    courses = list(campaign.courses.all())
    return targeted_members(campaign, on=on).exclude(user_id__in=completed_all(courses))


def whole_campaign_in_scope(user: User, campaign: Campaign) -> bool:
    """Whether every unit the campaign targets is in the user's area (who may change it)."""
    scope = set(units_visible_to(user).values_list("pk", flat=True))
    return set(campaign.target_units.values_list("pk", flat=True)) <= scope


def campaigns_visible_to(user: User, *, roots: list[OrgUnit] | None = None) -> QuerySet[Campaign]:
    """Campaigns aimed at some unit in the user's area."""
    units = units_visible_to(user, roots=roots)
    return Campaign.objects.filter(target_units__in=units).distinct()


def campaigns_covering(user: User, *, roots: list[OrgUnit] | None = None) -> QuerySet[Campaign]:
    """Campaigns that reach some of the user's area: aimed at a unit in it, or at a unit
    above it (a commune's campaign reaches its teams). To filter the user's own figures by;
    a campaign's own page, with everyone's progress, stays with `campaigns_visible_to`."""
    if user.is_authenticated and user.is_superuser:
        return Campaign.objects.all()
    roots = scope_roots(user) if roots is None else roots
    above = {path for root in roots for path in path_with_ancestors(root.path)}
    return Campaign.objects.filter(
        Q(pk__in=campaigns_visible_to(user, roots=roots).values("pk"))
        | Q(target_units__path__in=above)
    ).distinct()


def campaign_progress(campaign: Campaign, *, within: list[OrgUnit] | None = None) -> dict:
    """Members targeted and, per course, how many completed (re-study included): aggregate
    queries only. `within`: only the members under these units (a viewer whose area holds
    part of the campaign sees the figures of that part, not of the other units)."""
    members = targeted_members(campaign)
    if within is not None:
        members = members.filter(user_id__in=_members_under(within))
    total = members.count()
    per_course = []
    for course in campaign.courses.all():
        completed = (
            CourseCompletion.objects.filter(course=course, user_id__in=members)
            .exclude(user_id__in=restudying_members([course]))
            .count()
        )
        per_course.append(
            {
                "course": course,
                "completed": completed,
                "percent": round(100 * completed / total) if total else 0,
            }
        )
    return {"members": total, "courses": per_course}


def recertifications_due(*, on: date | None = None) -> QuerySet[Certificate]:
    """Live certificates with 30 days or less left (or already expired) and no renewal opened."""
    on = on or timezone.localdate()
    horizon = datetime.combine(on + timedelta(days=RENEWAL_NOTICE_DAYS + 1), time.min)
    return Certificate.objects.filter(
        revoked_at__isnull=True,
        expires_at__isnull=False,
        expires_at__lt=timezone.make_aware(horizon),
        course__isnull=False,
        user__is_active=True,
        recertification__isnull=True,
    ).select_related("course", "course__refresher_course")


def renewals_ready() -> QuerySet:
    """(user_id, course_id) of open renewals whose member has completed the course with no
    lesson of it left to re-study: one query for the daily sweep, not three per renewal."""
    restudying = LessonProgress.objects.filter(
        user=OuterRef("user"),
        review_requested_at__isnull=False,
        lesson__path__startswith=OuterRef("course__path"),
    )
    completed = CourseCompletion.objects.filter(user=OuterRef("user"), course=OuterRef("course"))
    return (
        Recertification.objects.filter(renewed_at__isnull=True)
        .filter(Exists(completed))
        .exclude(Exists(restudying))
        .values("user_id", "course_id")
        .distinct()
    )


def lapsed_certificates(
    *, now: datetime | None = None, courses: list[CoursePage] | None = None
) -> QuerySet[Certificate]:
    """Certificates that expired and were not renewed: their holders show as "cần tập huấn
    lại" until they hold a valid certificate of that course again."""
    now = now or timezone.now()
    lapsed = Certificate.objects.filter(unrenewed_expiry(now), revoked_at__isnull=True)
    if courses:
        lapsed = lapsed.filter(course__in=courses)
    return lapsed


def unrenewed_expiry(now: datetime) -> Q:
    """A condition on a certificate: it has expired and its holder holds no valid
    certificate of the same course."""
    still_valid = Certificate.objects.filter(
        Q(expires_at__isnull=True) | Q(expires_at__gte=now),
        user=OuterRef("user"),
        course=OuterRef("course"),
        revoked_at__isnull=True,
    )
    return Q(expires_at__lt=now) & ~Q(Exists(still_valid))


def needing_retraining(unit: OrgUnit, *, now: datetime | None = None) -> QuerySet:
    """User ids in the unit's subtree with a lapsed, unrenewed certificate."""
    return (
        lapsed_certificates(now=now)
        .filter(user__in=members_of_subtree(unit))
        .values_list("user_id", flat=True)
        .distinct()
    )


def campaign_notices(campaign: Campaign, *, within: list[OrgUnit] | None = None) -> list[dict]:
    """The notices sent for a campaign so far: kind, threshold, how many, first and last;
    `within`: to the members under these units only."""
    notices = Notification.objects.filter(key__startswith=f"campaign:{campaign.pk}:")
    if within is not None:
        notices = notices.filter(user_id__in=_members_under(within))
    rows = (
        notices.values("key", "kind")
        .annotate(members=Count("pk"), first=Min("created_at"), last=Max("created_at"))
        .order_by("first")
    )
    labels = dict(Kind.choices)
    return [
        {
            **row,
            "label": labels.get(row["kind"], row["kind"]),
            "days": row["key"].rsplit(":", 1)[-1] if ":due:" in row["key"] else "",
            "due_on": date.fromisoformat(row["key"].split(":")[2])
            if row["key"].count(":") > 2
            else None,
        }
        for row in rows
    ]


# --- In-person training sessions ---------------------------------------------------------


def session_area_roots(
    user: User, *, held: list[tuple[str, OrgUnit]] | None = None
) -> list[OrgUnit]:
    """Where a user may schedule and run sessions: their administrative area (unit
    administrator, team leader) and the units where they hold the trainer role. `held`: the
    user's `held_units`, if known."""
    if not user.is_authenticated or user.is_superuser:
        return scope_roots(user)
    held = held_units(user) if held is None else held
    trained = [unit for role, unit in held if role == Role.TRAINER]
    return roots_among([*scope_roots(user, held=held), *trained])


def sessions_visible_to(
    user: User, *, roots: list[OrgUnit] | None = None
) -> QuerySet[TrainingSession]:
    """Sessions aimed at a unit in the user's area (or above it: its members are invited
    too), and the sessions the user leads."""
    roots = session_area_roots(user) if roots is None else roots
    if user.is_authenticated and user.is_superuser:
        return TrainingSession.objects.all()
    above = {prefix for root in roots for prefix in path_with_ancestors(root.path)}
    condition = Q(trainer_id=user.pk) | Q(target_units__path__in=above)
    for root in roots:
        condition |= Q(target_units__path__startswith=root.path)
    return TrainingSession.objects.filter(condition).distinct()


def may_manage_session(
    user: User, session: TrainingSession, *, roots: list[OrgUnit] | None = None
) -> bool:
    """The trainer of the session, or someone whose area covers every unit it targets."""
    if user.is_superuser or session.trainer_id == user.pk:
        return True
    roots = session_area_roots(user) if roots is None else roots
    targets = list(session.target_units.all())
    return bool(targets) and all(
        any(unit.path.startswith(root.path) for root in roots) for unit in targets
    )


def invited_members(session: TrainingSession, *, on: date | None = None) -> QuerySet:
    """User ids of the current team members inside the session's target subtrees."""
    return _members_under(session.target_units.all(), on=on)


def is_invited(user: User, session: TrainingSession) -> bool:
    return invited_members(session).filter(user_id=user.pk).exists()


def _sessions_for(user: User) -> QuerySet[TrainingSession]:
    paths = (
        Membership.objects.current()
        .filter(user=user, role__in=TEAM_ROLES)
        .values_list("unit__path", flat=True)
    )
    prefixes = {prefix for path in paths for prefix in path_with_ancestors(path)}
    if not prefixes:
        return TrainingSession.objects.none()
    return TrainingSession.objects.filter(target_units__path__in=prefixes).distinct()


def member_sessions(user: User, *, now: datetime | None = None, past_days: int = 60) -> dict:
    """The member's sessions: upcoming (or running) ones, soonest first, and those of the
    last `past_days` days, each with `attended_at` (None when not checked in)."""
    now = now or timezone.now()
    attended = dict(Attendance.objects.filter(user=user).values_list("session_id", "checked_in_at"))
    sessions = list(
        _sessions_for(user)
        .filter(ends_at__gte=now - timedelta(days=past_days))
        .select_related("trainer", "course", "topic")
        .order_by("starts_at")
    )
    for session in sessions:
        session.attended_at = attended.get(session.pk)  # type: ignore[attr-defined]
    return {
        "upcoming": [s for s in sessions if s.ends_at >= now],
        "past": [s for s in reversed(sessions) if s.ends_at < now],
    }


def session_roster(session: TrainingSession) -> list[Membership]:
    """The invited members as printed on the attendance list: by team, then given name;
    each with `attendance` (or None)."""
    condition = Q()
    for unit in session.target_units.all():
        condition |= Q(unit__path__startswith=unit.path)
    if not condition:
        return []
    rows = list(
        Membership.objects.current()
        .filter(condition, role__in=TEAM_ROLES, user__is_active=True)
        .select_related("user", "unit")
        .order_by("unit__path", "user__first_name", "user__last_name", "user_id")
    )
    attendances = {a.user_id: a for a in Attendance.objects.filter(session=session)}
    for row in rows:
        row.attendance = attendances.get(row.user_id)
    return rows


def courses_covered_by(session: TrainingSession) -> QuerySet[CoursePage]:
    """Live courses that require attendance and that this session counts for: its course,
    or every course of its topic when the session is about a topic."""
    courses = CoursePage.objects.live().filter(requires_session_attendance=True)
    if session.course_id:
        return courses.filter(pk=session.course_id)
    return courses.filter(topic_id=session.topic_id)


def attended_user_ids(course: CoursePage | None = None) -> QuerySet:
    """User ids who attended a session (of this course, or of its topic when the session
    names no course): for reports."""
    attendances = Attendance.objects.filter(session__cancelled_at__isnull=True)
    if course is not None:
        attendances = attendances.filter(
            Q(session__course=course)
            | Q(session__course__isnull=True, session__topic=course.topic_id)
        )
    return attendances.values("user_id")


def _counts_for(session: TrainingSession, course: CoursePage) -> bool:
    if session.course_id:
        return session.course_id == course.pk
    return session.topic_id == course.topic_id


def session_steps(user: User, courses: list, *, now: datetime | None = None) -> dict[int, list]:
    """For courses that require attending an in-person session: that step of the member's
    journey, after the lessons and quizzes. Done once they attended a session counting for
    the course; otherwise it points to their next such session, or says none is planned."""
    from django.urls import reverse

    from courses.journey import Step

    needing = [course for course in courses if course.requires_session_attendance]
    if not needing:
        return {}
    now = now or timezone.now()
    attended: dict = {}
    upcoming: list[TrainingSession] = []
    if user.is_authenticated:
        for session_course, session_topic, checked_in_at in Attendance.objects.filter(
            user=user, session__cancelled_at__isnull=True
        ).values_list("session__course_id", "session__topic_id", "checked_in_at"):
            key = ("course", session_course) if session_course else ("topic", session_topic)
            attended[key] = min(checked_in_at, attended.get(key, checked_in_at))
        upcoming = list(
            _sessions_for(user)
            .filter(ends_at__gte=now, cancelled_at__isnull=True)
            .order_by("starts_at")
        )
    result: dict[int, list] = {}
    for course in needing:
        when = attended.get(("course", course.pk)) or attended.get(("topic", course.topic_id))
        session = next(
            (
                s
                for s in upcoming
                if s.course_id == course.pk
                or (s.course_id is None and s.topic_id == course.topic_id)
            ),
            None,
        )
        if when:
            status = gettext("Attended on %(date)s") % {
                "date": timezone.localtime(when).strftime("%d/%m/%Y")
            }
            url, action = reverse("courses:my_learning") + "#my-sessions", ""
        elif session:
            status = gettext("Next session: %(title)s, %(when)s, %(place)s") % {
                "title": session.title,
                "when": timezone.localtime(session.starts_at).strftime("%H:%M %d/%m/%Y"),
                "place": session.place,
            }
            url = reverse("training:session", args=[session.pk])
            action = gettext("See the session")
        else:
            status = gettext(
                "No session is planned for you yet: your team leader or trainer will announce it"
            )
            url = reverse("courses:my_learning") + "#my-sessions"
            action = gettext("See your sessions")
        result[course.pk] = [
            Step(
                kind="session",
                title=gettext("Attend an in-person training session"),
                url=url,
                path=course.path + "~",  # after every page of the course
                done=bool(when),
                status=status,
                started=bool(when),
                action=action,
            )
        ]
    return result
