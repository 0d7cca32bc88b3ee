"""400 sockets for ten minutes with a steady stream of changes: memory stays flat, no push is
dropped for capacity, and no socket ever sees a gap in the sequence numbers.

SOAK_SECONDS shortens it for a local try (`SOAK_SECONDS=60 make test-faults`); CI runs the
full ten minutes.
"""

import asyncio
import os
import statistics
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tests.faults.conftest import Stack, make_room
from tests.faults.harness import RoomClient, rss_kib
from tests.faults.scenario import clients_for, equal_to_database, explain, wait_until

pytestmark = pytest.mark.faults

SOCKETS = 400
SOAK_SECONDS = int(os.environ.get("SOAK_SECONDS", "600"))
CHANGES_PER_SECOND = 1.0
# Memory is read every few seconds; "flat" means the last fifth of the run holds no more than
# this much over the second fifth (the first fifth is the warm-up: 400 handshakes, caches).
MAX_GROWTH_KIB = 24 * 1024


def test_soak_400_sockets(stack: Stack, record_property: Any) -> None:
    room = make_room(SOCKETS)
    clients = clients_for(room, [stack.server.port] * SOCKETS)
    facilitator = RoomClient(
        name="facilitator",
        port=stack.server.port,
        session_id=room.session.pk,
        board_id=room.board.pk,
        column_id=room.column_id,
        cookie=room.facilitator_cookie,
    )
    samples: list[tuple[float, int]] = []

    async def soak() -> float:
        asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(max_workers=16))
        runners = [asyncio.create_task(c.run()) for c in clients]
        try:
            connected_in = await wait_until(
                "400 sockets connected",
                lambda: all(c.connected and c.last_seq is not None for c in clients),
                within=180,
            )
        except AssertionError as exc:
            closes = sum((c.closes for c in clients), Counter())
            up = sum(c.connected and c.last_seq is not None for c in clients)
            errors = sum((c.errors for c in clients), Counter()).most_common(4)
            raise AssertionError(
                f"{exc}: {up} in the room; closes {dict(closes)}; errors {errors}"
            ) from None
        print(f"\n{SOCKETS} sockets connected in {connected_in:.1f} s")
        start = time.monotonic()
        n = 0
        while (elapsed := time.monotonic() - start) < SOAK_SECONDS:
            n += 1
            posted = await facilitator.add_card(f"Steady idea {n}")
            assert posted.saved and posted.answers == ["302"], posted.answers
            if not samples or elapsed - samples[-1][0] >= 5:
                samples.append((elapsed, rss_kib(stack.server.process.pid)))
            await asyncio.sleep(max(0.0, n / CHANGES_PER_SECOND - (time.monotonic() - start)))
        try:
            settled = await wait_until(
                "every room equal", equal_to_database(room, clients), within=10
            )
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n{explain(room, clients)}") from None
        for c in clients:
            c.stopped = True
        for r in runners:
            r.cancel()
        await asyncio.gather(*runners, return_exceptions=True)
        return settled

    settled = asyncio.run(soak())

    fifth = max(1, len(samples) // 5)
    second = statistics.mean(kib for _, kib in samples[fifth : 2 * fifth])
    last = statistics.mean(kib for _, kib in samples[-fifth:])
    log = stack.server.log.read_text()
    print(
        f"\nsoak: {SOCKETS} sockets, {SOAK_SECONDS} s, {len(room.cards_in_database())} changes; "
        f"daphne RSS {second / 1024:.1f} MiB (2nd fifth) → {last / 1024:.1f} MiB (last fifth); "
        f"gaps {sum(c.gaps for c in clients)}; reconnects "
        f"{sum(c.connections - 1 for c in clients)}; settled {settled:.2f} s after the last change"
    )
    record_property("rss_growth_kib", int(last - second))
    assert "over capacity" not in log, "channels-redis dropped pushes"
    assert sum(c.gaps for c in clients) == 0, "a socket saw a gap in the sequence numbers"
    dropped = [c for c in clients if c.connections != 1]
    assert not dropped, (
        f"{len(dropped)} sockets were dropped: closes "
        f"{dict(sum((c.closes for c in dropped), Counter()))}; errors "
        f"{sum((c.errors for c in dropped), Counter()).most_common(4)}\n"
        + "\n".join(
            line
            for line in log.splitlines()
            if any(
                word in line
                for word in ("Error", "Traceback", "xception", "resynchronise", "closed")
            )
        )[-4000:]
    )
    assert last - second <= MAX_GROWTH_KIB, samples
