from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from courses.models import CourseCompletion, CoursePage
from courses.selectors import with_progress
from organisations.models import TEAM_ROLES, Membership, OrgUnit
from organisations.selectors import units_visible_to

from .models import Campaign, CampaignStatus

__all__ = [
    "Assignment",
    "assignments_for",
    "campaign_progress",
    "campaigns_for",
    "campaigns_visible_to",
]

DUE_SOON_DAYS = 7


def _ancestor_paths(path: str) -> list[str]:
    step = OrgUnit.steplen
    return [path[: i * step] for i in range(1, len(path) // step + 1)]


def campaigns_for(user: User, *, on: date | None = None) -> QuerySet[Campaign]:
    """Running campaigns whose targets contain a team the member is in today."""
    on = on or timezone.localdate()
    paths = (
        Membership.objects.current(on)
        .filter(user=user, role__in=TEAM_ROLES)
        .values_list("unit__path", flat=True)
    )
    prefixes = {prefix for path in paths for prefix in _ancestor_paths(path)}
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
    campaign: Campaign
    course: CoursePage
    completed: bool
    percent: int
    overdue: bool
    due_soon: bool

    @property
    def days_left(self) -> int:
        return (self.campaign.due_on - timezone.localdate()).days


def assignments_for(user: User, *, on: date | None = None) -> list[Assignment]:
    """What the member must study, overdue first, then by due date."""
    on = on or timezone.localdate()
    campaigns = list(campaigns_for(user, on=on).prefetch_related("courses"))
    courses = {
        course.pk: course
        for campaign in campaigns
        for course in campaign.courses.all()
        if course.live
    }
    with_progress(user, list(courses.values()))
    done = set(
        CourseCompletion.objects.filter(user=user, course__in=courses).values_list(
            "course_id", flat=True
        )
    )
    items = []
    for campaign in campaigns:
        for course in campaign.courses.all():
            if course.pk not in courses:
                continue
            completed = course.pk in done
            items.append(
                Assignment(
                    campaign=campaign,
                    course=courses[course.pk],
                    completed=completed,
                    percent=100 if completed else courses[course.pk].percent,
                    overdue=not completed and campaign.due_on < on,
                    due_soon=not completed and 0 <= (campaign.due_on - on).days <= DUE_SOON_DAYS,
                )
            )
    items.sort(key=lambda a: (a.completed, not a.overdue, a.campaign.due_on, a.course.title))
    return items


def campaigns_visible_to(user: User) -> QuerySet[Campaign]:
    """Campaigns aimed at some unit in the user's area."""
    return Campaign.objects.filter(target_units__in=units_visible_to(user)).distinct()


def campaign_progress(campaign: Campaign) -> dict:
    """Members targeted and, per course, how many completed: aggregate queries only."""
    condition = Q()
    for unit in campaign.target_units.all():
        condition |= Q(unit__path__startswith=unit.path)
    members = (
        Membership.objects.current()
        .filter(condition, role__in=TEAM_ROLES)
        .values("user_id")
        .distinct()
    )
    total = members.count()
    per_course = []
    for course in campaign.courses.all():
        completed = CourseCompletion.objects.filter(course=course, user_id__in=members).count()
        per_course.append(
            {
                "course": course,
                "completed": completed,
                "percent": round(100 * completed / total) if total else 0,
            }
        )
    return {"members": total, "courses": per_course}
