"""PostgreSQL connections killed under load: a friendly 503 at worst, never a traceback,
never a partial row, and pressing again applies the change once."""

import asyncio
from collections.abc import Callable
from typing import Any

import psycopg
import pytest
from django.db import connection

from tests.faults.conftest import Stack, make_room
from tests.faults.scenario import clients_for, run_fault

pytestmark = pytest.mark.faults

PEOPLE = 40


def server_connection_killer(killer: psycopg.Connection[Any]) -> Callable[[], int]:
    """A function that terminates the server's connections to the test database, mid-request
    or idle; the test's own connection and the killer's are spared."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        ours = cursor.fetchone()[0]

    def kill() -> int:
        row = killer.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid() AND pid <> %s",
            [ours],
        ).fetchone()
        return int(row[0]) if row else 0

    return kill


def test_postgresql_connections_killed_under_load(stack: Stack, record_property: Any) -> None:
    if connection.vendor != "postgresql":
        raise RuntimeError(
            "this test kills PostgreSQL connections: run it with DATABASE_URL pointing at "
            "PostgreSQL (make test-faults does)"
        )
    room = make_room(PEOPLE)
    clients = clients_for(room, [stack.server.port] * PEOPLE)
    db = connection.settings_dict
    killer = psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"] or "postgres",
        dbname=db["NAME"],
        autocommit=True,
    )
    kill = server_connection_killer(killer)
    killed: list[int] = []

    async def kill_for_six_seconds() -> None:
        for _ in range(30):
            killed.append(kill())
            await asyncio.sleep(0.2)

    try:
        outcome = asyncio.run(
            run_fault(room, clients, fault=kill_for_six_seconds, recover_within=10)
        )
    finally:
        killer.close()
    assert sum(killed) > 0, "no connection was killed: the test proved nothing"
    assert outcome.answers["503"] > 0, f"no request met a killed connection: {outcome.answers}"
    record_property("killed_connections", sum(killed))
    print(
        f"\nPostgreSQL: {sum(killed)} connections killed in 6 s; {outcome.posts} ideas, "
        f"answers {dict(outcome.answers)}; rooms equal after {outcome.recovered_after:.2f} s"
    )
