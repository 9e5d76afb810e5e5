"""Things derived from pages and site settings, kept in each process until they change.

Every page view needs a few facts that are the same for every visitor and change only when
an editor publishes: the Site and its settings, a course's outline. They are kept in the
process under a version that lives in the shared cache; any change bumps it, so every app
instance drops what it kept at its next request. A request reads the version once.
"""

import time
import uuid
from collections.abc import Callable
from typing import Any

from django.core.cache import cache

__all__ = ["ProcessMemo", "invalidate", "version"]

VERSION_KEY = "site-cache-version"
# Without the shared cache (Redis unreachable) each process uses a version of its own that
# it renews this often, so what it keeps is recomputed at least that often.
LOCAL_VERSION_SECONDS = 30.0

_local = {"version": "", "until": 0.0}


def version(request=None) -> str:
    """The current content version (read once per request when `request` is given)."""
    if request is not None and hasattr(request, "_content_version"):
        return request._content_version
    current = cache.get(VERSION_KEY)
    if current is None:
        fresh = uuid.uuid4().hex
        # add, not set: two processes starting at once agree on one version. When the
        # cache cannot be reached, add fails and the second read misses too.
        current = fresh if cache.add(VERSION_KEY, fresh, None) else cache.get(VERSION_KEY)
        if current is None:
            current = _local_version()
    if request is not None:
        request._content_version = current
    return current


def _local_version() -> str:
    now = time.monotonic()
    if now >= _local["until"]:
        _local.update(version=f"local-{uuid.uuid4().hex}", until=now + LOCAL_VERSION_SECONDS)
    return _local["version"]


def invalidate() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


class ProcessMemo:
    """Values of one content version, in this process; a new version starts empty.

    Threads share it. The (version, values) pair is swapped as a whole, so a value computed
    under one version is never served under another. Values are also dropped after
    `max_age` seconds: without Redis every process has its own cache, so a change made in
    another process reaches this one within that time instead of at once.
    """

    def __init__(self, *, max_age: float = 60.0):
        self.max_age = max_age
        self._current: tuple[str, float, dict] = ("", 0.0, {})

    def get_or_compute(self, version: str, key, compute: Callable[[], Any]):
        current = self._current
        now = time.monotonic()
        if current[0] != version or now - current[1] > self.max_age:
            current = (version, now, {})
            self._current = current
        values = current[2]
        if key not in values:
            values[key] = compute()
        return values[key]
