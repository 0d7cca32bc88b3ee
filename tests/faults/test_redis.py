"""Redis paused, and Redis killed and restarted empty, while 40 people add ideas."""

import asyncio
from collections import Counter
from typing import Any

import pytest

from tests.faults.conftest import Stack, make_room
from tests.faults.harness import chromium_phones
from tests.faults.scenario import clients_for, run_fault

pytestmark = pytest.mark.faults
PEOPLE = 40


def test_redis_paused_for_five_seconds(stack: Stack, record_property: Any) -> None:
    room = make_room(PEOPLE)
    clients = clients_for(room, [stack.server.port] * PEOPLE)

    async def pause() -> None:
        stack.redis.pause()
        await asyncio.sleep(5)
        stack.redis.resume()

    outcome = asyncio.run(run_fault(room, clients, fault=pause, recover_within=10))
    record_property("recovered_after_s", round(outcome.recovered_after, 2))
    print(
        f"\nRedis paused 5 s: rooms equal after {outcome.recovered_after:.2f} s; "
        f"{outcome.posts} ideas, answers {dict(outcome.answers)}"
    )


def test_redis_killed_and_restarted_empty(stack: Stack, record_property: Any) -> None:
    """38 imitation phones and 2 real Chromium pages; Redis is gone for 3 s and comes back
    knowing no group, no channel and nobody present."""
    room = make_room(PEOPLE)
    clients = clients_for(room, [stack.server.port] * (PEOPLE - 2))

    async def kill_and_restart() -> None:
        stack.redis.kill()
        await asyncio.sleep(3)
        stack.redis.start()

    async def scenario() -> Any:
        async with chromium_phones(
            room.session.pk, [stack.server.url] * 2, room.cookies[PEOPLE - 2 :]
        ) as phones:
            return await run_fault(
                room, clients, fault=kill_and_restart, recover_within=10, phones=phones
            )

    outcome = asyncio.run(scenario())
    assert all(c.connections >= 2 for c in clients), "every socket noticed and reconnected"
    record_property("recovered_after_s", round(outcome.recovered_after, 2))
    print(
        f"\nRedis killed and restarted empty: rooms equal after {outcome.recovered_after:.2f} s; "
        f"{outcome.posts} ideas, answers {dict(outcome.answers)}; closes "
        f"{dict(sum((c.closes for c in clients), Counter()))}"
    )
