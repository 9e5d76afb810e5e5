"""Queue Celery work only after the database change that needs it has committed.

    with transaction.atomic():
        job = ImportJob.objects.create(...)
        outbox.enqueue("organisations.tasks.run_roster_import", job_id=job.pk)

The task runs after the commit. If the broker cannot be reached the request still
succeeds; the row stays pending and `common.tasks.dispatch_pending_outbox` (a beat
job) queues it when the broker is back. Tasks must therefore be idempotent.
"""

import logging
import time
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string
from kombu.exceptions import OperationalError

from .models import OutboxMessage

__all__ = ["dispatch", "dispatch_pending", "enqueue"]

logger = logging.getLogger(__name__)

# Publishing tries the broker twice at most: a request must not wait for a dead Redis
# (Celery's default policy spends ~0.6 s per message on retries). The sweep retries later.
PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0,
    "interval_max": 0,
}
# After the broker refused a message, requests leave their messages to the sweep for this
# long instead of each paying for a connection attempt.
BROKER_BACKOFF_SECONDS = 5.0
_broker_down_until = [0.0]


def enqueue(task_name: str, **kwargs) -> OutboxMessage:
    message = OutboxMessage.objects.create(task_name=task_name, kwargs=kwargs)
    transaction.on_commit(lambda: _send(message))
    return message


def dispatch(*, message_id: int) -> bool:
    message = OutboxMessage.objects.filter(pk=message_id, dispatched_at__isnull=True).first()
    return message is not None and _send(message, sweeping=True)


def _send(message: OutboxMessage, *, sweeping: bool = False) -> bool:
    task = import_string(message.task_name)
    eager = task.app.conf.task_always_eager  # in-process: there is no broker to spare
    if not sweeping and not eager and time.monotonic() < _broker_down_until[0]:
        return False  # the broker failed a moment ago: the sweep queues it when it is back
    try:
        # apply_async, not send_task: it honours CELERY_TASK_ALWAYS_EAGER (no Redis in the demo).
        task.apply_async(kwargs=message.kwargs, retry_policy=PUBLISH_RETRY_POLICY)
    except Exception as error:  # broker down (or, in-process, the task failed): sweep retries
        if not eager and isinstance(error, OperationalError | ConnectionError | OSError):
            _broker_down_until[0] = time.monotonic() + BROKER_BACKOFF_SECONDS
        logger.warning("Could not queue %s: %s", message, error)
        OutboxMessage.objects.filter(pk=message.pk).update(
            attempts=F("attempts") + 1, last_error=str(error)[:2000]
        )
        return False
    _broker_down_until[0] = 0.0
    OutboxMessage.objects.filter(pk=message.pk).update(
        dispatched_at=timezone.now(), attempts=F("attempts") + 1, last_error=""
    )
    return True


def dispatch_pending(*, older_than: timedelta = timedelta(seconds=30)) -> int:
    """Queue every message that was not dispatched when it was committed."""
    cutoff = timezone.now() - older_than
    pending = OutboxMessage.objects.filter(dispatched_at__isnull=True, created_at__lte=cutoff)
    sent = 0
    for pk in pending.order_by("pk").values_list("pk", flat=True)[:1000]:
        if dispatch(message_id=pk):
            sent += 1
        elif time.monotonic() < _broker_down_until[0]:
            break  # the broker is still away: the next sweep carries on
    return sent
