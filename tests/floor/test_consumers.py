"""The floor over the room's socket: everyone sees the floor; only you see your own turn."""

import json
from typing import Any

import pytest
from channels.db import database_sync_to_async

from tests.factories import AttendanceFactory
from tests.helpers import room_communicator, session_cookie_for
from workshops.floor import services

pytestmark = pytest.mark.django_db(transaction=True)


async def open_socket(session: Any, user: Any) -> Any:
    comm = room_communicator(session.pk, await database_sync_to_async(session_cookie_for)(user))
    connected, _ = await comm.connect()
    assert connected
    snapshot = json.loads(await comm.receive_from(timeout=5))
    assert snapshot["event"] == "snapshot"
    return comm


async def frames(comm: Any) -> list[dict[str, Any]]:
    out = []
    while not await comm.receive_nothing(timeout=0.5):
        out.append(json.loads(await comm.receive_from()))
    return out


async def test_a_raised_hand_reaches_the_facilitator_and_only_the_raiser_hears_about_their_place(
    live_session: Any, facilitator: Any, person: Any, carer: Any
) -> None:
    for user in (person, carer):
        await database_sync_to_async(AttendanceFactory)(session=live_session, user=user)
    fac, jean, isla = [await open_socket(live_session, u) for u in (facilitator, person, carer)]
    for comm in (fac, jean, isla):
        await frames(comm)
    await database_sync_to_async(services.hand_raise)(session=live_session, user=person)
    fac_frames, jean_frames, isla_frames = [await frames(c) for c in (fac, jean, isla)]
    assert any(
        'id="floor-queue"' in f["content"] and "Has not spoken yet" in f["content"]
        for f in fac_frames
    )
    assert any(
        'id="floor-me"' in f["content"] and "Your hand is up" in f["content"] for f in jean_frames
    )
    assert any(
        'id="floor"' in f["content"] and person.display_name in f["content"] for f in isla_frames
    )
    # Nobody else is told about Jean's place, and no participant gets the balance.
    assert not any('id="floor-me"' in f["content"] for f in isla_frames)
    assert not any('id="balance"' in f["content"] for f in jean_frames + isla_frames)
    for comm in (fac, jean, isla):
        await comm.disconnect()
