"""Room frames of one session leave every process in seq order (workshops/room/ordering.py).

These talk to a real Redis (REDIS_URL, or the local one), as the processes do: a missing
Redis is an error that says so, never a skip.
"""

import os
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
import redis
from django.db import transaction
from django.test import override_settings

from tests.factories import LiveSessionFactory
from workshops.room import broadcast, ordering

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/9"


@pytest.fixture
def shared_redis() -> Iterator[None]:
    """This test's own key space in a real Redis, as if several processes shared it."""
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError as exc:
        raise RuntimeError(f"These tests need Redis at {REDIS_URL}: {exc}") from exc
    with override_settings(REDIS_URL=REDIS_URL, CHANNEL_PREFIX=f"order-{uuid.uuid4().hex[:8]}"):
        yield


@pytest.fixture
def sent() -> Iterator[list[int]]:
    """The seqs handed to the channel layer, in the order they were handed."""
    order: list[int] = []

    def fake_send(group: str, message: dict[str, Any]) -> None:
        order.append(int(message["text"].split('"seq":')[1].split(",")[0]))

    with mock.patch.object(broadcast, "send_to_group", side_effect=fake_send):
        yield order


def frame(seq: int) -> broadcast.RoomHtmlMessage:
    return {
        "type": "room.html",
        "text": broadcast.encode_frame(event="activity_changed", html="x", seq=seq),
    }


def send_later(seq: int) -> threading.Thread:
    """Another process's send of `seq`, started now."""
    thread = threading.Thread(
        target=broadcast.send_in_seq_order, args=(7, seq, "session.7", frame(seq))
    )
    thread.start()
    return thread


def test_a_frame_that_commits_later_but_is_sent_first_waits_for_the_one_before(
    shared_redis: None, sent: list[int]
) -> None:
    broadcast.send_in_seq_order(7, 1, "session.7", frame(1))
    later = send_later(3)  # seq 3 is ready while seq 2 is still on its way
    time.sleep(0.05)
    assert sent == [1]

    broadcast.send_in_seq_order(7, 2, "session.7", frame(2))
    later.join(timeout=5)

    assert sent == [1, 2, 3]


def test_a_frame_whose_predecessor_never_comes_is_sent_after_a_moment(
    shared_redis: None, sent: list[int]
) -> None:
    broadcast.send_in_seq_order(7, 1, "session.7", frame(1))
    started = time.monotonic()

    broadcast.send_in_seq_order(7, 3, "session.7", frame(3))

    assert sent == [1, 3]
    assert time.monotonic() - started >= ordering.WAIT_FOR_TURN_SECONDS


def test_the_first_frame_anyone_sends_does_not_wait(shared_redis: None, sent: list[int]) -> None:
    started = time.monotonic()

    broadcast.send_in_seq_order(7, 41, "session.7", frame(41))

    assert sent == [41]
    assert time.monotonic() - started < ordering.WAIT_FOR_TURN_SECONDS


def test_an_older_record_never_overwrites_a_newer_one(shared_redis: None, sent: list[int]) -> None:
    ordering.record_sent(7, 5)
    ordering.record_sent(7, 4)
    started = time.monotonic()

    broadcast.send_in_seq_order(7, 6, "session.7", frame(6))

    assert time.monotonic() - started < ordering.WAIT_FOR_TURN_SECONDS


def test_without_redis_the_frame_is_still_sent(sent: list[int]) -> None:
    with override_settings(REDIS_URL="redis://127.0.0.1:1/0", CHANNEL_PREFIX="order-down"):
        broadcast.send_in_seq_order(7, 2, "session.7", frame(2))

    assert sent == [2]


@pytest.mark.django_db
def test_one_process_alone_sends_without_asking_redis(
    django_capture_on_commit_callbacks: Any,
) -> None:
    session = LiveSessionFactory()
    with (
        override_settings(REDIS_URL=""),
        mock.patch.object(broadcast, "send_to_group") as send,
        mock.patch.object(ordering, "wait_for_turn") as wait,
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
    ):
        broadcast.broadcast_on_commit(session_id=session.pk, event="activity_changed", html="x")

    assert send.call_count == 1
    assert not wait.called
