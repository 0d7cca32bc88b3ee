"""The room snapshot from the cache: per audience and room version, never stale, never
another audience's (issue #14)."""

import json
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import pytest
from channels.db import database_sync_to_async
from django.core.cache import cache
from django.db.backends.utils import CursorWrapper
from django.test import Client
from django.urls import reverse

from boards import services as board_services
from tests.factories import AttendanceFactory
from tests.helpers import room_communicator, session_cookie_for
from workshops import services
from workshops.floor import services as floor_services
from workshops.models import Session
from workshops.room import render as room_render

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@contextmanager
def counting_queries() -> Iterator[list[str]]:
    """Every SQL statement any thread runs meanwhile (consumers run theirs in a pool)."""
    seen: list[str] = []
    lock = threading.Lock()
    real = CursorWrapper._execute

    def spy(self: Any, sql: str, *args: Any, **kwargs: Any) -> Any:
        with lock:
            seen.append(sql)
        return real(self, sql, *args, **kwargs)

    with mock.patch.object(CursorWrapper, "_execute", spy):
        yield seen


async def connect(session: Any, cookie: str) -> tuple[Any, dict[str, Any]]:
    """Open a room socket with a signed-in cookie and read its snapshot."""
    comm = room_communicator(session.pk, cookie)
    connected, _ = await comm.connect()
    assert connected
    snapshot = json.loads(await comm.receive_from(timeout=5))
    assert snapshot["event"] == "snapshot"
    return comm, snapshot


async def cookie(user: Any) -> str:
    return await database_sync_to_async(session_cookie_for)(user)


async def test_a_participant_after_a_facilitator_gets_no_facilitator_controls(
    live_session: Any, facilitator: Any, person: Any
) -> None:
    await database_sync_to_async(AttendanceFactory)(session=live_session, user=person)
    fac, fac_snapshot = await connect(live_session, await cookie(facilitator))
    assert 'id="agenda"' in fac_snapshot["content"]
    comm, snapshot = await connect(live_session, await cookie(person))
    assert snapshot["seq"] == fac_snapshot["seq"]
    assert 'id="agenda"' not in snapshot["content"]
    assert 'id="people-panel"' not in snapshot["content"]
    await comm.disconnect()
    await fac.disconnect()


async def test_a_facilitator_after_a_participant_gets_the_controls(
    live_session: Any, facilitator: Any, person: Any
) -> None:
    await database_sync_to_async(AttendanceFactory)(session=live_session, user=person)
    comm, _ = await connect(live_session, await cookie(person))
    fac, fac_snapshot = await connect(live_session, await cookie(facilitator))
    assert 'id="agenda"' in fac_snapshot["content"]
    assert 'id="people-panel"' in fac_snapshot["content"]
    await comm.disconnect()
    await fac.disconnect()


async def test_a_facilitator_is_never_served_the_participants_cache(
    live_session: Any, facilitator: Any
) -> None:
    key = room_render.snapshot_cache_key(live_session.pk, "room", live_session.seq)
    await database_sync_to_async(cache.set)(key, '<div id="planted"></div>')
    fac, snapshot = await connect(live_session, await cookie(facilitator))
    assert "planted" not in snapshot["content"]
    assert 'id="agenda"' in snapshot["content"]
    await fac.disconnect()


# Before the cache a participant's handshake ran 12 statements: the session cookie and its
# user (2, Channels' middleware), the access check (3), then the snapshot (7). Now the snapshot
# is one statement for the session and its room version, and one for the person's own dock.
MIDDLEWARE_QUERIES = 2
ACCESS_CHECK_QUERIES = 3
SNAPSHOT_QUERIES_FROM_CACHE = 2


async def test_a_second_handshake_of_the_same_audience_is_served_from_the_cache(
    live_session: Any, person: Any, carer: Any
) -> None:
    for user in (person, carer):
        await database_sync_to_async(AttendanceFactory)(session=live_session, user=user)
    first_cookie, second_cookie = await cookie(person), await cookie(carer)
    comm, _ = await connect(live_session, first_cookie)
    with (
        counting_queries() as seen,
        mock.patch.object(
            room_render, "render_shared_snapshot", wraps=room_render.render_shared_snapshot
        ) as r,
    ):
        other, snapshot = await connect(live_session, second_cookie)
    assert not r.called
    assert len(seen) <= MIDDLEWARE_QUERIES + ACCESS_CHECK_QUERIES + SNAPSHOT_QUERIES_FROM_CACHE
    assert 'id="activity"' in snapshot["content"]
    await comm.disconnect()
    await other.disconnect()


async def test_on_a_board_a_cached_handshake_adds_only_the_persons_own_panel(
    live_session: Any, facilitator: Any, person: Any, carer: Any
) -> None:
    for user in (person, carer):
        await database_sync_to_async(AttendanceFactory)(session=live_session, user=user)
    ideas = await database_sync_to_async(live_session.activities.get)(title="Ideas")
    board = await database_sync_to_async(board_services.board_create)(
        activity=ideas, by=facilitator
    )
    await database_sync_to_async(services.session_move_to_activity)(
        session=live_session, activity_id=ideas.pk
    )
    first_cookie, second_cookie = await cookie(person), await cookie(carer)
    comm, _ = await connect(live_session, first_cookie)
    with counting_queries() as seen:
        other, snapshot = await connect(live_session, second_cookie)
    # The board, the person's ideas and their dots: 3 more than off a board.
    assert len(seen) <= MIDDLEWARE_QUERIES + ACCESS_CHECK_QUERIES + SNAPSHOT_QUERIES_FROM_CACHE + 3
    assert "Your ideas (0)" in snapshot["content"]
    assert f"/boards/{board.pk}/mine/" not in snapshot["content"]  # nothing left to fetch
    await comm.disconnect()
    await other.disconnect()


def fresh_participant_snapshot(session_id: int, viewer: Any) -> str:
    """What the cache must hold: the shared part rendered now, and the person's own part."""
    session = Session.objects.select_related("programme", "current_activity").get(pk=session_id)
    shared = room_render.render_activity_own(
        session, room_render.render_shared_snapshot(session), viewer=viewer
    )
    own = room_render.render_participant_own(session, viewer=viewer)
    assert own.startswith("".join(room_render.render_dock(session, viewer=viewer, steers=False)))
    return shared + own


async def test_the_cached_snapshot_equals_a_fresh_render(
    live_session: Any, person: Any, carer: Any
) -> None:
    for user in (person, carer):
        await database_sync_to_async(AttendanceFactory)(session=live_session, user=user)
    comm, _ = await connect(live_session, await cookie(person))
    other, snapshot = await connect(live_session, await cookie(carer))
    fresh = await database_sync_to_async(fresh_participant_snapshot)(live_session.pk, carer)
    assert snapshot["content"] == fresh
    await comm.disconnect()
    await other.disconnect()


async def test_a_reconnect_after_a_change_sees_the_new_state(
    live_session: Any, facilitator: Any, person: Any
) -> None:
    await database_sync_to_async(AttendanceFactory)(session=live_session, user=person)
    person_cookie = await cookie(person)
    comm, before = await connect(live_session, person_cookie)
    await comm.disconnect()
    assert "Welcome" in before["content"]
    # The floor: a raised hand shows in the room's floor panel.
    await database_sync_to_async(floor_services.hand_raise)(session=live_session, user=person)
    comm, after_hand = await connect(live_session, person_cookie)
    await comm.disconnect()
    assert after_hand["seq"] > before["seq"]
    assert after_hand["content"] != before["content"]
    fresh = await database_sync_to_async(fresh_participant_snapshot)(live_session.pk, person)
    assert after_hand["content"] == fresh
    # The activity: the room moves to the board.
    ideas = await database_sync_to_async(live_session.activities.get)(title="Ideas")
    board = await database_sync_to_async(board_services.board_create)(
        activity=ideas, by=facilitator
    )
    await database_sync_to_async(services.session_move_to_activity)(
        session=live_session, activity_id=ideas.pk
    )
    comm, after_move = await connect(live_session, person_cookie)
    await comm.disconnect()
    assert after_move["seq"] > after_hand["seq"]
    assert "Ideas" in after_move["content"]
    assert "Your ideas (0)" in after_move["content"]  # their own panel, not its placeholder
    assert f"/boards/{board.pk}/mine/" not in after_move["content"]
    fresh = await database_sync_to_async(fresh_participant_snapshot)(live_session.pk, person)
    assert after_move["content"] == fresh
    # The board: their own idea shows on it and in their own panel.
    column = await database_sync_to_async(lambda: board.columns.order_by("position").first())()
    await database_sync_to_async(board_services.card_add)(
        board=board, by=person, client_id=uuid.uuid4(), column_id=column.pk, text="Being heard"
    )
    comm, after_card = await connect(live_session, person_cookie)
    await comm.disconnect()
    assert after_card["seq"] > after_move["seq"]
    assert "Your ideas (1)" in after_card["content"]
    assert "Being heard" in after_card["content"]
    fresh = await database_sync_to_async(fresh_participant_snapshot)(live_session.pk, person)
    assert after_card["content"] == fresh


async def test_a_stale_entry_for_an_old_version_is_never_served(
    live_session: Any, facilitator: Any, person: Any
) -> None:
    await database_sync_to_async(AttendanceFactory)(session=live_session, user=person)
    old = room_render.snapshot_cache_key(live_session.pk, "room", live_session.seq)
    await database_sync_to_async(cache.set)(old, '<div id="stale"></div>')
    ideas = await database_sync_to_async(live_session.activities.get)(title="Ideas")
    await database_sync_to_async(services.session_move_to_activity)(
        session=live_session, activity_id=ideas.pk
    )
    comm, snapshot = await connect(live_session, await cookie(person))
    assert "stale" not in snapshot["content"]
    assert "Ideas" in snapshot["content"]
    await comm.disconnect()


def fetch_after_gap(session: Any, user: Any) -> dict[str, Any]:
    """What a browser that saw a gap in the pushes fetches over HTTP."""
    client = Client()
    client.force_login(user)
    response = client.get(reverse("room_snapshot", args=[session.pk]))
    assert response.status_code == 200
    return dict(response.json())


def test_a_participants_fetch_after_a_gap_is_served_from_the_cache(
    live_session: Any, person: Any, carer: Any
) -> None:
    for user in (person, carer):
        AttendanceFactory(session=live_session, user=user)
    first = fetch_after_gap(live_session, person)
    # The shared part (the activity and the panels) is rendered once for both.
    with mock.patch.object(
        room_render, "render_activity", wraps=room_render.render_activity
    ) as rendered:
        second = fetch_after_gap(live_session, carer)

    assert not rendered.called
    assert second["seq"] == first["seq"]
    assert 'id="activity"' in second["content"] and 'id="presence"' in second["content"]
    assert "Move the room" not in second["content"]


def test_a_facilitators_fetch_after_a_gap_is_fresh_and_has_the_controls(
    live_session: Any, facilitator: Any, person: Any
) -> None:
    AttendanceFactory(session=live_session, user=person)
    fetch_after_gap(live_session, person)  # fills the participants' cache
    with mock.patch.object(room_render, "render_shared_snapshot") as cached_part:
        snapshot = fetch_after_gap(live_session, facilitator)

    assert not cached_part.called
    assert 'id="agenda"' in snapshot["content"]
