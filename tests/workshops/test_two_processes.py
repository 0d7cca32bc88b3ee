"""Two daphne processes sharing PostgreSQL (or SQLite) and Redis behave as one server.

Forty people in one room, half on each process; the facilitator's changes are posted to
either process in turn. Every person sees every change, in order and with no gap, and both
processes count all forty as present.
"""

import asyncio
import json
import os
import re
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import redis
import websockets
from django.urls import reverse

from participants.models import Role
from tests.browser.conftest import Server, server_env, start_server
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    LiveSessionFactory,
    MembershipFactory,
    ProgrammeFactory,
    StaffUserFactory,
    UserFactory,
)
from tests.helpers import session_cookie_for

pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = 40
CHANGES = 12


@pytest.fixture(scope="module")
def two_processes(django_db_setup: Any, django_db_blocker: Any) -> Iterator[tuple[Server, Server]]:
    """Two daphne processes on their own ports, sharing the test database and one Redis."""
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/9"
    try:
        redis.Redis.from_url(url).ping()
    except redis.RedisError as exc:
        raise RuntimeError(f"This test needs Redis at {url}: {exc}") from exc
    with django_db_blocker.unblock():
        env = server_env()
    env.update({"REDIS_URL": url, "CHANNEL_PREFIX": f"comhla-procs-{uuid.uuid4().hex[:8]}"})
    first = start_server(env, name="daphne-one")
    second = start_server(env, name="daphne-two")
    yield first, second
    first.stop()
    second.stop()


def room_of_forty() -> tuple[Any, list[Any], Any, list[Any]]:
    """A live session with four activities, its facilitator and forty people checked in."""
    programme = ProgrammeFactory()
    facilitator = StaffUserFactory(display_name="Fiona Facilitator")
    MembershipFactory(user=facilitator, programme=programme, role=Role.FACILITATOR)
    session = LiveSessionFactory(programme=programme, title="Forty of us")
    activities = [
        ActivityFactory(session=session, kind="discussion", title=f"Part {n}", order=n)
        for n in range(4)
    ]
    people = []
    for n in range(PEOPLE):
        person = UserFactory(display_name=f"Person {n:02d}")
        MembershipFactory(user=person, programme=programme, role=Role.LIVED_EXPERIENCE)
        AttendanceFactory(session=session, user=person)
        people.append(person)
    return session, activities, facilitator, people


def ws_url(server: Server, session_id: int) -> str:
    return server.url.replace("http", "ws") + f"/ws/sessions/{session_id}/"


def get(server: Server, path: str, cookie: str) -> tuple[str, str]:
    """A page as the holder of `cookie` sees it, and the csrftoken cookie it set (if any)."""
    request = urllib.request.Request(server.url + path, headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=10) as response:
        token = ""
        for header in response.headers.get_all("Set-Cookie") or []:
            if header.startswith("csrftoken="):
                token = header.split(";", 1)[0].split("=", 1)[1]
        return response.read().decode(), token


def post_move(server: Server, session_id: int, activity_id: int, cookie: str, csrf: str) -> int:
    """The facilitator's htmx press of "Move room here", sent to this server."""
    body = urllib.parse.urlencode({"activity": activity_id}).encode()
    request = urllib.request.Request(
        server.url + reverse("session_move", args=[session_id]),
        data=body,
        headers={
            "Cookie": f"{cookie}; csrftoken={csrf}",
            "X-CSRFToken": csrf,
            "HX-Request": "true",
            "Origin": server.url,
            "Content-Type": "application/x-www-form-urlencoded",
        },
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return int(response.status)


async def follow(ws: Any, until_seq: asyncio.Future[int]) -> list[tuple[int, str]]:
    """Every numbered frame a socket receives (seq, content) until it has the last change."""
    frames: list[tuple[int, str]] = []
    while True:
        if until_seq.done() and frames and frames[-1][0] >= until_seq.result():
            return frames
        try:
            raw = await asyncio.wait_for(ws.recv(), timeout=0.5)
        except TimeoutError:
            continue
        frame = json.loads(raw)
        if frame.get("seq") is not None:
            frames.append((int(frame["seq"]), frame.get("content", "")))


def test_forty_people_on_two_processes_see_every_change_in_order(
    two_processes: tuple[Server, Server],
) -> None:
    servers = two_processes
    session, activities, facilitator, people = room_of_forty()
    cookies = [session_cookie_for(person) for person in people]
    staff_cookie = session_cookie_for(facilitator, method="account")
    _page, csrf = get(servers[0], reverse("room", args=[session.pk]), staff_cookie)
    assert csrf, "the room page set no csrftoken cookie"

    async def scenario() -> list[list[tuple[int, str]]]:
        sockets = []
        for n, cookie in enumerate(cookies):
            server = servers[n % 2]
            ws = await websockets.connect(
                ws_url(server, session.pk),
                origin=websockets.Origin(server.url),
                additional_headers={"Cookie": cookie},
                max_size=None,
            )
            snapshot = json.loads(await asyncio.wait_for(ws.recv(), timeout=10))
            assert snapshot["event"] == "snapshot"
            sockets.append(ws)
        last_seq: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        listeners = [asyncio.create_task(follow(ws, last_seq)) for ws in sockets]
        for change in range(CHANGES):
            activity = activities[(change + 1) % len(activities)]
            status = await asyncio.to_thread(
                post_move, servers[change % 2], session.pk, activity.pk, staff_cookie, csrf
            )
            assert status in (200, 204)
        session.refresh_from_db()
        last_seq.set_result(session.seq)
        try:
            return await asyncio.wait_for(asyncio.gather(*listeners), timeout=30)
        finally:
            for ws in sockets:
                await ws.close()

    received = asyncio.run(scenario())

    final = activities[CHANGES % len(activities)]
    for n, frames in enumerate(received):
        seqs = [seq for seq, _ in frames]
        assert seqs == list(range(seqs[0], seqs[0] + len(seqs))), (n, seqs)
        assert seqs[-1] == session.seq
        moves = [content for _, content in frames if re.search(r"Part \d", content)]
        assert len(moves) >= CHANGES, (n, len(moves))
        assert final.title in frames[-1][1] or final.title in moves[-1]


def test_both_processes_count_everyone_present(two_processes: tuple[Server, Server]) -> None:
    servers = two_processes
    session, _activities, facilitator, people = room_of_forty()
    cookies = [session_cookie_for(person) for person in people]
    staff_cookie = session_cookie_for(facilitator, method="account")

    async def scenario() -> list[str]:
        sockets = []
        for n, cookie in enumerate(cookies):
            server = servers[n % 2]
            ws = await websockets.connect(
                ws_url(server, session.pk),
                origin=websockets.Origin(server.url),
                additional_headers={"Cookie": cookie},
                max_size=None,
            )
            await asyncio.wait_for(ws.recv(), timeout=10)
            sockets.append(ws)
        try:
            pages = []
            for server in servers:
                page, _ = await asyncio.to_thread(
                    get, server, reverse("room", args=[session.pk]), staff_cookie
                )
                match = re.search(r'<section id="presence".*?</section>', page, re.S)
                assert match, "the room page has no presence panel"
                pages.append(match.group(0))
            return pages
        finally:
            for ws in sockets:
                await ws.close()

    for panel in asyncio.run(scenario()):
        for person in people:
            assert person.display_name in panel
