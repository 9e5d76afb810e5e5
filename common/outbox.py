"""Queue Celery work only after the database change that needs it has committed.

    with transaction.atomic():
        job = ImportJob.objects.create(...)
        outbox.enqueue("organisations.tasks.run_roster_import", job_id=job.pk)

The task runs after the commit. If the broker cannot be reached the request still
succeeds; the row stays pending and `common.tasks.dispatch_pending_outbox` (a beat
job) queues it when the broker is back. Tasks must therefore be idempotent.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import OutboxMessage

__all__ = ["dispatch", "dispatch_pending", "enqueue"]

logger = logging.getLogger(__name__)


def enqueue(task_name: str, **kwargs) -> OutboxMessage:
    message = OutboxMessage.objects.create(task_name=task_name, kwargs=kwargs)
    transaction.on_commit(lambda: _send(message))
    return message


def dispatch(*, message_id: int) -> bool:
    message = OutboxMessage.objects.filter(pk=message_id, dispatched_at__isnull=True).first()
    return message is not None and _send(message)


def _send(message: OutboxMessage) -> bool:
    try:
        # apply_async, not send_task: it honours CELERY_TASK_ALWAYS_EAGER (no Redis in the demo).
        import_string(message.task_name).apply_async(kwargs=message.kwargs)
    except Exception as error:  # broker down (or, in-process, the task failed): sweep retries
        logger.warning("Could not queue %s: %s", message, error)
        OutboxMessage.objects.filter(pk=message.pk).update(
            attempts=F("attempts") + 1, last_error=str(error)[:2000]
        )
        return False
    OutboxMessage.objects.filter(pk=message.pk).update(
        dispatched_at=timezone.now(), attempts=F("attempts") + 1, last_error=""
    )
    return True


def dispatch_pending(*, older_than: timedelta = timedelta(seconds=30)) -> int:
    """Queue every message that was not dispatched when it was committed."""
    cutoff = timezone.now() - older_than
    pending = OutboxMessage.objects.filter(dispatched_at__isnull=True, created_at__lte=cutoff)
    return sum(dispatch(message_id=pk) for pk in pending.values_list("pk", flat=True)[:1000])
