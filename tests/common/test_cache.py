import os

from common.cache import RedisCache
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
