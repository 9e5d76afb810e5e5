from django.db import transaction
from django.dispatch import receiver

from common import outbox
from organisations.models import OrgUnit
from organisations.signals import units_merged

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
