"""Who is in a room right now.

Channel-layer groups cannot be listed, and a process that dies leaves its members behind, so
presence lives in a shared store with a heartbeat and expiry: a Redis sorted set per session
in production, a dict in the embedded one-process default.
"""

import time
from collections import defaultdict
from typing import Protocol

from django.conf import settings

# A socket that has not sent a heartbeat for this long is no longer counted as present.
PRESENCE_TTL_SECONDS = 60


class PresenceStore(Protocol):
    """Where open sockets are counted."""

    def touch(self, session_id: int, user_id: int, channel_name: str) -> None: ...
    def leave(self, session_id: int, user_id: int, channel_name: str) -> None: ...
    def present_user_ids(self, session_id: int) -> set[int]: ...


class MemoryPresence:
    """One process's presence, for the embedded default and tests."""

    def __init__(self) -> None:
        self.entries: dict[int, dict[str, float]] = defaultdict(dict)

    def touch(self, session_id: int, user_id: int, channel_name: str) -> None:
        """Count a socket as present for another TTL."""
        self.entries[session_id][f"{user_id}|{channel_name}"] = time.time() + PRESENCE_TTL_SECONDS

    def leave(self, session_id: int, user_id: int, channel_name: str) -> None:
        """Stop counting a socket."""
        self.entries[session_id].pop(f"{user_id}|{channel_name}", None)

    def present_user_ids(self, session_id: int) -> set[int]:
        """People with at least one live socket in the room."""
        now = time.time()
        live = {k: v for k, v in self.entries[session_id].items() if v > now}
        self.entries[session_id] = live
        return {int(key.split("|", 1)[0]) for key in live}


class RedisPresence:
    """Presence shared by every process: member `user|channel`, score = expiry time."""

    def __init__(self, url: str, prefix: str) -> None:
        import redis

        self.client = redis.Redis.from_url(url)
        self.prefix = prefix

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

    def leave(self, session_id: int, user_id: int, channel_name: str) -> None:
        """Stop counting a socket."""
        self.client.zrem(self.key(session_id), f"{user_id}|{channel_name}")

    def present_user_ids(self, session_id: int) -> set[int]:
        """People with at least one live socket in the room."""
        key = self.key(session_id)
        self.client.zremrangebyscore(key, "-inf", time.time())
        members: list[bytes] = self.client.zrange(key, 0, -1)  # type: ignore[assignment]
        return {int(m.decode().split("|", 1)[0]) for m in members}


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


def reset_store() -> None:
    """Forget the store (tests switch settings)."""
    global _store
    _store = None
