"""One shape for every fault: people work, something breaks, it comes back, and every room
must equal the database within a deadline — 0 ideas lost, 0 doubled."""

import asyncio
import random
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from boards.models import Card
from tests.faults.conftest import Room
from tests.faults.harness import BrowserPhone, Posted, RoomClient

CONNECT_DEADLINE_SECONDS = 60.0
ADD_EVERY_SECONDS = 3.0
# The ideas in flight when a fault is mended may land seconds later (a cut phone presses again
# once its network is back): the last of them still needs its push delivered, so the rooms get
# at least this long after it, even when the recovery clock has run out meanwhile.
LAST_PUSH_SECONDS = 2.0


@dataclass
class Outcome:
    """What a run measured."""

    recovered_after: float
    posts: int
    answers: Counter[str]
    clients: list[RoomClient]


def clients_for(room: Room, ports: list[int]) -> list[RoomClient]:
    """One client per person, each reaching the server through its own port."""
    return [
        RoomClient(
            name=f"person-{i + 1}",
            port=port,
            session_id=room.session.pk,
            board_id=room.board.pk,
            column_id=room.column_id,
            cookie=cookie,
        )
        for i, (cookie, port) in enumerate(zip(room.cookies[: len(ports)], ports, strict=True))
    ]


Watched = RoomClient | BrowserPhone


async def wait_until(
    what: str, check: Callable[[], bool | Awaitable[bool]], *, within: float
) -> float:
    """Poll every 50 ms; the seconds it took, or an AssertionError naming what never happened."""
    start = time.monotonic()
    while True:
        result = check()
        if result if isinstance(result, bool) else await result:
            return time.monotonic() - start
        if time.monotonic() - start >= within:
            raise AssertionError(f"{what}: not within {within} s")
        await asyncio.sleep(0.05)


def equal_to_database(room: Room, clients: list[Watched]) -> Callable[[], Awaitable[bool]]:
    """True once every client is connected and shows exactly the database's ideas."""

    async def check() -> bool:
        for c in clients:
            if isinstance(c, BrowserPhone):
                await c.look()
        truth, seq = room.cards_in_database(), room.seq_in_database()
        return all(c.connected and c.cards == truth and c.last_seq == seq for c in clients)

    return check


def explain(room: Room, clients: list[Watched]) -> str:
    """Who differs from the database, and how (for a failing assertion)."""
    truth, seq = room.cards_in_database(), room.seq_in_database()
    lines = [f"database: {len(truth)} ideas, seq {seq}"]
    for c in clients:
        if not (c.connected and c.cards == truth and c.last_seq == seq):
            lines.append(
                f"{c.name}: connected={c.connected} seq={c.last_seq} missing={len(truth - c.cards)}"
                f" extra={len(c.cards - truth)}"
                + (
                    f" closes={dict(c.closes)} gaps={c.gaps}"
                    if isinstance(c, RoomClient)
                    else f" url={c.page.url} trouble={c.trouble}"
                )
            )
    return "\n".join(lines[:15])


def _connected(phone: BrowserPhone) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        await phone.look()
        return phone.connected and phone.last_seq is not None

    return check


async def run_fault(
    room: Room,
    clients: list[RoomClient],
    *,
    fault: Callable[[], Awaitable[None]],
    recover_within: float,
    watched: list[RoomClient] | None = None,
    phones: list[BrowserPhone] | None = None,
    quiet_during_fault: bool = False,
) -> Outcome:
    """Everyone adds ideas; `fault` breaks something and returns once it is mended; then every
    watched client (all by default) and every real browser in `phones` must equal the
    database within `recover_within` seconds. With `quiet_during_fault`, the adding stops (and
    every idea in flight lands) before the fault, so the clock measures resyncing alone."""
    loop = asyncio.get_running_loop()
    loop.set_default_executor(ThreadPoolExecutor(max_workers=len(clients) + 16))
    runners = [asyncio.create_task(c.run()) for c in clients]
    await wait_until(
        "every client connected with its snapshot",
        lambda: all(c.connected and c.last_seq is not None for c in clients),
        within=CONNECT_DEADLINE_SECONDS,
    )
    for phone in phones or []:
        await wait_until(f"{phone.name} connected", _connected(phone), within=30)
    adding = True
    posts: list[asyncio.Task[Posted]] = []

    async def work(client: RoomClient) -> None:
        await asyncio.sleep(random.uniform(0, ADD_EVERY_SECONDS))
        n = 0
        while adding:
            n += 1
            posts.append(asyncio.create_task(client.add_card(f"{client.name} idea {n}")))
            await asyncio.sleep(ADD_EVERY_SECONDS)

    workers = [asyncio.create_task(work(c)) for c in clients]
    await asyncio.sleep(ADD_EVERY_SECONDS)
    if quiet_during_fault:
        adding = False
        for w in workers:
            w.cancel()
        await asyncio.gather(*posts)
    await fault()
    mended = time.monotonic()
    adding = False
    for w in workers:
        w.cancel()
    done = await asyncio.gather(*posts)
    landed_after = time.monotonic() - mended
    everyone: list[Watched] = [*(watched if watched is not None else clients), *(phones or [])]
    try:
        await wait_until(
            "every room equal to the database",
            equal_to_database(room, everyone),
            within=max(LAST_PUSH_SECONDS, recover_within - landed_after),
        )
    except AssertionError as exc:
        raise AssertionError(
            f"{exc} (the last idea landed {landed_after:.1f} s after the fault was mended)\n"
            f"{explain(room, everyone)}"
        ) from None
    recovered_after = time.monotonic() - mended
    for c in clients:
        c.stopped = True
    for r in runners:
        r.cancel()
    await asyncio.gather(*runners, return_exceptions=True)

    # 0 lost, 0 doubled: every idea a person added is on the board exactly once.
    assert all(p.saved for p in done), [p.answers for p in done if not p.saved][:5]
    in_database = Counter(
        str(cid)
        for cid in Card.objects.filter(board=room.board).values_list("client_id", flat=True)
    )
    assert set(in_database) == {p.client_id for p in done}
    assert max(in_database.values()) == 1
    # No half-saved idea: each holds exactly the words that were sent.
    texts = {
        str(k): v for k, v in Card.objects.filter(board=room.board).values_list("client_id", "text")
    }
    assert all(texts[p.client_id] == p.text for p in done)
    answers = Counter(a for p in done for a in p.answers)
    assert not {a for a in answers if a.isdigit() and a.startswith("5") and a != "503"}, answers
    return Outcome(
        recovered_after=recovered_after, posts=len(done), answers=answers, clients=clients
    )
