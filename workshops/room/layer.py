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

A change's pushes leave from the worker thread that committed it, in one round trip of a plain
Redis client (`publication` and `sync_client`, used by room/broadcast.py): channels-redis's own
`group_send` is async, and reaching it from a view cost a hop to the event loop and back per
change. The bytes published are the ones `group_send` would publish, on the same channel.

A room frame reaches a process's sockets without a task per socket. channels-redis hands each
message to every socket's queue, and each socket's consumer then wakes, decodes its own copy,
dispatches it and sends it: most of a delivery's CPU. Here a frame (`room.html`) is decoded once
and written to each socket of the group by one task per event loop, in the order Redis
delivered them (`post`). A socket gets them so once its snapshot has gone (`hold_frames`, then
`release_frames`): frames that come while it is being built are held and go right after it. Anything else (a close, the notice of
losses) still goes through the socket's queue to its consumer.
"""

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from typing import cast

import redis
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


# What a socket is sent: {"type": "websocket.send", "text": ...}.
Frame = dict[str, str]
Send = Callable[[Frame], Awaitable[None]]
ROOM_FRAME = "room.html"


class _DirectSocket:
    """A socket that gets room frames straight from the layer: held until its snapshot has
    gone, then written at once."""

    __slots__ = ("held", "send")

    def __init__(self) -> None:
        self.send: Send | None = None
        self.held: list[Frame] = []


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

    def _receive_message(self, message: dict[str, object] | None) -> None:
        # As channels-redis's own, except that a room frame to a group is decoded once and
        # handed to the sockets taking frames directly, not to each one's queue.
        layer = self.channel_layer
        if message is None or not layer.direct:
            super()._receive_message(message)
            return
        name = message["channel"]
        name = name.decode() if isinstance(name, bytes) else name
        members = layer.groups.get(name)
        if not members:
            super()._receive_message(message)
            return
        data = message["data"]
        decoded = layer.channel_layer.deserialize(data)
        direct = [layer.direct[c] for c in members if c in layer.direct]
        if decoded.get("type") != ROOM_FRAME or not direct:
            super()._receive_message(message)
            return
        for channel in members:
            if channel not in layer.direct and channel in layer.channels:
                layer.channels[channel].put_nowait(data)
        layer.post({"type": "websocket.send", "text": decoded["text"]}, direct)

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
        self.direct: dict[str, _DirectSocket] = {}
        self._outbox: deque[tuple[Frame, list[_DirectSocket]]] = deque()
        self._postman: asyncio.Task[None] | None = None

    def hold_frames(self, channel: str) -> None:
        """From now on, hold this socket's room frames until `release_frames`."""
        self.direct[channel] = _DirectSocket()

    async def release_frames(self, channel: str, send: Send) -> None:
        """Send the frames held for the socket, then write its frames straight to `send`."""
        socket = self.direct.get(channel)
        if socket is None:
            return
        while socket.held:
            await send(socket.held.pop(0))
        # Nothing awaited between the last check and this: no frame can slip in between.
        socket.send = send

    def stop_frames(self, channel: str) -> None:
        """The socket is leaving: no more frames for it."""
        self.direct.pop(channel, None)

    def post(self, message: Frame, sockets: list[_DirectSocket]) -> None:
        """Write a frame to these sockets after every frame posted before it."""
        self._outbox.append((message, sockets))
        if self._postman is None or self._postman.done():
            self._postman = asyncio.ensure_future(self._deliver())

    async def _deliver(self) -> None:
        # One task per process writes every frame, so each socket gets them in Redis's order.
        while self._outbox:
            message, sockets = self._outbox.popleft()
            for socket in sockets:
                if socket.send is None:
                    self._hold(socket, message)
                    continue
                try:
                    await socket.send(message)
                except Exception:
                    logger.exception("A room frame could not be written to a socket")

    def _hold(self, socket: _DirectSocket, message: Frame) -> None:
        if len(socket.held) >= self.capacity:
            # A snapshot that takes this long is as good as lost: the seq gap after it
            # sends the browser back for a fresh one.
            socket.held.clear()
        socket.held.append(message)

    async def _subscribe_to_channel(self, channel: str) -> None:
        # As channels-redis's own, with a queue that cannot grow without limit.
        lost = self.channel_layer.serialize(MESSAGES_LOST)
        self.channels[channel] = _CappedQueue(self.capacity, lost)
        await self._get_shard(channel).subscribe(channel)


class NoticingPubSubChannelLayer(channels_pubsub.RedisPubSubChannelLayer):
    """channels-redis's pub/sub layer whose sockets hear when Redis may have lost messages."""

    _sync_client: redis.Redis | None = None

    def publication(self, group: str, message: dict[str, object]) -> tuple[str, bytes]:
        """The Redis channel and the bytes that `group_send(group, message)` would publish."""
        prefix = self._kwargs.get("prefix", "asgi")
        return f"{prefix}__group__{group}", cast(bytes, self.serialize(message))

    def sync_client(self) -> redis.Redis | None:
        """A plain (thread-safe) Redis client on the layer's host; None with several hosts,
        whose groups channels-redis spreads by a hash this does not repeat."""
        if self._sync_client is None:
            hosts = decode_hosts(self._kwargs.get("hosts"))
            if len(hosts) != 1 or "address" not in hosts[0]:
                return None
            self._sync_client = redis.Redis.from_url(
                hosts[0]["address"], socket_timeout=1, socket_connect_timeout=1
            )
        return self._sync_client

    def _get_layer(self) -> _NoticingLoopLayer:
        # As channels-redis's own, with the noticing loop layer.
        loop = asyncio.get_running_loop()
        layer: _NoticingLoopLayer | None = self._layers.get(loop)
        if layer is None:
            layer = self._layers[loop] = _NoticingLoopLayer(
                *self._args, **self._kwargs, channel_layer=self
            )
            channels_pubsub._wrap_close(self, loop)
        return layer

    def hold_frames(self, channel: str) -> None:
        """Hold this socket's room frames until `release_frames` (see the module's text)."""
        self._get_layer().hold_frames(channel)

    async def release_frames(self, channel: str, send: Send) -> None:
        """Send the socket's held frames, then its frames straight to `send`."""
        await self._get_layer().release_frames(channel, send)

    def stop_frames(self, channel: str) -> None:
        """No more direct frames for this socket."""
        self._get_layer().stop_frames(channel)
