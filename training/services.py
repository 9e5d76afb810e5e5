from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from common.text import nfc
from courses.models import CoursePage
from organisations.selectors import units_visible_to

from .models import Campaign, CampaignStatus

__all__ = ["create_campaign", "set_campaign_status"]


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
    codes = sorted({code.strip().upper() for code in unit_codes if code.strip()})
    units = list(units_visible_to(by).filter(code__in=codes, valid_to__isnull=True))
    unknown = sorted(set(codes) - {unit.code for unit in units})
    if not codes:
        errors["unit_codes"] = _("Enter the codes of the target units.")
    elif unknown:
        errors["unit_codes"] = _("Not in your area, merged or unknown: %(codes)s.") % {
            "codes": ", ".join(unknown)
        }
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
    return campaign


@transaction.atomic
def set_campaign_status(*, by: User, campaign: Campaign, status: str) -> Campaign:
    allowed = {
        CampaignStatus.DRAFT: {CampaignStatus.RUNNING, CampaignStatus.CLOSED},
        CampaignStatus.RUNNING: {CampaignStatus.CLOSED},
        CampaignStatus.CLOSED: set(),
    }
    if status not in allowed[campaign.status]:
        raise ValidationError(
            _("This campaign cannot change to that status."), code="bad_transition"
        )
    scope = set(units_visible_to(by).values_list("pk", flat=True))
    if not set(campaign.target_units.values_list("pk", flat=True)) <= scope:
        raise ValidationError(
            _("This campaign reaches units outside your area."), code="out_of_scope"
        )
    campaign.status = status
    campaign.save(update_fields=["status"])
    return campaign
