from celery import shared_task

from . import services


@shared_task(name="privacy.tasks.build_data_export")
def build_data_export(export_id: int) -> None:
    services.build_data_export(export_id=export_id)


@shared_task(name="privacy.tasks.apply_retention")
def apply_retention() -> dict:
    return services.apply_retention().counts
