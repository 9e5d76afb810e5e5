"""The Wagtail Site of a request and its PlatformSettings, cached across requests.

Both are public, identical for every visitor and rarely change, yet cost two queries on
every page. They are cached under a version key that any save of a Site or the settings
bumps, so all app instances sharing the cache drop them at once. Each process also keeps
the objects of the current version, so a request costs one cache read (the version),
not three.
"""

import copy
import uuid

from django.core.cache import cache
from wagtail.models import Site

from .models import PlatformSettings

VERSION_KEY = "site-cache-version"
TIMEOUT = 60 * 10


def _version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.set(VERSION_KEY, version, None)
    return version


def invalidate() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


# (version, host, port) -> (site, settings) in this process; emptied when the version moves.
_in_process: dict[tuple, tuple] = {}


def _load(request, version: str) -> tuple | None:
    site_key = f"site:{version}:{request._get_raw_host()}:{request.get_port()}"
    site = cache.get(site_key)
    if site is None:
        site = Site._find_for_request(request)
        if site is None:
            return None
        cache.set(site_key, site, TIMEOUT)
    settings_key = f"platform-settings:{version}:{site.pk}"
    platform = cache.get(settings_key)
    if platform is None:
        platform = PlatformSettings.for_site(site)
        if platform.logo_id:
            platform.logo  # noqa: B018 - load the logo into the cached object
        cache.set(settings_key, platform, TIMEOUT)
    return site, platform


def attach_site_and_settings(request) -> None:
    version = _version()
    key = (version, request._get_raw_host(), request.get_port())
    loaded = _in_process.get(key)
    if loaded is None:
        loaded = _load(request, version)
        if loaded is None:
            return
        if any(other[0] != version for other in list(_in_process)):
            _in_process.clear()
        _in_process[key] = loaded
    site, platform = loaded
    request._wagtail_site = site
    # A copy per request: the settings object remembers its request, and threads share
    # the process's object.
    platform = copy.copy(platform)
    platform._request = request
    setattr(request, PlatformSettings.get_cache_attr_name(), platform)


class CachedSiteMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        attach_site_and_settings(request)
        return self.get_response(request)
