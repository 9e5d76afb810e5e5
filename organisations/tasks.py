from celery import shared_task

from . import services


@shared_task(name="organisations.tasks.run_roster_import")
def run_roster_import(job_id: int) -> None:
    services.run_roster_import(job_id=job_id)
