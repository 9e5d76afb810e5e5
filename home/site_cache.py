"""The Wagtail Site of a request and its PlatformSettings, cached across requests.

Both are public, identical for every visitor and rarely change, yet cost two queries on
every page. They are cached under a version key that any save of a Site or the settings
bumps, so all app instances sharing the cache drop them at once.
"""

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


def attach_site_and_settings(request) -> None:
    version = _version()
    site_key = f"site:{version}:{request._get_raw_host()}:{request.get_port()}"
    site = cache.get(site_key)
    if site is None:
        site = Site._find_for_request(request)
        if site is None:
            return
        cache.set(site_key, site, TIMEOUT)
    request._wagtail_site = site
    settings_key = f"platform-settings:{version}:{site.pk}"
    platform = cache.get(settings_key)
    if platform is None:
        platform = PlatformSettings.for_site(site)
        if platform.logo_id:
            platform.logo  # noqa: B018 - load the logo into the cached object
        cache.set(settings_key, platform, TIMEOUT)
    platform._request = request
    setattr(request, PlatformSettings.get_cache_attr_name(), platform)


class CachedSiteMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        attach_site_and_settings(request)
        return self.get_response(request)
