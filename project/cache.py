"""Django's Redis cache with one client, and so one connection pool, per process."""

import threading
from typing import ClassVar

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.functional import cached_property


class SharedRedisCache(RedisCache):
    """Django's RedisCache, sharing one RedisCacheClient per location and options.

    Django keeps a cache object per async context (`caches` is a context-local), and each
    made a client with a connection pool of its own: every socket and every request opened a
    new Redis connection and never reused it. redis-py's pool is thread-safe, so one will do.
    """

    _clients: ClassVar[dict[str, RedisCacheClient]] = {}
    _clients_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, server: str | list[str], params: dict[str, object]) -> None:
        super().__init__(server, params)
        self._shared_as = repr((server, params.get("OPTIONS")))

    @cached_property
    def _cache(self) -> RedisCacheClient:
        with self._clients_lock:
            client = self._clients.get(self._shared_as)
            if client is None:
                client = self._clients[self._shared_as] = super()._cache
        return client
