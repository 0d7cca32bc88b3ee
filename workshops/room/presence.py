"""Who is in a room right now.

Channel-layer groups cannot be listed, and a process that dies leaves its members behind, so
presence lives in a shared store with a heartbeat and expiry: a Redis sorted set per session
in production, a dict in the embedded one-process default.
"""

import asyncio
import time
import weakref
from collections import defaultdict
from typing import Any, Protocol

from django.conf import settings

# A socket that has not sent a heartbeat for this long is no longer counted as present.
PRESENCE_TTL_SECONDS = 60


class PresenceStore(Protocol):
    """Where open sockets are counted."""

    def touch(self, session_id: int, user_id: int, channel_name: str) -> None: ...
    async def arrive(self, session_id: int, user_id: int, channel_name: str) -> None: ...
    def leave(self, session_id: int, user_id: int, channel_name: str) -> None: ...
    def present_user_ids(self, session_id: int) -> set[int]: ...
    async def refresh(
        self, layer: Any, *, session_id: int, user_id: int, channel_name: str, groups: list[str]
    ) -> bool: ...


class MemoryPresence:
    """One process's presence, for the embedded default and tests."""

    def __init__(self) -> None:
        self.entries: dict[int, dict[str, float]] = defaultdict(dict)

    def touch(self, session_id: int, user_id: int, channel_name: str) -> None:
        """Count a socket as present for another TTL."""
        self.entries[session_id][f"{user_id}|{channel_name}"] = time.time() + PRESENCE_TTL_SECONDS

    async def arrive(self, session_id: int, user_id: int, channel_name: str) -> None:
        """Count a socket that has just joined as present."""
        self.touch(session_id, user_id, channel_name)

    def leave(self, session_id: int, user_id: int, channel_name: str) -> None:
        """Stop counting a socket."""
        self.entries[session_id].pop(f"{user_id}|{channel_name}", None)

    def present_user_ids(self, session_id: int) -> set[int]:
        """People with at least one live socket in the room."""
        now = time.time()
        live = {k: v for k, v in self.entries[session_id].items() if v > now}
        self.entries[session_id] = live
        return {int(key.split("|", 1)[0]) for key in live}

    async def refresh(
        self, layer: Any, *, session_id: int, user_id: int, channel_name: str, groups: list[str]
    ) -> bool:
        """Renew a socket's presence and groups if all are still held; else change nothing."""
        from channels.layers import InMemoryChannelLayer

        member = f"{user_id}|{channel_name}"
        now = time.time()
        held = getattr(layer, "groups", {}) if isinstance(layer, InMemoryChannelLayer) else {}
        if self.entries[session_id].get(member, 0) <= now or not all(
            channel_name in held.get(group, {}) for group in groups
        ):
            return False
        self.entries[session_id][member] = now + PRESENCE_TTL_SECONDS
        for group in groups:
            held[group][channel_name] = now
        return True


# One round trip renews a socket on a heartbeat: its presence (KEYS[1]) and its memberships
# of the channel layer's groups (KEYS[2..]), but only if Redis still holds every one of them.
# A Redis that forgot any (a restart) changes nothing: the socket's access is checked again
# before it joins again. ARGV: presence member, channel, now, presence expiry, presence key
# TTL, group TTL.
REFRESH_SCRIPT = """
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score or tonumber(score) <= tonumber(ARGV[3]) then return 0 end
for i = 2, #KEYS do
  if not redis.call('ZSCORE', KEYS[i], ARGV[2]) then return 0 end
end
redis.call('ZADD', KEYS[1], ARGV[4], ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[5])
for i = 2, #KEYS do
  redis.call('ZADD', KEYS[i], ARGV[3], ARGV[2])
  redis.call('EXPIRE', KEYS[i], ARGV[6])
end
return 1
"""


class RedisPresence:
    """Presence shared by every process: member `user|channel`, score = expiry time."""

    def __init__(self, url: str, prefix: str) -> None:
        import redis

        self.url = url
        self.client = redis.Redis.from_url(url)
        self.prefix = prefix
        self.async_clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Any] = (
            weakref.WeakKeyDictionary()
        )

    def async_client(self) -> Any:
        """An asyncio client for the running event loop (one per loop, as redis-py needs)."""
        import redis.asyncio

        loop = asyncio.get_running_loop()
        client = self.async_clients.get(loop)
        if client is None:
            client = self.async_clients[loop] = redis.asyncio.Redis.from_url(self.url)
        return client

    def key(self, session_id: int) -> str:
        """The sorted set for one session."""
        return f"{self.prefix}:presence:{session_id}"

    def touch(self, session_id: int, user_id: int, channel_name: str) -> None:
        """Count a socket as present for another TTL."""
        key = self.key(session_id)
        pipe = self.client.pipeline()
        pipe.zadd(key, {f"{user_id}|{channel_name}": time.time() + PRESENCE_TTL_SECONDS})
        pipe.expire(key, PRESENCE_TTL_SECONDS * 10)
        pipe.execute()

    async def arrive(self, session_id: int, user_id: int, channel_name: str) -> None:
        """Count a socket that has just joined as present: one async round trip, no thread."""
        key = self.key(session_id)
        pipe = self.async_client().pipeline()
        pipe.zadd(key, {f"{user_id}|{channel_name}": time.time() + PRESENCE_TTL_SECONDS})
        pipe.expire(key, PRESENCE_TTL_SECONDS * 10)
        await pipe.execute()

    def leave(self, session_id: int, user_id: int, channel_name: str) -> None:
        """Stop counting a socket."""
        self.client.zrem(self.key(session_id), f"{user_id}|{channel_name}")

    def present_user_ids(self, session_id: int) -> set[int]:
        """People with at least one live socket in the room."""
        key = self.key(session_id)
        self.client.zremrangebyscore(key, "-inf", time.time())
        members: list[bytes] = self.client.zrange(key, 0, -1)  # type: ignore[assignment]
        return {int(m.decode().split("|", 1)[0]) for m in members}

    async def refresh(
        self, layer: Any, *, session_id: int, user_id: int, channel_name: str, groups: list[str]
    ) -> bool:
        """Renew a socket's presence and groups if all are still held (one async round trip,
        on the core layer's own connection); else change nothing."""
        from channels_redis.core import RedisChannelLayer
        from channels_redis.pubsub import RedisPubSubChannelLayer

        now = time.time()
        if isinstance(layer, RedisPubSubChannelLayer):
            # Its groups are this process's subscriptions, which Redis cannot forget (redis-py
            # subscribes again when it reconnects): only presence is renewed in Redis.
            local = layer._get_layer()
            if not all(
                channel_name in local.groups.get(local._get_group_channel_name(group), ())
                for group in groups
            ):
                return False
            connection, group_keys, group_expiry = self.async_client(), [], 0
        elif (
            isinstance(layer, RedisChannelLayer)
            and layer.ring_size == 1
            and layer.hosts[0].get("address") == settings.REDIS_URL
        ):
            connection = layer.connection(0)
            group_keys = [layer._group_key(group) for group in groups]
            group_expiry = layer.group_expiry
        else:
            return False  # groups this store cannot see: the caller joins them again
        keys = [self.key(session_id), *group_keys]
        args = [
            f"{user_id}|{channel_name}",
            channel_name,
            now,
            now + PRESENCE_TTL_SECONDS,
            PRESENCE_TTL_SECONDS * 10,
            group_expiry,
        ]
        # EVAL, not EVALSHA: always one round trip, even on a Redis that has just restarted.
        renewed = await connection.eval(REFRESH_SCRIPT, len(keys), *keys, *args)
        return bool(renewed)


_store: PresenceStore | None = None


def store() -> PresenceStore:
    """The presence store for this process's configuration."""
    global _store
    if _store is None:
        _store = (
            RedisPresence(settings.REDIS_URL, settings.CHANNEL_PREFIX)
            if settings.REDIS_URL
            else MemoryPresence()
        )
    return _store


async def refresh(
    layer: Any, *, session_id: int, user_id: int, channel_name: str, groups: list[str]
) -> bool:
    """Renew a socket's presence and group memberships on a heartbeat, if the shared store
    still holds them all; False, having changed nothing, if any was forgotten."""
    return await store().refresh(
        layer, session_id=session_id, user_id=user_id, channel_name=channel_name, groups=groups
    )


def reset_store() -> None:
    """Forget the store (tests switch settings)."""
    global _store
    _store = None
