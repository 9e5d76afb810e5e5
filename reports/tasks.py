from celery import shared_task

from . import services


@shared_task(name="reports.tasks.build_export")
def build_export(export_id: int) -> None:
    services.build_export(export_id=export_id)


@shared_task(name="reports.tasks.refresh_rollups")
def refresh_rollups() -> int:
    return services.refresh_rollups()


@shared_task(name="reports.tasks.purge_old_exports")
def purge_old_exports() -> int:
    return services.purge_old_exports()
