"""The Wagtail Site of a request and its PlatformSettings, cached across requests.

Both are public, identical for every visitor and rarely change, yet cost two queries on
every page. They are kept in the shared cache and in each process under the content
version (`common.content_cache`), which any save of a Site or the settings bumps, so all
app instances drop them at once; a request costs one cache read (the version).
"""

import copy

from django.core.cache import cache
from wagtail.models import Site

from common import content_cache

from .models import PlatformSettings

TIMEOUT = 60  # without Redis, this bounds how long another process shows old settings

# (host, port) -> (site, settings) of the current content version, in this process.
_in_process = content_cache.ProcessMemo()


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
    version = content_cache.version(request)
    key = (request._get_raw_host(), request.get_port())
    loaded = _in_process.get_or_compute(version, key, lambda: _load(request, version))
    if loaded is None:
        return
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
