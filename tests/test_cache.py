"""The shared cache: one Redis connection pool per process, not one per request."""

import asyncio
import os

import pytest
import redis
from asgiref.sync import sync_to_async
from django.core.cache import cache
from django.test import override_settings

from project.settings import CACHE_BACKEND

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"


def connections_received() -> int:
    """How many connections Redis has accepted since it started."""
    try:
        stats = redis.Redis.from_url(REDIS_URL).info("stats")
    except redis.exceptions.ConnectionError as exc:
        raise RuntimeError(f"This test needs Redis at {REDIS_URL}: {exc}") from exc
    return int(stats["total_connections_received"])


@pytest.mark.asyncio
async def test_requests_in_their_own_contexts_share_one_redis_connection() -> None:
    # Every request and every socket runs in a context of its own, and Django keeps one cache
    # object per context: with the stock backend, each opened a new Redis connection (a third
    # of a socket handshake's time went on connecting).
    with override_settings(
        CACHES={"default": {"BACKEND": CACHE_BACKEND, "LOCATION": REDIS_URL, "KEY_PREFIX": "t"}}
    ):

        async def one_request(n: int) -> None:
            await sync_to_async(cache.set)(f"cache-test-{n}", n, 5)
            assert await sync_to_async(cache.get)(f"cache-test-{n}") == n

        # The first opens the process's pool; each task starts from this context, where no
        # cache object exists yet, as each socket's task starts from the server's.
        await asyncio.create_task(one_request(0))
        before = connections_received()
        await asyncio.gather(*(asyncio.create_task(one_request(n)) for n in range(1, 21)))
        # Twenty at once may need a few connections from the one pool, never one each.
        assert connections_received() - before <= 4
