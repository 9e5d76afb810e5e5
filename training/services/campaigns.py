"""Campaigns: created, changed, started and closed by administrators of their whole area."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from common import outbox
from common.text import nfc
from courses.models import CoursePage
from organisations.selectors import units_visible_to

from ..models import Campaign, CampaignStatus
from ..selectors import units_from_codes, whole_campaign_in_scope
from ..signals import campaign_changed

__all__ = [
    "create_campaign",
    "require_whole_campaign_in_scope",
    "set_campaign_status",
    "update_campaign",
]


@transaction.atomic
def create_campaign(
    *,
    by: User,
    title: str,
    course_ids: list[int],
    unit_codes: list[str],
    starts_on: date,
    due_on: date,
    description: str = "",
    status: str = CampaignStatus.DRAFT,
) -> Campaign:
    """A campaign for units in the creator's area only, checked in full before anything is saved."""
    title = " ".join(nfc(title or "").split())
    errors = {}
    if not title:
        errors["title"] = _("Enter a title.")
    courses = list(CoursePage.objects.live().filter(pk__in=course_ids))
    if not courses:
        errors["courses"] = _("Choose at least one course.")
    units, unit_error = units_from_codes(unit_codes, units_visible_to(by))
    if unit_error:
        errors["unit_codes"] = unit_error
    if due_on < starts_on:
        errors["due_on"] = _("The due date must not be before the start date.")
    if status not in (CampaignStatus.DRAFT, CampaignStatus.RUNNING):
        errors["status"] = _("A new campaign is a draft or running.")
    if errors:
        raise ValidationError(errors)
    campaign = Campaign.objects.create(
        title=title,
        description=nfc(description or ""),
        starts_on=starts_on,
        due_on=due_on,
        status=status,
        created_by=by,
    )
    campaign.courses.set(courses)
    campaign.target_units.set(units)
    if status == CampaignStatus.RUNNING:
        outbox.enqueue("training.tasks.send_campaign_notices", campaign_id=campaign.pk)
        _announce_change(campaign)  # a draft makes no one overdue
    return campaign


def _announce_change(campaign: Campaign) -> None:
    """Who is overdue changes with a running campaign: tell other apps (the reports'
    roll-up) once the change is saved."""
    transaction.on_commit(lambda: campaign_changed.send(sender=Campaign, campaign_id=campaign.pk))


def require_whole_campaign_in_scope(*, by: User, campaign: Campaign) -> None:
    if not whole_campaign_in_scope(by, campaign):
        raise ValidationError(
            _("This campaign reaches units outside your area."), code="out_of_scope"
        )


@transaction.atomic
def update_campaign(
    *, by: User, campaign: Campaign, title: str, description: str, due_on: date
) -> Campaign:
    """Rename, describe or move the due date of a campaign that is not closed. Moving the
    due date restarts the reminders for the new date."""
    require_whole_campaign_in_scope(by=by, campaign=campaign)
    title = " ".join(nfc(title or "").split())
    errors = {}
    if campaign.status == CampaignStatus.CLOSED:
        raise ValidationError(_("A closed campaign cannot be changed."), code="closed")
    if not title:
        errors["title"] = _("Enter a title.")
    if due_on < campaign.starts_on:
        errors["due_on"] = _("The due date must not be before the start date.")
    if errors:
        raise ValidationError(errors)
    moved = due_on != campaign.due_on
    campaign.title, campaign.description, campaign.due_on = title, nfc(description or ""), due_on
    campaign.save(update_fields=["title", "description", "due_on"])
    if moved and campaign.status == CampaignStatus.RUNNING:
        _announce_change(campaign)
    return campaign


@transaction.atomic
def set_campaign_status(*, by: User, campaign: Campaign, status: str) -> Campaign:
    allowed: dict[str, set[str]] = {
        CampaignStatus.DRAFT: {CampaignStatus.RUNNING, CampaignStatus.CLOSED},
        CampaignStatus.RUNNING: {CampaignStatus.CLOSED},
        CampaignStatus.CLOSED: set(),
    }
    if status not in allowed[campaign.status]:
        raise ValidationError(
            _("This campaign cannot change to that status."), code="bad_transition"
        )
    require_whole_campaign_in_scope(by=by, campaign=campaign)
    was_running = campaign.status == CampaignStatus.RUNNING
    campaign.status = status
    campaign.save(update_fields=["status"])
    if status == CampaignStatus.RUNNING:
        outbox.enqueue("training.tasks.send_campaign_notices", campaign_id=campaign.pk)
    if was_running or status == CampaignStatus.RUNNING:  # not a draft closed unused
        _announce_change(campaign)
    return campaign
