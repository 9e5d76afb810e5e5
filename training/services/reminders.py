"""Campaign reminders: the new-assignment notice, due reminders and overdue notices.

Every notice is keyed by its event, so each member gets it once, however many times (or on
however many workers) the jobs run."""

from datetime import date

from django.urls import reverse
from django.utils import timezone

from courses.models import CoursePage
from notifications.models import Kind
from notifications.services import notify

from .. import selectors
from ..models import Campaign, CampaignStatus

__all__ = [
    "DUE_REMINDER_DAYS",
    "SWEEP_CHUNK",
    "run_daily_reminders",
    "send_campaign_notices",
]

DUE_REMINDER_DAYS = (7, 3, 1)
SWEEP_CHUNK = 1000


def _campaign_params(campaign: Campaign, courses: list[CoursePage], **extra: object) -> dict:
    return {
        "campaign": campaign.title,
        "courses": ", ".join(course.title for course in courses),
        "due_on": campaign.due_on.isoformat(),
        **extra,
    }


def send_campaign_notices(
    *, campaign_id: int, on: date | None = None, chunk: int = SWEEP_CHUNK
) -> int:
    """New-assignment notice, then whichever due reminder or overdue notice applies today,
    to every targeted member who has not completed the campaign. Set-based: the members
    behind are one query, and each notice is written for `chunk` members at a time in a few
    statements (`notifications.services.notify`), skipping those who already have it."""
    on = on or timezone.localdate()
    campaign = Campaign.objects.filter(
        pk=campaign_id, status=CampaignStatus.RUNNING, starts_on__lte=on
    ).first()
    if campaign is None:
        return 0
    courses = list(campaign.courses.live().order_by("title"))  # type: ignore[attr-defined]
    if not courses:
        return 0
    behind = list(selectors.members_behind(campaign, on=on))
    link = reverse("courses:my_learning")
    sent = notify(
        user_ids=behind,
        kind=Kind.ASSIGNED,
        key=f"campaign:{campaign.pk}:assigned",
        params=_campaign_params(campaign, courses),
        link=link,
        chunk=chunk,
    )
    days_left = (campaign.due_on - on).days
    if days_left < 0:
        sent += notify(
            user_ids=behind,
            kind=Kind.OVERDUE,
            key=f"campaign:{campaign.pk}:{campaign.due_on.isoformat()}:overdue",
            params=_campaign_params(campaign, courses),
            link=link,
            chunk=chunk,
        )
    elif days_left <= max(DUE_REMINDER_DAYS):
        # The nearest threshold not yet passed: on schedule this is the day itself; after
        # a missed run the member still gets one reminder, not a burst of old ones.
        threshold = min(days for days in DUE_REMINDER_DAYS if days >= days_left)
        sent += notify(
            user_ids=behind,
            kind=Kind.DUE_SOON,
            # The due date is part of the event: moving it restarts the reminders.
            key=f"campaign:{campaign.pk}:{campaign.due_on.isoformat()}:due:{threshold}",
            params=_campaign_params(campaign, courses, days=days_left),
            link=link,
            chunk=chunk,
        )
    return sent


def run_daily_reminders(*, on: date | None = None, chunk: int = SWEEP_CHUNK) -> int:
    """The daily job: notices for every running campaign (later joiners included)."""
    on = on or timezone.localdate()
    campaigns = Campaign.objects.filter(status=CampaignStatus.RUNNING, starts_on__lte=on)
    return sum(
        send_campaign_notices(campaign_id=pk, on=on, chunk=chunk)
        for pk in campaigns.values_list("pk", flat=True)
    )
