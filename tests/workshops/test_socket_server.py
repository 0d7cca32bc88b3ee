"""The room socket's limits as a browser meets them: a real daphne, a real WebSocket client.

What the consumer asks for is not always what reaches the client (daphne cannot send every
close code, and drops some connections itself), so these tests read the close code on the
wire and then ask the server who it still counts as present.
"""

import asyncio
import re
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
import websockets
from asgiref.sync import sync_to_async
from django.urls import reverse

from tests.browser.conftest import Server, server_env, start_server
from tests.factories import AttendanceFactory
from tests.helpers import session_cookie_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def daphne(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Server]:
    """One daphne for this module, with the limits `make run` and the Dockerfile give it."""
    with django_db_blocker.unblock():
        env = server_env()
    server = start_server(env, name="daphne-socket-limits")
    yield server
    server.stop()


def present_names(server: Server, session_id: int, cookie: str) -> str:
    """The room page's "Who is here" panel, as a facilitator sees it now."""
    request = urllib.request.Request(
        server.url + reverse("room", args=[session_id]), headers={"Cookie": cookie}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        page = response.read().decode()
    match = re.search(r'<section id="presence".*?</section>', page, re.S)
    assert match, "the room page has no presence panel"
    return match.group(0)


async def open_room(server: Server, session_id: int, cookie: str) -> Any:
    """A signed-in socket in the room, its snapshot read."""
    ws = await websockets.connect(
        server.url.replace("http", "ws") + f"/ws/sessions/{session_id}/",
        origin=websockets.Origin(server.url),
        additional_headers={"Cookie": cookie},
        max_size=None,
    )
    first = await asyncio.wait_for(ws.recv(), timeout=10)
    assert '"event":"snapshot"' in first
    return ws


async def close_code_after(ws: Any, misbehave: Any) -> int | None:
    """Do something wrong on the socket; the close code the server sent (1006: none)."""
    try:
        await misbehave(ws)
        async with asyncio.timeout(10):
            while True:
                await ws.recv()
    except websockets.ConnectionClosed:
        pass
    await ws.wait_closed()
    return ws.close_code  # type: ignore[no-any-return]


async def too_big(ws: Any) -> None:
    await ws.send("x" * (17 * 1024))


async def over_daphnes_limit(ws: Any) -> None:
    await ws.send("x" * (5 * 1024 * 1024))


async def not_utf8(ws: Any) -> None:
    await ws.send(b"ping \xff\xfe\xfd", text=True)


async def flood(ws: Any) -> None:
    for _ in range(11):
        await ws.send("ping")


@pytest.mark.parametrize(
    ("misbehave", "code"),
    [(too_big, 4413), (over_daphnes_limit, 1009), (not_utf8, 1007), (flood, 4429)],
    ids=["17-KiB", "5-MiB", "invalid-UTF-8", "flood"],
)
async def test_a_misbehaving_socket_gets_a_close_code_and_is_no_longer_present(
    daphne: Server,
    live_session: Any,
    facilitator: Any,
    person: Any,
    misbehave: Any,
    code: int,
) -> None:
    log_start = daphne.log.stat().st_size
    await sync_to_async(AttendanceFactory)(session=live_session, user=person)
    cookie = await sync_to_async(session_cookie_for)(person)
    staff = await sync_to_async(session_cookie_for)(facilitator)
    ws = await open_room(daphne, live_session.pk, cookie)
    try:
        await asyncio.sleep(0.3)
        assert person.display_name in await asyncio.to_thread(
            present_names, daphne, live_session.pk, staff
        )
        assert await close_code_after(ws, misbehave) == code
        # Gone within a moment, not after the 60 seconds presence takes to expire.
        async with asyncio.timeout(2):
            while person.display_name in await asyncio.to_thread(
                present_names, daphne, live_session.pk, staff
            ):
                await asyncio.sleep(0.1)
    finally:
        await ws.close()
        await asyncio.sleep(0.5)  # the coalesced presence push, before the database is emptied
    log = daphne.log.read_bytes()[log_start:].decode()
    assert "Traceback" not in log, log[-3000:]
