"""Django's Redis cache, made to fail soft and to keep one client per connection pool.

**Redis down is a cache miss.** Pages, logins and quiz answers must keep working when Redis
is unreachable: every call that cannot reach Redis answers like an empty cache (`get` gives
the default, `add` and `delete` give False, `incr` raises ValueError as for a missing key,
writes do nothing). Connections time out quickly (`socket_connect_timeout`, `socket_timeout`,
overridable in OPTIONS), and after a failure the cache is not tried again for
`RETRY_AFTER` seconds, so a dead Redis costs one timeout every few seconds per process,
not one per call.

**No stale entry survives an outage.** A write or delete that could not reach Redis leaves
whatever Redis held before (a session the member has since logged out of, an old content
version). The keys are remembered, and the first time Redis answers again they are deleted
before anything is read (this process's keys; another process purges its own at its next
call).

**One client per pool.** Django's `RedisCacheClient.get_client` builds a new `redis.Redis`
for every call; building one (its table of response callbacks) cost about as much CPU as
the call itself. A `redis.Redis` is thread-safe and takes connections from the pool.
"""

import logging
import threading
import time

from django.core.cache.backends import redis as django_redis
from redis.exceptions import RedisError

__all__ = ["RedisCache"]

logger = logging.getLogger(__name__)

RETRY_AFTER = 5.0  # seconds without trying Redis after a failure
MAX_REMEMBERED_KEYS = 50_000
DEFAULT_OPTIONS = {"socket_connect_timeout": 0.25, "socket_timeout": 0.5}
FAILURES = (RedisError, OSError)


class _Unavailable(Exception):
    pass


class _ReusingClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._client(connection_pool=self._get_connection_pool(write))
            self._clients[index] = client
        return client


class _SoftClient(_ReusingClient):
    """The client whose every call goes through `_call`: a failure is a miss."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._lock = threading.Lock()
        self._down_until = 0.0
        self._missed_keys: set[str] = set()

    # --- state ---------------------------------------------------------------------------

    @property
    def is_down(self) -> bool:
        return time.monotonic() < self._down_until

    def _failed(self, error: Exception, keys=()) -> None:
        with self._lock:
            if not self.is_down:
                logger.warning("Redis cache unreachable, serving without it: %s", error)
            self._down_until = time.monotonic() + RETRY_AFTER
            self._remember(keys)

    def _remember(self, keys) -> None:
        room = MAX_REMEMBERED_KEYS - len(self._missed_keys)
        if room > 0:
            self._missed_keys.update(list(keys)[:room])

    def _purge_missed(self) -> None:
        """Delete what Redis may still hold for keys written while it was away."""
        with self._lock:
            keys, self._missed_keys = self._missed_keys, set()
        if keys:
            try:
                super().delete_many(list(keys))
            except FAILURES:
                with self._lock:
                    self._missed_keys |= keys
                raise
            logger.warning("Redis cache back: dropped %d entries written while away", len(keys))

    def _call(self, method, *args, keys=(), miss=None, **kwargs):
        if self.is_down:
            self._remember(keys)
            if isinstance(miss, type) and issubclass(miss, Exception):
                raise miss("cache unavailable")
            return miss
        try:
            if self._missed_keys:
                self._purge_missed()
            return method(*args, **kwargs)
        except FAILURES as error:
            self._failed(error, keys)
            if isinstance(miss, type) and issubclass(miss, Exception):
                raise miss("cache unavailable") from error
            return miss

    def ping(self) -> bool:
        """Ask Redis now (whatever the recent failures); True when it answers."""
        try:
            self.get_client().ping()
        except FAILURES as error:
            self._failed(error)
            return False
        with self._lock:
            self._down_until = 0.0
        try:
            self._purge_missed()
        except FAILURES:
            return False
        return True

    # --- Django's client interface, each call made soft ----------------------------------

    def get(self, key, default):
        return self._call(super().get, key, default, miss=default)

    def get_many(self, keys):
        return self._call(super().get_many, keys, miss={})

    def has_key(self, key):
        return self._call(super().has_key, key, miss=False)

    def add(self, key, value, timeout):
        return self._call(super().add, key, value, timeout, keys=[key], miss=False)

    def set(self, key, value, timeout):
        return self._call(super().set, key, value, timeout, keys=[key], miss=None)

    def set_many(self, data, timeout):
        return self._call(super().set_many, data, timeout, keys=list(data), miss=None)

    def touch(self, key, timeout):
        return self._call(super().touch, key, timeout, keys=[key], miss=False)

    def delete(self, key):
        return self._call(super().delete, key, keys=[key], miss=False)

    def delete_many(self, keys):
        return self._call(super().delete_many, keys, keys=list(keys), miss=None)

    def incr(self, key, delta):
        # Django raises ValueError for a missing key; callers treat it so (rate limits
        # fail open).
        return self._call(super().incr, key, delta, keys=[key], miss=ValueError)

    def clear(self):
        return self._call(super().clear, miss=False)

    def delete_matching(self, pattern: str) -> bool:
        def delete() -> bool:
            client = self.get_client(write=True)
            batch = []
            for key in client.scan_iter(match=pattern, count=1000):
                batch.append(key)
                if len(batch) == 1000:
                    client.delete(*batch)
                    batch = []
            if batch:
                client.delete(*batch)
            return True

        return self._call(delete, miss=False)


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        params = {**params, "OPTIONS": {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})}}
        super().__init__(server, params)
        self._class = _SoftClient

    @property
    def is_down(self) -> bool:
        return self._cache.is_down

    def ping(self) -> bool:
        return self._cache.ping()

    def clear(self) -> bool:
        """Delete this cache's entries only: Django's clear() empties the whole Redis
        database, Celery's queued tasks included when the broker shares it."""
        return self._cache.delete_matching(f"{self.key_prefix}:*")
