"""The channel layer for several processes: Redis pub/sub that says when it may have lost messages.

channels-redis's pub/sub layer publishes each group message once per process, and each process
hands it to its own sockets: a delivery costs a queue put, not a Redis list per socket. But
pub/sub delivers at most once. When the connection to Redis drops, redis-py connects and
subscribes again by itself, silently: whatever was published meanwhile is gone, and presence
kept in Redis may be gone too (a restart empties it). So on every reconnect after the first
connect, this layer gives each of the process's sockets a `layer.messages_lost` message; the
room's consumer closes with "try again" and the browser comes back to a fresh snapshot, as it
does when the core layer's receive loop fails.

channels-redis's pub/sub queues have no limit: a socket whose consumer falls behind would hold
every push in memory. Here a socket holds at most `capacity` waiting messages (2,000 by
default, as the core layer's); the one that would go over replaces the backlog with the same
notice, so the browser comes back current instead of the process growing.
"""

import asyncio
import logging
from typing import cast

from channels_redis import pubsub as channels_pubsub
from channels_redis.utils import decode_hosts
from redis.asyncio.client import PubSub, Redis
from redis.asyncio.connection import Connection

logger = logging.getLogger(__name__)

MESSAGES_LOST = {"type": "layer.messages_lost"}
DEFAULT_CAPACITY = 2000


class _CappedQueue(asyncio.Queue[bytes]):
    """A socket's waiting messages; past capacity, only the notice that some were lost."""

    def __init__(self, capacity: int, lost: bytes) -> None:
        super().__init__()
        self.capacity = capacity
        self.lost = lost
        self.overflowed = False

    def put_nowait(self, item: bytes) -> None:
        """Queue the message, or drop the backlog for the notice once the socket is too far behind."""
        if self.overflowed:
            return  # The notice is waiting; the socket closes when it reads it.
        if self.qsize() >= self.capacity:
            self.overflowed = True
            logger.warning(
                "A socket fell %d messages behind: telling it to resynchronise", self.capacity
            )
            while not self.empty():
                self.get_nowait()
            item = self.lost
        super().put_nowait(item)


class _NoticingPubSub(PubSub):
    """redis-py's PubSub, telling its shard when it has connected again."""

    shard: "_NoticingShard"

    async def on_connect(self, connection: Connection) -> None:
        """Subscribe again (redis-py's own work) and report possible losses.

        redis-py calls this only on a reconnect: the first connection comes from the pool
        already connected, before PubSub registers this callback.
        """
        await super().on_connect(connection)
        self.shard.reconnected()


class _NoticingShard(channels_pubsub.RedisSingleShardConnection):
    """One Redis host's pub/sub connection, with a PubSub that notices reconnects."""

    def _ensure_redis(self) -> None:
        if self._redis is None:
            super()._ensure_redis()
            client = cast(Redis, self._redis)
            noticing = _NoticingPubSub(
                client.connection_pool, event_dispatcher=client._event_dispatcher
            )
            noticing.shard = self
            self._pubsub = noticing

    def reconnected(self) -> None:
        """Tell every socket of this process that messages may have been lost."""
        loop_layer = self.channel_layer
        lost = loop_layer.channel_layer.serialize(MESSAGES_LOST)
        queues = list(loop_layer.channels.values())
        logger.warning(
            "Redis pub/sub connected again: telling %d sockets to resynchronise", len(queues)
        )
        for queue in queues:
            queue.put_nowait(lost)


class _NoticingLoopLayer(channels_pubsub.RedisPubSubLoopLayer):
    """The pub/sub layer for one event loop, on noticing shards."""

    def __init__(
        self,
        hosts: object = None,
        *args: object,
        capacity: int = DEFAULT_CAPACITY,
        **kwargs: object,
    ) -> None:
        super().__init__(hosts, *args, **kwargs)
        self._shards = [_NoticingShard(host, self) for host in decode_hosts(hosts)]
        self.capacity = capacity

    async def _subscribe_to_channel(self, channel: str) -> None:
        # As channels-redis's own, with a queue that cannot grow without limit.
        lost = self.channel_layer.serialize(MESSAGES_LOST)
        self.channels[channel] = _CappedQueue(self.capacity, lost)
        await self._get_shard(channel).subscribe(channel)


class NoticingPubSubChannelLayer(channels_pubsub.RedisPubSubChannelLayer):
    """channels-redis's pub/sub layer whose sockets hear when Redis may have lost messages."""

    def _get_layer(self) -> channels_pubsub.RedisPubSubLoopLayer:
        # As channels-redis's own, with the noticing loop layer.
        loop = asyncio.get_running_loop()
        layer = self._layers.get(loop)
        if layer is None:
            layer = self._layers[loop] = _NoticingLoopLayer(
                *self._args, **self._kwargs, channel_layer=self
            )
            channels_pubsub._wrap_close(self, loop)
        return layer
