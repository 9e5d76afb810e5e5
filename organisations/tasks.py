from celery import shared_task

from . import services


@shared_task(name="organisations.tasks.run_roster_import")
def run_roster_import(job_id: int) -> None:
    """Check an uploaded roster, or import it once confirmed (whichever step is due)."""
    services.run_roster_job(job_id=job_id)
