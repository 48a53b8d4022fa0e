"""The Redis cache keeps one client per connection pool (``core.cache._ClientPerPool``)."""

import threading

import pytest
import redis

from mitmachen.core.cache import FailOpenRedisCache

LOCATION = "redis://127.0.0.1:6379/9"


def _cache() -> FailOpenRedisCache:
    return FailOpenRedisCache(LOCATION, {"KEY_PREFIX": "test-client-per-pool"})


def test_one_client_per_pool_for_every_call():
    cache = _cache()
    first = cache._cache.get_client()
    assert cache._cache.get_client() is first
    assert cache._cache.get_client(write=True) is first  # one server: one pool
    assert first.connection_pool is cache._cache._get_connection_pool(False)


def test_each_server_keeps_its_own_client():
    """With replicas, reads go to one of them at random: each pool has its client (one
    pool per entry of the list, whatever the address: no command is sent)."""
    cache = FailOpenRedisCache([LOCATION, LOCATION, LOCATION], {})
    clients = {id(cache._cache.get_client()) for _ in range(60)}
    assert len(clients) == 2  # the two replicas (reads); the first server takes the writes
    for _ in range(60):
        client = cache._cache.get_client()
        assert client is cache._cache._clients[id(client.connection_pool)]
    writer = cache._cache.get_client(write=True)
    assert writer.connection_pool is cache._cache._pools[0]


def test_the_shared_client_serves_threads():
    cache = _cache()
    try:
        cache._cache.get_client().ping()
    except (redis.exceptions.RedisError, OSError):
        pytest.skip("no Redis at 127.0.0.1:6379")
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(50):
                cache.set(f"t{n}-{i}", (n, i), 30)
                assert cache.get(f"t{n}-{i}") == (n, i)
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    cache.delete_many([f"t{n}-{i}" for n in range(8) for i in range(50)])
