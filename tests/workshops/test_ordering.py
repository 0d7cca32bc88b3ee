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


def test_a_batch_of_frames_waits_once_for_its_first_seq_and_records_its_last(
    shared_redis: None,
) -> None:
    pushes = broadcast._Pushes()
    for seq in (5, 6, 7):
        pushes.add("session.7", frame(seq), session_id=7, seq=seq)
    with (
        mock.patch.object(broadcast, "send_all") as send,
        mock.patch.object(ordering, "wait_for_turn", wraps=ordering.wait_for_turn) as wait,
    ):
        pushes()

    wait.assert_called_once_with(7, 5)
    assert seqs_of(send.call_args.args[0]) == [5, 6, 7]
    started = time.monotonic()
    ordering.wait_for_turn(7, 8)  # the next frame's turn has come: 7 is recorded
    assert time.monotonic() - started < ordering.WAIT_FOR_TURN_SECONDS
