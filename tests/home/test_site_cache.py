from django.test import RequestFactory
from wagtail.models import Site

from common import content_cache
from home import site_cache
from home.models import PlatformSettings


def _request():
    return RequestFactory().get("/", HTTP_HOST="localhost")


def test_a_warm_request_costs_one_cache_read_and_no_query(
    home_page, django_assert_num_queries, monkeypatch
):
    site_cache.attach_site_and_settings(_request())
    reads = []
    real_get = site_cache.cache.get
    monkeypatch.setattr(
        site_cache.cache, "get", lambda *a, **k: reads.append(a) or real_get(*a, **k)
    )
    first, second = _request(), _request()
    with django_assert_num_queries(0):
        site_cache.attach_site_and_settings(first)
        site_cache.attach_site_and_settings(second)
    assert reads == [(content_cache.VERSION_KEY,)] * 2
    assert first._wagtail_site == Site.objects.get(is_default_site=True)
    attribute = PlatformSettings.get_cache_attr_name()
    # Each request gets its own settings object, bound to itself, not another thread's.
    mine, theirs = getattr(first, attribute), getattr(second, attribute)
    assert mine is not theirs
    assert (mine._request, theirs._request) == (first, second)


def test_saved_settings_replace_what_every_process_kept(client, home_page):
    assert "Học số Vĩnh Long" not in client.get("/account/login/").content.decode()
    platform = PlatformSettings.for_site(Site.objects.get(is_default_site=True))
    platform.name = "Học số Vĩnh Long"
    platform.save()
    assert "Học số Vĩnh Long" in client.get("/account/login/").content.decode()
