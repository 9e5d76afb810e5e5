"""Reports read from a replica when there is one (`DATABASE_REPLICA_URL`, docs/deploy.md).

Only code run under `reads_from_replica` (the report views and the export task) reads from
the `replica` alias; everything else, every write and every migration uses `default`. Even
there, reads stay on `default` when they must see the latest state:

- inside a transaction on `default` (it must see its own writes);
- the rows of background jobs and the outbox (leases, progress: common.jobs) and sessions,
  which are written a moment before they are read.

Without a `replica` alias everything reads `default`, as before."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import DEFAULT_DB_ALIAS, connections

__all__ = ["REPLICA", "ReplicaRouter", "reads_from_replica", "replica_reads_active"]

REPLICA = "replica"
_reading_from_replica: ContextVar[bool] = ContextVar("reading_from_replica", default=False)
_PRIMARY_ONLY_LABELS = {"sessions.session", "common.outboxmessage"}


@contextmanager
def reads_from_replica() -> Iterator[None]:
    """As a decorator (`@reads_from_replica()`) or a `with` block: reads made inside go to
    the replica, when one is configured. Per thread and per task (a context variable)."""
    token = _reading_from_replica.set(True)
    try:
        yield
    finally:
        _reading_from_replica.reset(token)


def replica_reads_active() -> bool:
    return _reading_from_replica.get()


def _primary_only(model) -> bool:
    from common.models import Job

    return model._meta.label_lower in _PRIMARY_ONLY_LABELS or issubclass(model, Job)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if not _reading_from_replica.get() or REPLICA not in connections.settings:
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block or _primary_only(model):
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as default

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
