from django.db import transaction
from django.dispatch import receiver

from common import outbox
from organisations.models import OrgUnit
from organisations.signals import units_merged
from training.models import Campaign
from training.signals import campaign_changed

from .rollup import ROLLED_UP_KINDS


@receiver(units_merged)
def refresh_rollups_after_a_merger(sender, target_id, **kwargs):
    """The province's roll-up still has the units as they were: count it again now rather
    than at the next five-minute refresh."""
    target = OrgUnit.objects.filter(pk=target_id).first()
    if target is None:
        return
    above = [u for u in target.get_ancestors() if u.kind in ROLLED_UP_KINDS]
    with transaction.atomic():
        outbox.enqueue("reports.tasks.refresh_rollups", unit_id=(above[-1] if above else target).pk)


@receiver(campaign_changed)
def refresh_rollups_after_a_campaign_change(sender, campaign_id, **kwargs):
    """A campaign created, closed or moved changes who is overdue in the units it targets:
    count their trees again now (the dashboard said "recomputed every 5 minutes" while
    showing the old overdue figures)."""
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        return
    steplen = OrgUnit.steplen
    tops = {unit.path[:steplen] for unit in campaign.target_units.all()}
    with transaction.atomic():
        for root in OrgUnit.objects.filter(path__in=tops):
            outbox.enqueue("reports.tasks.refresh_rollups", unit_id=root.pk)
