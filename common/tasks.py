from celery import shared_task

from . import health, jobs, outbox


@shared_task(name="common.tasks.dispatch_pending_outbox")
def dispatch_pending_outbox() -> int:
    health.beat()
    return outbox.dispatch_pending()


@shared_task(name="common.tasks.recover_stalled_jobs")
def recover_stalled_jobs() -> int:
    """Queue again the long jobs whose worker died (their lease ran out)."""
    return jobs.recover_stalled()
