from celery import shared_task

from . import outbox


@shared_task(name="common.tasks.dispatch_pending_outbox")
def dispatch_pending_outbox() -> int:
    return outbox.dispatch_pending()
