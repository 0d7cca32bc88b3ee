"""The pub/sub channel layer tells a process's sockets when Redis may have lost their messages
(workshops/room/layer.py). These talk to a real Redis through a proxy that can cut the line:
a missing Redis is an error that says so, never a skip.
"""

import asyncio
import contextlib
import json
import os
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import redis
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.test import override_settings

from tests.browser.tcp_proxy import TcpProxy
from tests.factories import AttendanceFactory
from tests.helpers import room_communicator, session_cookie_for
from workshops.room import broadcast
from workshops.room import layer as room_layer
from workshops.room.consumer import CLOSE_TRY_AGAIN

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"


@pytest.fixture
def proxy() -> Iterator[TcpProxy]:
    """A line to the real Redis that the test can cut, with the noticing layer on it."""
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError as exc:
        raise RuntimeError(f"These tests need Redis at {REDIS_URL}: {exc}") from exc
    line = TcpProxy(urlsplit(REDIS_URL).port or 6379)
    layers = {
        "default": {
            "BACKEND": "workshops.room.layer.NoticingPubSubChannelLayer",
            "CONFIG": {
                "hosts": [{"address": f"redis://127.0.0.1:{line.port}/0", "socket_timeout": None}],
                "prefix": f"lost-{uuid.uuid4().hex[:8]}",
            },
        }
    }
    with override_settings(CHANNEL_LAYERS=layers):
        yield line
    line.close()


async def cut_and_restore(line: TcpProxy) -> None:
    """Drop the connection to Redis for a moment, as a restart or a network blip would."""
    line.cut()
    await asyncio.sleep(0.5)
    line.restore()


async def test_a_dropped_redis_connection_tells_every_socket_of_the_process(
    proxy: TcpProxy,
) -> None:
    layer = get_channel_layer()
    assert isinstance(layer, room_layer.NoticingPubSubChannelLayer)
    first, second = await layer.new_channel(), await layer.new_channel()
    await layer.group_add("room", first)
    await layer.group_send("room", {"type": "room.html", "text": "before"})
    assert (await asyncio.wait_for(layer.receive(first), 5))["text"] == "before"

    await cut_and_restore(proxy)

    for channel in (first, second):
        assert await asyncio.wait_for(layer.receive(channel), 15) == room_layer.MESSAGES_LOST
    # Subscribed again: the group works as before, and nothing else was made up. (The first
    # publish may still meet the pool's cut connection and fail; callers already survive a
    # failed send, and the next one reconnects.)
    with contextlib.suppress(redis.ConnectionError):
        await layer.group_send("room", {"type": "room.html", "text": "lost"})
    await layer.group_send("room", {"type": "room.html", "text": "after"})
    assert (await asyncio.wait_for(layer.receive(first), 5))["text"] in {"lost", "after"}
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(layer.receive(second), 0.5)
    await layer.flush()


async def test_connecting_the_first_time_is_not_a_loss(proxy: TcpProxy) -> None:
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add("room", channel)
    await layer.send(channel, {"type": "room.html", "text": "hello"})
    assert (await asyncio.wait_for(layer.receive(channel), 5))["text"] == "hello"
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(layer.receive(channel), 1)
    await layer.flush()


@pytest.mark.django_db(transaction=True)
async def test_a_room_socket_closes_to_try_again_when_pushes_may_be_lost(
    proxy: TcpProxy, live_session: Any, person: Any
) -> None:
    await database_sync_to_async(AttendanceFactory)(session=live_session, user=person)
    cookie = await database_sync_to_async(session_cookie_for)(person)
    comm = room_communicator(live_session.pk, cookie)
    connected, _ = await comm.connect()
    assert connected
    assert json.loads(await comm.receive_from(timeout=5))["event"] == "snapshot"

    await cut_and_restore(proxy)

    closed = None
    while closed is None:
        output = await comm.receive_output(timeout=15)
        if output["type"] == "websocket.close":
            closed = output
    # 4503: the browser reconnects by itself to a fresh snapshot (base.html's reconnect codes).
    assert closed["code"] == CLOSE_TRY_AGAIN
    await comm.wait()
    await get_channel_layer().flush()


@pytest.fixture
def small_layer() -> Iterator[None]:
    """The noticing layer on the real Redis, holding at most five messages per socket."""
    redis.Redis.from_url(REDIS_URL).ping()
    layers = {
        "default": {
            "BACKEND": "workshops.room.layer.NoticingPubSubChannelLayer",
            "CONFIG": {
                "hosts": [{"address": REDIS_URL, "socket_timeout": None}],
                "prefix": f"full-{uuid.uuid4().hex[:8]}",
                "capacity": 5,
            },
        }
    }
    with override_settings(CHANNEL_LAYERS=layers):
        yield


async def test_a_socket_that_falls_behind_is_told_its_pushes_were_lost(small_layer: None) -> None:
    layer = get_channel_layer()
    slow, keeping_up = await layer.new_channel(), await layer.new_channel()
    for channel in (slow, keeping_up):
        await layer.group_add("room", channel)
    for n in range(12):
        await layer.group_send("room", {"type": "room.html", "text": str(n)})
        assert (await asyncio.wait_for(layer.receive(keeping_up), 5))["text"] == str(n)
    # Five waiting is the most a socket holds: the sixth replaced the backlog with the notice
    # (the consumer closes to try again and comes back to a fresh snapshot), and nothing after
    # it was kept: memory stays bounded however far behind a socket falls.
    assert await asyncio.wait_for(layer.receive(slow), 5) == room_layer.MESSAGES_LOST
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(layer.receive(slow), 0.5)
    # The socket that kept up never went over, so it lost nothing and was told nothing.
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(layer.receive(keeping_up), 0.5)
    await layer.flush()


async def test_what_a_change_publishes_itself_reaches_the_groups_sockets(small_layer: None) -> None:
    # A committed change publishes from its worker thread with a plain Redis client
    # (room/broadcast.py): the same channel and bytes as the layer's own group_send.
    layer = get_channel_layer()
    socket = await layer.new_channel()
    await layer.group_add("session.7", socket)
    frame = {"type": "room.html", "text": '{"event":"activity_changed","seq":null}'}

    await sync_to_async(broadcast.send_to_group)("session.7", frame)

    assert await asyncio.wait_for(layer.receive(socket), 5) == frame
    await layer.flush()


async def test_room_frames_wait_for_the_snapshot_then_go_straight_to_the_socket_in_order(
    small_layer: None,
) -> None:
    layer = get_channel_layer()
    socket, queued = await layer.new_channel(), await layer.new_channel()
    layer.hold_frames(socket)  # the consumer is building this socket's snapshot
    for channel in (socket, queued):
        await layer.group_add("session.7", channel)
    written: list[str] = []

    async def send(message: dict[str, str]) -> None:
        assert message["type"] == "websocket.send"
        written.append(message["text"])

    for n in (1, 2):
        await layer.group_send("session.7", {"type": "room.html", "text": str(n)})
    await asyncio.sleep(0.3)
    assert written == []  # held while the snapshot is on its way
    written.append("snapshot")
    await layer.release_frames(socket, send)
    for n in (3, 4):
        await layer.group_send("session.7", {"type": "room.html", "text": str(n)})
    await asyncio.sleep(0.3)

    assert written == ["snapshot", "1", "2", "3", "4"]
    # A socket not taking frames directly still gets them from its queue, as before.
    assert [(await layer.receive(queued))["text"] for _ in range(4)] == ["1", "2", "3", "4"]
    # Anything but a frame (a close) still goes through the socket's queue to its consumer.
    await layer.group_send("session.7", {"type": "room.close", "code": 4403})
    assert (await asyncio.wait_for(layer.receive(socket), 5))["type"] == "room.close"
    layer.stop_frames(socket)
    await layer.group_send("session.7", {"type": "room.html", "text": "5"})
    assert (await asyncio.wait_for(layer.receive(socket), 5))["text"] == "5"
    assert written[-1] == "4"
    await layer.flush()
