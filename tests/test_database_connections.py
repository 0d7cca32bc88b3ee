"""PostgreSQL connections come from a pool: requests and socket handshakes open none of their own.

Measured against a real daphne: the test client and Channels' communicator both keep one
connection open for the whole test, which would hide what a server does.
"""

import asyncio
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
import websockets
from asgiref.sync import sync_to_async
from django.db import connection
from django.urls import reverse

from tests.browser.conftest import Server, server_env, start_server
from tests.helpers import session_cookie_for

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

DAPHNE_APP_NAME = "comhla-pool-check"


def needs_postgresql() -> None:
    """Skip on SQLite: there is no server to count connections on."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: run with DATABASE_URL=postgres://…")


@pytest.fixture(scope="module")
def daphne(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Server]:
    """One daphne for this module, on the test database."""
    with django_db_blocker.unblock():
        needs_postgresql()
        env = server_env()
    server = start_server(env, name="daphne-db-connections")
    yield server
    server.stop()


@pytest.fixture
def sessions_opened() -> Iterator[Any]:
    """A function counting every connection (session) ever opened to the test database."""
    needs_postgresql()
    db = connection.settings_dict
    watcher = psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"] or "postgres",
        dbname=db["NAME"],
        autocommit=True,
    )

    def count() -> int:
        row = watcher.execute(
            "SELECT sessions FROM pg_stat_database WHERE datname = current_database()"
        ).fetchone()
        return int(row[0]) if row else 0

    yield count
    watcher.close()


def test_postgresql_settings_use_a_pool_and_no_persistent_connections() -> None:
    needs_postgresql()
    assert connection.settings_dict["CONN_MAX_AGE"] == 0
    assert connection.settings_dict["OPTIONS"].get("pool")


async def test_requests_and_socket_handshakes_open_no_new_connections(
    daphne: Server, sessions_opened: Any, live_session: Any, facilitator: Any
) -> None:
    cookie = await sync_to_async(session_cookie_for)(facilitator)
    page = daphne.url + reverse("room", args=[live_session.pk])

    def get_page() -> None:
        request = urllib.request.Request(page, headers={"Cookie": cookie})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200

    async def one_round() -> None:
        await asyncio.to_thread(get_page)
        async with websockets.connect(
            daphne.url.replace("http", "ws") + f"/ws/sessions/{live_session.pk}/",
            origin=websockets.Origin(daphne.url),
            additional_headers={"Cookie": cookie},
            max_size=None,
        ) as ws:
            assert '"event":"snapshot"' in await asyncio.wait_for(ws.recv(), timeout=10)
            await ws.send("ping")
            await asyncio.sleep(0.3)  # the heartbeat, and the coalesced presence push

    for _ in range(2):
        await one_round()
    await asyncio.sleep(1)  # the pool has opened its minimum
    before = await sync_to_async(sessions_opened)()
    for _ in range(5):
        await one_round()
    await asyncio.sleep(1.5)  # statistics reach pg_stat_database at most a second late
    opened = await sync_to_async(sessions_opened)() - before
    assert opened == 0, f"{opened} new PostgreSQL connections for 5 pages and 5 sockets"


@pytest.fixture(scope="module")
def named_daphne(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Server]:
    """A daphne whose PostgreSQL connections carry a name of their own, to end them by."""
    with django_db_blocker.unblock():
        needs_postgresql()
        env = server_env()
    env["PGAPPNAME"] = DAPHNE_APP_NAME
    server = start_server(env, name="daphne-db-pool-check")
    yield server
    server.stop()


async def test_a_pooled_connection_postgresql_ended_is_replaced_before_it_is_lent(
    named_daphne: Server, live_session: Any, facilitator: Any
) -> None:
    daphne = named_daphne
    cookie = await sync_to_async(session_cookie_for)(facilitator)
    page = daphne.url + reverse("room", args=[live_session.pk])

    def get_page() -> int:
        request = urllib.request.Request(page, headers={"Cookie": cookie})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:
            return error.code

    for _ in range(3):
        assert await asyncio.to_thread(get_page) == 200
    await asyncio.sleep(0.5)  # every connection back in the pool, idle

    def end_the_servers_connections() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE application_name = %s",
                [DAPHNE_APP_NAME],
            )
            return int(cursor.fetchone()[0])

    assert await sync_to_async(end_the_servers_connections)() > 0
    await asyncio.sleep(0.2)
    # Each pooled connection is dead now: the pool must notice before lending it, or each
    # of these pages meets one and answers 503.
    answers = [await asyncio.to_thread(get_page) for _ in range(5)]
    assert answers == [200] * 5
