"""Room frames of one session leave every process in seq order (workshops/room/ordering.py).

These talk to a real Redis (REDIS_URL, or the local one), as the processes do: a missing
Redis is an error that says so, never a skip.
"""

import contextlib
import json
import os
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any
from unittest import mock

import msgpack
import pytest
import redis
from django.db import transaction
from django.test import override_settings

from tests.factories import LiveSessionFactory
from workshops.room import broadcast, ordering

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/9"
# The pub/sub layer publishes a change's frames itself, in one round trip from the committing
# thread; any other Redis layer (channels-redis's own, or several hosts) gets them through its
# async group_send, with the turn checked and recorded around it.
LAYERS = {
    "one round trip": "workshops.room.layer.NoticingPubSubChannelLayer",
    "through group_send": "channels_redis.pubsub.RedisPubSubChannelLayer",
}


@pytest.fixture(params=sorted(LAYERS))
def shared_redis(request: pytest.FixtureRequest) -> Iterator[str]:
    """This test's own key space and channel layer in a real Redis, as if several processes
    shared it; yields the Redis channel of room 7's group."""
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError as exc:
        raise RuntimeError(f"These tests need Redis at {REDIS_URL}: {exc}") from exc
    prefix = f"order-{uuid.uuid4().hex[:8]}"
    layers = {
        "default": {
            "BACKEND": LAYERS[request.param],
            "CONFIG": {"hosts": [{"address": REDIS_URL}], "prefix": prefix},
        }
    }
    with override_settings(REDIS_URL=REDIS_URL, CHANNEL_PREFIX=prefix, CHANNEL_LAYERS=layers):
        yield f"{prefix}__group__session.7"


class Listener:
    """A process's subscription to room 7's group: the seqs it received, in order."""

    def __init__(self, channel: str) -> None:
        self.pubsub = redis.Redis.from_url(REDIS_URL).pubsub(ignore_subscribe_messages=True)
        self.pubsub.subscribe(channel)
        self.pubsub.get_message(timeout=1)  # the subscription's confirmation

    def seqs(self, *, within: float = 0.5) -> list[int]:
        """Every seq received so far (waiting up to `within` for each next one)."""
        received = []
        while (message := self.pubsub.get_message(timeout=within)) is not None:
            frame = msgpack.unpackb(message["data"], raw=False)
            received.append(json.loads(frame["text"])["seq"])
        return received


@pytest.fixture
def listener(shared_redis: str) -> Iterator[Listener]:
    """Room 7's frames as another process receives them."""
    listening = Listener(shared_redis)
    yield listening
    listening.pubsub.close()


def frame(seq: int) -> broadcast.RoomHtmlMessage:
    return {
        "type": "room.html",
        "text": broadcast.encode_frame(event="activity_changed", html="x", seq=seq),
    }


def send(seq: int) -> None:
    """Send room 7's frame `seq` as the change that took it would, once committed."""
    broadcast.send_all([("session.7", frame(seq))], seqs={7: [seq]})


def send_later(seq: int) -> threading.Thread:
    """Another process's send of `seq`, started now."""
    thread = threading.Thread(target=send, args=(seq,))
    thread.start()
    return thread


def test_a_frame_that_commits_later_but_is_sent_first_waits_for_the_one_before(
    listener: Listener,
) -> None:
    send(1)
    later = send_later(3)  # seq 3 is ready while seq 2 is still on its way
    time.sleep(0.05)
    assert listener.seqs(within=0.05) == [1]

    send(2)
    later.join(timeout=5)

    assert listener.seqs() == [2, 3]


def test_a_frame_whose_predecessor_never_comes_is_sent_after_a_moment(
    listener: Listener,
) -> None:
    send(1)
    started = time.monotonic()

    send(3)

    assert time.monotonic() - started >= ordering.WAIT_FOR_TURN_SECONDS
    assert listener.seqs() == [1, 3]


def test_the_first_frame_anyone_sends_does_not_wait(listener: Listener) -> None:
    started = time.monotonic()

    send(41)

    assert time.monotonic() - started < ordering.WAIT_FOR_TURN_SECONDS
    assert listener.seqs() == [41]


def test_an_older_record_never_overwrites_a_newer_one(listener: Listener) -> None:
    send(5)
    send_later(4).join(timeout=5)  # a straggler: an older frame, sent late
    started = time.monotonic()

    send(6)

    assert time.monotonic() - started < ordering.WAIT_FOR_TURN_SECONDS
    assert listener.seqs() == [5, 4, 6]


def test_a_batch_of_frames_waits_once_for_its_first_seq_and_records_its_last(
    listener: Listener,
) -> None:
    send(4)
    pushes = broadcast._Pushes()
    for seq in (5, 6, 7):
        pushes.add("session.7", frame(seq), session_id=7, seq=seq)
    started = time.monotonic()

    pushes()
    send(8)  # the next frame's turn has come: 7 is recorded

    assert time.monotonic() - started < ordering.WAIT_FOR_TURN_SECONDS
    assert listener.seqs() == [4, 5, 6, 7, 8]


def test_without_redis_the_frames_are_logged_as_lost_and_nothing_fails(
    caplog: pytest.LogCaptureFixture,
) -> None:
    layers = {
        "default": {
            "BACKEND": "workshops.room.layer.NoticingPubSubChannelLayer",
            "CONFIG": {"hosts": [{"address": "redis://127.0.0.1:1/0"}], "prefix": "order-down"},
        }
    }
    with override_settings(
        REDIS_URL="redis://127.0.0.1:1/0", CHANNEL_PREFIX="order-down", CHANNEL_LAYERS=layers
    ):
        send(2)

    assert "not sent" in caplog.text


@pytest.mark.django_db
def test_one_process_alone_sends_without_asking_redis(
    django_capture_on_commit_callbacks: Any,
) -> None:
    session = LiveSessionFactory()
    with (
        override_settings(REDIS_URL=""),
        mock.patch.object(broadcast, "send_all") as send,
        mock.patch.object(ordering, "wait_for_turn") as wait,
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
    ):
        broadcast.broadcast_on_commit(session_id=session.pk, event="activity_changed", html="x")

    assert send.call_count == 1
    assert not wait.called


def seqs_of(messages: list[tuple[str, Any]]) -> list[int | None]:
    return [json.loads(message["text"])["seq"] for _group, message in messages]


@pytest.mark.django_db
def test_one_changes_pushes_go_together_in_order_after_it_commits(
    django_capture_on_commit_callbacks: Any,
) -> None:
    session = LiveSessionFactory()
    with (
        override_settings(REDIS_URL=""),
        mock.patch.object(broadcast, "send_all") as send,
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
    ):
        broadcast.broadcast_on_commit(session_id=session.pk, event="activity_changed", html="a")
        broadcast.broadcast_on_commit(
            session_id=session.pk, event="agenda_changed", html="b", audience="facilitators"
        )
        broadcast.broadcast_on_commit(session_id=session.pk, event="presence_changed", html="c")
        assert not send.called  # nothing before the commit

    ((messages,), _kwargs) = send.call_args
    assert send.call_count == 1
    assert [group for group, _ in messages] == [
        f"session.{session.pk}",
        f"session.{session.pk}.facilitators",
        f"session.{session.pk}",
    ]
    assert seqs_of(messages) == [1, None, 2]


@pytest.mark.django_db
def test_a_savepoint_rolled_back_takes_only_its_own_pushes(
    django_capture_on_commit_callbacks: Any,
) -> None:
    session = LiveSessionFactory()
    with (
        override_settings(REDIS_URL=""),
        mock.patch.object(broadcast, "send_all") as send,
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
    ):
        broadcast.broadcast_on_commit(session_id=session.pk, event="activity_changed", html="kept")
        with contextlib.suppress(RuntimeError), transaction.atomic():
            broadcast.broadcast_on_commit(
                session_id=session.pk, event="presence_changed", html="undone"
            )
            raise RuntimeError("the inner step failed")
        broadcast.broadcast_on_commit(session_id=session.pk, event="agenda_changed", html="too")

    sent = [message for call in send.call_args_list for _group, message in call.args[0]]
    contents = [json.loads(message["text"])["content"] for message in sent]
    assert contents == ["kept", "too"]
