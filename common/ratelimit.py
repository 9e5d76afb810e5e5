"""A small rate limiter on the shared cache: so many hits per key per window.

    @rate_limited("export", key=by_user)   # limit and window: settings.RATE_LIMITS["export"]
    def export_create(request): ...

Over the limit the view is not called and the visitor gets the 429 page in their language
with `Retry-After`. Keys are the client address (`common.client.client_address`), the
account, or both. When the cache cannot be reached the limiter lets the request through
(fail open): being unable to count must never take the site down.
"""

import hashlib
import logging
from collections.abc import Callable, Iterable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.cache import patch_cache_control

from .client import client_address

__all__ = [
    "by_address",
    "by_user",
    "hit",
    "limits",
    "over_limit",
    "rate_limited",
    "too_many_requests",
]

logger = logging.getLogger(__name__)


def _cache_key(scope: str, key: str) -> str:
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"rl:{scope}:{digest}"


def hit(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one hit for `key`; True when this hit is over `limit` within `window` seconds."""
    name = _cache_key(scope, key)
    try:
        cache.add(name, 0, window)
        return cache.incr(name) > limit
    except ValueError:  # expired between add() and incr(): a new window starts
        try:
            cache.set(name, 1, window)
        except Exception:  # fail open
            logger.warning("Rate limit %s: cache unreachable, not counted", scope)
        return False
    except Exception:  # fail open: no counting is better than no site
        logger.warning("Rate limit %s: cache unreachable, not counted", scope)
        return False


def by_address(request) -> list[str]:
    return [f"ip:{client_address(request)}"]


def by_user(request) -> list[str]:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return [f"user:{user.pk}"]
    return by_address(request)


def too_many_requests(request, *, retry_after: int):
    response = render(request, "429.html", {"retry_minutes": max(1, -(-retry_after // 60))})
    response.status_code = 429
    response["Retry-After"] = str(retry_after)
    patch_cache_control(response, private=True, no_store=True)
    return response


def limits(scope: str) -> tuple[int, int]:
    """(limit, window in seconds) of a scope, from settings.RATE_LIMITS (read per request,
    so a change of settings applies at once)."""
    entry = settings.RATE_LIMITS[scope]
    return int(entry["limit"]), int(entry["window"])


def over_limit(request, scope: str, keys: Iterable[str]) -> bool:
    """Count one hit under each key; True when any of them is over the scope's limit."""
    limit, window = limits(scope)
    counted = [hit(scope, k, limit=limit, window=window) for k in keys]  # count every key
    return any(counted)


def rate_limited(
    scope: str,
    *,
    key: Callable[[object], Iterable[str]] = by_address,
    methods: tuple[str, ...] = ("POST",),
):
    """Allow settings.RATE_LIMITS[scope] requests per window for each key `key(request)`
    returns (every key counts; any one over its limit refuses). Only `methods` count."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method in methods and over_limit(request, scope, key(request)):
                return too_many_requests(request, retry_after=limits(scope)[1])
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
