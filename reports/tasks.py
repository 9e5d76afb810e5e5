from celery import shared_task

from common.db_routers import reads_from_replica
from organisations.models import OrgUnit

from . import services


@shared_task(name="reports.tasks.build_export")
@reads_from_replica()
def build_export(export_id: int) -> None:
    services.build_export(export_id=export_id)


@shared_task(name="reports.tasks.refresh_rollups")
def refresh_rollups(unit_id: int | None = None) -> int:
    under = OrgUnit.objects.filter(pk=unit_id).first() if unit_id else None
    if unit_id and under is None:
        return 0  # the unit was deleted meanwhile
    return services.refresh_rollups(under=under)


@shared_task(name="reports.tasks.purge_old_exports")
def purge_old_exports() -> int:
    return services.purge_old_exports()
