import os

from common.cache import RedisCache
from tests.redis_server import private_redis, requires_redis_server
from tests.worker import requires_redis


@requires_redis
def test_the_redis_cache_keeps_one_client_per_pool_and_still_works():
    cache = RedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": "test-cache-client"})
    client = cache._cache
    assert client.get_client() is client.get_client()
    assert client.get_client(write=True) is client.get_client(write=True)
    cache.set("greeting", "Xin chào", 30)
    assert cache.get("greeting") == "Xin chào"
    assert cache.get_many(["greeting", "missing"]) == {"greeting": "Xin chào"}
    cache.delete("greeting")
    assert cache.get("greeting") is None


def test_process_memo_keeps_values_per_version_and_for_a_limited_time(monkeypatch):
    from common import content_cache

    clock = [1000.0]
    monkeypatch.setattr(content_cache.time, "monotonic", lambda: clock[0])
    memo = content_cache.ProcessMemo(max_age=60)
    computed = []

    def outline(version: str, fresh: str) -> str:
        return memo.get_or_compute(version, "outline", lambda: computed.append(fresh) or fresh)

    assert outline("v1", "first") == "first"
    assert outline("v1", "second") == "first"  # kept: same version
    assert outline("v2", "third") == "third"  # a new version starts afresh
    clock[0] += 61
    assert outline("v2", "fourth") == "fourth"  # too old: another process may have changed it
    assert computed == ["first", "third", "fourth"]


@requires_redis_server
def test_clearing_the_cache_leaves_the_broker_s_keys_alone():
    import redis

    with private_redis() as server:
        cache = RedisCache(server.url, {"KEY_PREFIX": "digiskills"})
        cache.set("page", "x", 60)
        queue = redis.Redis.from_url(server.url)
        queue.lpush("celery", "a queued task")
        assert cache.clear()
        assert cache.get("page") is None
        assert queue.llen("celery") == 1
