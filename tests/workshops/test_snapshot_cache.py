"""The room snapshot from the cache: per audience and room version, never stale, never
another audience's (issue #14)."""

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import pytest
from channels.db import database_sync_to_async
from django.core.cache import cache
from django.db.backends.utils import CursorWrapper

from tests.factories import AttendanceFactory
from tests.helpers import room_communicator, session_cookie_for
from workshops import room, services

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


async def test_queries_per_handshake(
    live_session: Any, person: Any, carer: Any
) -> None:
    for user in (person, carer):
        await database_sync_to_async(AttendanceFactory)(session=live_session, user=user)
    first_cookie, second_cookie = await cookie(person), await cookie(carer)
    with counting_queries() as first:
        comm, _ = await connect(live_session, first_cookie)
    with counting_queries() as second:
        other, _ = await connect(live_session, second_cookie)
    print("first", len(first), "second", len(second))
    for q in second:
        print(q)
    await comm.disconnect()
    await other.disconnect()
