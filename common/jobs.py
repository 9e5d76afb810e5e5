"""Background jobs that survive their worker: a lease, a heartbeat, chunks and recovery.

A job is a row of a model derived from `common.models.Job`. Its Celery task only calls

    jobs.run(MyJob, job_id, work)

`run` claims the job with a conditional UPDATE (one worker at a time: a duplicate
delivery finds the lease taken and does nothing), then calls `work(lease)`. The work
commits its effects chunk by chunk, each chunk together with its progress mark:

    for chunk in chunks_after(lease.job.done):
        with lease.chunk():                      # one transaction; the job row locked
            ...effects of the chunk...           # keyed, so a re-run would upsert
            lease.beat(done=F("done") + len(chunk))   # progress + lease renewed

`lease.chunk()` checks that this worker still owns the job and `beat` renews the lease
(`JOB_LEASE_SECONDS`); a worker that lost the lease (it stalled so long that the job was
handed to another) has its chunk rolled back with `LeaseLost`. A worker that dies (SIGKILL,
out of memory, the machine lost) stops renewing: the `recover_stalled_jobs` beat job queues
the job again through the outbox within a lease and a beat interval, and the next worker
carries on from the last committed chunk. Nothing waits for the broker's visibility
timeout, and the late re-delivery that comes with it finds the job finished.

Bad input is a `ValidationError` from the work: the job fails with its (Vietnamese)
message and cannot be resumed (a corrected file is a new job). Any other error fails the
job as resumable: its author can run it again from its page, from where it stopped.
"""

import logging
import os
import socket
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from datetime import timedelta
from typing import TypeVar

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy

from . import outbox
from .models import Job

JobT = TypeVar("JobT", bound=Job)  # run() returns the job model it was given

__all__ = [
    "CRASHED",
    "Lease",
    "LeaseLost",
    "claim",
    "job_models",
    "queue",
    "recover_stalled",
    "resume",
    "run",
]

logger = logging.getLogger(__name__)

CRASHED = gettext_lazy(
    "The job stopped because of an error on the server. What was already done is kept: "
    "press “Carry on” to carry on from there."
)
GAVE_UP = gettext_lazy(
    "The job stopped %(count)s times without finishing. What was already done is kept: "
    "press “Carry on” to try again, or contact the administrator if it keeps stopping."
)


class LeaseLost(Exception):
    """This worker no longer owns the job: another one carries on with it."""


def lease_seconds() -> int:
    return settings.JOB_LEASE_SECONDS


def _queue_grace() -> timedelta:
    return timedelta(seconds=settings.JOB_QUEUE_GRACE_SECONDS)


def job_models() -> list[type[Job]]:
    return [model for model in apps.get_models() if issubclass(model, Job)]


def _send(job: Job) -> None:
    outbox.enqueue(job.job_task, **{job.job_task_arg: job.pk})


def queue(job: Job) -> None:
    """Queue the job's next step (call inside the transaction that created the job or
    moved it to a waiting status). If no worker has claimed it within
    `JOB_QUEUE_GRACE_SECONDS`, it is queued again. Attempts are counted per step."""
    now = timezone.now()
    type(job).objects.filter(pk=job.pk).update(
        lease_owner="", leased_until=now + _queue_grace(), attempts=0
    )
    _send(job)


class Lease:
    def __init__(self, job: Job, owner: str):
        self.job = job
        self.model = type(job)
        self.owner = owner

    def _mine(self):
        return self.model.objects.filter(pk=self.job.pk, lease_owner=self.owner)

    def beat(self, **fields) -> None:
        """Renew the lease (and write `fields`, e.g. progress). Inside `chunk()` this is part
        of the chunk's transaction. Raises LeaseLost when the job was handed to another."""
        until = timezone.now() + timedelta(seconds=lease_seconds())
        if not self._mine().update(leased_until=until, **fields):
            raise LeaseLost(f"{self.model.__name__} #{self.job.pk}")

    @contextmanager
    def chunk(self):
        """One transaction for a chunk's effects and its progress mark. The job row is
        locked first (PostgreSQL; SQLite's write lock serialises anyway), so a recovery or a
        second worker waits for the chunk instead of running it twice."""
        with transaction.atomic():
            job = self._mine().select_for_update().only("pk", "status", "done", "total").first()
            if job is None:
                raise LeaseLost(f"{self.model.__name__} #{self.job.pk}")
            yield job

    def finish(self, **fields) -> None:
        _working, finished = _phase(self.model, self.job.status)
        self._mine().update(
            status=finished,
            lease_owner="",
            leased_until=None,
            finished_at=timezone.now(),
            **fields,
        )

    def fail(self, message: str, *, resumable: bool) -> None:
        waiting = _waiting_for(self.model, self.job.status) if resumable else ""
        self._mine().update(
            status=Job.Status.FAILED,
            failure=str(message)[:2000],
            resume_from=waiting,
            lease_owner="",
            leased_until=None,
            finished_at=timezone.now(),
        )


def _phase(model: type[Job], status: str) -> tuple[str, str]:
    for waiting, (working, finished) in model.PHASES.items():
        if status in (waiting, working):
            return working, finished
    raise ValueError(f"{model.__name__}: {status} is not an active status")


def _waiting_for(model: type[Job], status: str) -> str:
    for waiting, (working, _finished) in model.PHASES.items():
        if status in (waiting, working):
            return waiting
    return ""


def _owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"[:100]


def claim(model: type[Job], job_id: int) -> Lease | None:
    """Take the job for this worker, or None: finished, failed, or another worker holds a
    live lease on it."""
    now = timezone.now()
    free = Q(lease_owner="") | Q(leased_until__isnull=True) | Q(leased_until__lt=now)
    owner = _owner()
    for waiting, (working, _finished) in model.PHASES.items():
        claimed = model.objects.filter(free, pk=job_id, status__in=[waiting, working]).update(
            status=working,
            lease_owner=owner,
            leased_until=now + timedelta(seconds=lease_seconds()),
            attempts=F("attempts") + 1,
            started_at=Coalesce("started_at", now),
        )
        if claimed:
            return Lease(model.objects.get(pk=job_id), owner)
    return None


def run(model: type[JobT], job_id: int, work: Callable[[Lease], dict | None]) -> JobT | None:
    """Claim the job and do its current step; the job ends finished (with the fields `work`
    returns), failed with a message (bad input), or failed and resumable (any other error)."""
    lease = claim(model, job_id)
    if lease is None:
        return None
    try:
        fields = work(lease) or {}
    except LeaseLost:
        logger.warning("%s #%s was handed to another worker; this one stops", model, job_id)
        return None
    except ValidationError as error:
        lease.fail(" ".join(str(m) for m in error.messages), resumable=False)
    except Exception:
        logger.exception("%s #%s failed", model.__name__, job_id)
        lease.fail(str(CRASHED), resumable=True)
        raise
    else:
        lease.finish(**fields)
    return model.objects.get(pk=job_id)


def recover_stalled(*, now=None) -> int:
    """Queue again every job whose lease ran out (its worker died, or its message was lost);
    a job that stalled `JOB_MAX_ATTEMPTS` times fails, resumable by its author."""
    now = now or timezone.now()
    count = 0
    for model in job_models():
        active = [*model.waiting_statuses(), *model.working_statuses()]
        stale = model.objects.filter(status__in=active, leased_until__lt=now)
        for pk, status, attempts in stale.values_list("pk", "status", "attempts")[:500]:
            with transaction.atomic():
                still = model.objects.filter(pk=pk, status=status, leased_until__lt=now)
                if attempts >= settings.JOB_MAX_ATTEMPTS:
                    still.update(
                        status=Job.Status.FAILED,
                        failure=str(GAVE_UP) % {"count": attempts},
                        resume_from=_waiting_for(model, status),
                        lease_owner="",
                        leased_until=None,
                        finished_at=now,
                    )
                    continue
                if still.update(lease_owner="", leased_until=now + _queue_grace()):
                    _send(model.objects.get(pk=pk))
                    count += 1
    return count


def resume(job: Job) -> bool:
    """Run a stalled or crashed job again from where it stopped (its author asked, from its
    page). False when there is nothing to resume."""
    model = type(job)
    now = timezone.now()
    active = [*model.waiting_statuses(), *model.working_statuses()]
    with transaction.atomic():
        if job.status == Job.Status.FAILED and job.resume_from:
            changed = model.objects.filter(
                pk=job.pk, status=Job.Status.FAILED, resume_from=job.resume_from
            ).update(
                status=job.resume_from,
                resume_from="",
                failure="",
                attempts=0,
                finished_at=None,
                lease_owner="",
                leased_until=now + _queue_grace(),
            )
        else:
            changed = model.objects.filter(
                pk=job.pk, status__in=active, leased_until__lt=now
            ).update(lease_owner="", leased_until=now + _queue_grace(), attempts=0)
        if changed:
            _send(job)
    return bool(changed)
