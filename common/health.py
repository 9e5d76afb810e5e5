"""Is each dependency answering? Used by `/healthz` (monitoring) and `make run`.

Every check is cheap (one round trip, short timeouts) and reveals nothing but the state:
no host names, no data. The worker's heartbeat is the time its outbox sweep (a beat job,
every minute) last ran, kept in the cache.
"""

import time

from django.core.cache import caches
from django.db import connections

__all__ = ["HEARTBEAT_KEY", "beat", "report"]

HEARTBEAT_KEY = "worker-heartbeat"
WORKER_STALE_AFTER = 5 * 60  # seconds: the sweep runs every minute
_broker_clients: dict = {}


def beat() -> None:
    """Called by the worker's periodic sweep."""
    caches["default"].set(HEARTBEAT_KEY, time.time(), 24 * 60 * 60)


def _timed(check) -> dict:
    started = time.perf_counter()
    try:
        result = check()
    except Exception as error:  # any failure means "down"; its class says enough
        result = {"status": "down", "error": type(error).__name__}
    result["ms"] = round(1000 * (time.perf_counter() - started), 1)
    return result


def _database() -> dict:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"status": "ok"}


def _cache() -> dict:
    cache = caches["default"]
    ping = getattr(cache, "ping", None)
    if ping is None:  # a cache in this process's memory (no REDIS_URL): nothing to lose
        return {"status": "ok", "kind": "local"}
    return {"status": "ok" if ping() else "down", "kind": "redis"}


def _celery_conf():
    from celery import current_app  # the project's app (config.celery_app), set as current

    return current_app.conf


def _broker() -> dict:
    conf = _celery_conf()
    if conf.task_always_eager:
        return {"status": "ok", "kind": "in-process"}
    url = conf.broker_url
    if url.startswith(("redis://", "rediss://", "unix://")):
        import redis

        client = _broker_clients.get(url)
        if client is None:
            client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
            _broker_clients[url] = client
        client.ping()
    else:
        from kombu import Connection

        with Connection(url, connect_timeout=1) as connection:
            connection.ensure_connection(max_retries=1)
    return {"status": "ok", "kind": "redis"}


def _worker() -> dict:
    if _celery_conf().task_always_eager:
        return {"status": "ok", "kind": "in-process"}
    last = caches["default"].get(HEARTBEAT_KEY)
    if last is None:
        return {"status": "unknown"}
    age = max(0, round(time.time() - float(last)))
    return {"status": "ok" if age <= WORKER_STALE_AFTER else "stale", "last_seen_seconds_ago": age}


def report() -> tuple[bool, dict]:
    """(healthy, {dependency: {"status": ..., "ms": ...}})."""
    checks = {
        "database": _timed(_database),
        "cache": _timed(_cache),
        "broker": _timed(_broker),
        "worker": _timed(_worker),
    }
    healthy = all(check["status"] in ("ok", "unknown") for check in checks.values())
    return healthy, checks
