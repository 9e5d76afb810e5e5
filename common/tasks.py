from celery import shared_task

from . import health, outbox


@shared_task(name="common.tasks.dispatch_pending_outbox")
def dispatch_pending_outbox() -> int:
    health.beat()
    return outbox.dispatch_pending()
