from dataclasses import dataclass
from datetime import date, timedelta
from typing import cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common.text import nfc
from organisations.models import OrgUnit
from organisations.selectors import current_team_membership
from training.models import Campaign, CampaignStatus
from training.services.campaigns import require_whole_campaign_in_scope

from . import selectors
from .models import MAX_RESIDENTS, NOTE_LENGTH, HelpKind, OutreachEntry, OutreachTarget
from .privacy import looks_personal

__all__ = [
    "RECORDABLE_DAYS",
    "HelpGiven",
    "add_target",
    "correct_entry",
    "delete_entry",
    "record_entry",
    "remove_target",
]

RECORDABLE_DAYS = 60  # help older than this is not entered any more


@dataclass(frozen=True, kw_only=True)
class HelpGiven:
    """What a member records: counts only, never anything about a resident."""

    helped_on: date | None
    place: OrgUnit | None
    kind: str
    residents: int | None
    note: str = ""


def _check(help_given: HelpGiven, *, places: list[OrgUnit], check_date: bool) -> dict:
    """The fields to save, or ValidationError with every problem."""
    today = timezone.localdate()
    helped_on, place, residents = help_given.helped_on, help_given.place, help_given.residents
    errors: dict[str, str] = {}
    if helped_on is None:
        errors["helped_on"] = _("Enter the date.")
    elif check_date and helped_on > today:
        errors["helped_on"] = _("The date cannot be in the future.")
    elif check_date and helped_on < today - timedelta(days=RECORDABLE_DAYS):
        errors["helped_on"] = _("Only help of the last %(days)s days can be entered.") % {
            "days": RECORDABLE_DAYS
        }
    if place is None or place.pk not in {p.pk for p in places}:
        errors["place"] = _("Choose a hamlet of your area.")
    if help_given.kind not in HelpKind.values:
        errors["kind"] = _("Choose the kind of help.")
    if residents is None or not 1 <= residents <= MAX_RESIDENTS:
        errors["residents"] = _("Enter how many residents, from 1 to %(max)s.") % {
            "max": MAX_RESIDENTS
        }
    note = " ".join(nfc(help_given.note or "").split())
    if len(note) > NOTE_LENGTH:
        errors["note"] = _("The note is at most %(max)s characters.") % {"max": NOTE_LENGTH}
    elif looks_personal(note):
        errors["note"] = _(
            "Do not write residents' names, phone numbers or ID numbers: the log keeps "
            "counts only. Remove them from the note."
        )
    if errors:
        raise ValidationError(errors)
    return {
        "helped_on": helped_on,
        "place": place,
        "kind": help_given.kind,
        "residents": residents,
        "note": note,
    }


@transaction.atomic
def record_entry(*, by: User, help_given: HelpGiven) -> OutreachEntry:
    """The member records help they gave: counts only, checked in full before saving."""
    membership = current_team_membership(by)
    if membership is None:
        raise ValidationError(
            _("Only members of a team can record help given to residents."), code="no_team"
        )
    fields = _check(help_given, places=selectors.places_for(membership.unit), check_date=True)
    return OutreachEntry.objects.create(user=by, team=membership.unit, **fields)


@transaction.atomic
def correct_entry(*, by: User, entry: OutreachEntry, help_given: HelpGiven) -> OutreachEntry:
    """The member, their team leader or an administrator of the area corrects an entry.
    The date rules apply to a changed date only, so an old entry can still be fixed."""
    if not selectors.entries_visible_to(by).filter(pk=entry.pk).exists():
        raise ValidationError(_("This entry is not yours to change."), code="out_of_scope")
    fields = _check(
        help_given,
        places=selectors.places_for(entry.team),
        check_date=help_given.helped_on != entry.helped_on,
    )
    for name, value in fields.items():
        setattr(entry, name, value)
    updated = list(fields)
    if by.pk != entry.user_id:
        entry.corrected_by, entry.corrected_at = by, timezone.now()
        updated += ["corrected_by", "corrected_at"]
    entry.save(update_fields=updated)
    return entry


@transaction.atomic
def delete_entry(*, by: User, entry: OutreachEntry) -> None:
    if not selectors.entries_visible_to(by).filter(pk=entry.pk).exists():
        raise ValidationError(_("This entry is not yours to delete."), code="out_of_scope")
    entry.delete()


@transaction.atomic
def add_target(
    *,
    by: User,
    campaign: Campaign,
    kind: str,
    per_member: int | None,
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> OutreachTarget:
    """A campaign's target for help given ("each member helps 10 residents activate VNeID
    level 2"), within the campaign's dates unless a period is given."""
    require_whole_campaign_in_scope(by=by, campaign=campaign)
    if campaign.status == CampaignStatus.CLOSED:
        raise ValidationError(_("A closed campaign cannot be changed."), code="closed")
    starts_on = starts_on or campaign.starts_on
    ends_on = ends_on or campaign.due_on
    errors: dict[str, str] = {}
    if kind not in HelpKind.values:
        errors["kind"] = _("Choose the kind of help.")
    elif campaign.outreach_targets.filter(kind=kind).exists():
        errors["kind"] = _("This campaign already has a target for this kind of help.")
    if per_member is None or not 1 <= per_member <= 1000:
        errors["per_member"] = _("Enter a number of residents per member from 1 to 1000.")
    if ends_on < starts_on:
        errors["ends_on"] = _("The end of the period is before its start.")
    if errors:
        raise ValidationError(errors)
    return OutreachTarget.objects.create(
        campaign=campaign,
        kind=kind,
        per_member=cast(int, per_member),  # checked above
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=by,
    )


@transaction.atomic
def remove_target(*, by: User, target: OutreachTarget) -> None:
    require_whole_campaign_in_scope(by=by, campaign=target.campaign)
    if target.campaign.status == CampaignStatus.CLOSED:
        raise ValidationError(_("A closed campaign cannot be changed."), code="closed")
    target.delete()
