"""CPU of one socket handshake and of one change, measured apart from the fan-out.

    .venv/bin/python benchmarks/request_cost.py handshake   # daphne, 400 sockets, 50 at a time
    .venv/bin/python benchmarks/request_cost.py move        # in-process, Django's test client
    .venv/bin/python benchmarks/request_cost.py idle        # daphne, 400 quiet sockets

`make bench` measures whole rooms under load, and on a shared machine its figures swing by a
third from one minute to the next. These two isolate the work around a change and around a
handshake, so a small change to either can be seen: the CPU that daphne spends on a round of
handshakes (snapshot and presence included), and the CPU of one process making moves through
Django's test client (every query and render, the pushes handed to Redis; no sockets).
Both use the benchmark's database and Redis db 5, like board_fanout.py.
"""

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/comhla_bench")
os.environ["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")
os.environ["CHANNEL_PREFIX"] = "bench-cost:"
os.environ.setdefault("COMHLA_HTTPS", "0")
if not os.environ.get("SECRET_KEY"):
    os.environ["SECRET_KEY"] = (ROOT / ".secret-key").read_text().strip()

from fanout_comhla import create_fixture, django_setup, ensure_database  # noqa: E402
from fanout_procs import free_port  # noqa: E402

if TYPE_CHECKING:
    from websockets.asyncio.client import ClientConnection


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def open_room_socket(port: int, session_id: int, cookie: str) -> "ClientConnection":
    """A room socket signed in with the cookie, as a browser opens it."""
    from websockets.asyncio.client import connect

    return await connect(
        f"ws://127.0.0.1:{port}/ws/sessions/{session_id}/",
        additional_headers={"Cookie": f"sessionid={cookie}"},
        origin=f"http://127.0.0.1:{port}",  # type: ignore[arg-type]
        compression=None,
        ping_interval=None,
        max_size=2**22,
        open_timeout=30,
    )


async def handshake_round(port: int, specs: list[tuple[int, str]]) -> float:
    """Open every socket (50 at a time), wait for each snapshot, close them; seconds taken."""
    gate = asyncio.Semaphore(50)

    async def one(session_id: int, cookie: str) -> "ClientConnection":
        async with gate:
            ws = await open_room_socket(port, session_id, cookie)
            first = await ws.recv()
            if not isinstance(first, str) or '"snapshot"' not in first[:40]:
                raise RuntimeError(f"expected a snapshot first, got {str(first)[:80]!r}")
            return ws

    started = time.perf_counter()
    sockets = await asyncio.gather(*(one(*spec) for spec in specs))
    taken = time.perf_counter() - started
    await asyncio.sleep(1.0)  # the coalesced presence pushes
    await asyncio.gather(*(ws.close() for ws in sockets))
    return taken


def wait_for_port(port: int, within: float = 30.0) -> None:
    """Wait until something listens on the port (daphne's start takes seconds)."""
    import socket

    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"nothing listens on {port} after {within:g} s")


@contextmanager
def rooms_on_daphne() -> Iterator[tuple[int, int, list[tuple[int, str]]]]:
    """10 rooms of 40 people on a daphne of this run's own: its port, its pid, and each
    person's (session id, cookie)."""
    import redis

    fixture = create_fixture(sessions=10, clients=40)
    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()
    specs = [
        (session_id, cookie)
        for session_id, cookies in zip(
            fixture.session_ids, fixture.participant_cookies, strict=True
        )
        for cookie in cookies
    ]
    port = free_port()
    daphne = str(Path(sys.executable).with_name("daphne"))
    server = subprocess.Popen(
        [daphne, "-b", "127.0.0.1", "-p", str(port), "project.asgi:application"],
        cwd=ROOT,
        env=dict(os.environ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        print(f"daphne pid {server.pid}", flush=True)
        yield port, server.pid, specs
    finally:
        server.terminate()
        server.wait(timeout=10)


def measure_handshakes(rounds: int) -> None:
    """Rounds of 400 handshakes into 10 rooms of 40 on one daphne: rate and CPU each."""
    with rooms_on_daphne() as (port, pid, specs):
        for n in range(rounds):
            before = process_cpu_seconds(pid)
            taken = asyncio.run(handshake_round(port, specs))
            cpu = process_cpu_seconds(pid) - before
            print(
                f"round {n + 1}: {len(specs)} handshakes, {len(specs) / taken:.0f}/s; daphne "
                f"CPU {1000 * cpu / len(specs):.2f} ms each (presence and closing included)",
                flush=True,
            )
            time.sleep(1.5)


async def idle_round(port: int, specs: list[tuple[int, str]], seconds: float, pid: int) -> None:
    """Open every socket, then let each send a heartbeat every 20 s (spread evenly) and print
    daphne's CPU over each minute: heartbeats, presence, the minutely access checks."""
    heartbeat_s = 20.0
    gate = asyncio.Semaphore(50)
    sockets = []

    async def open_one(session_id: int, cookie: str) -> None:
        async with gate:
            ws = await open_room_socket(port, session_id, cookie)
            sockets.append(ws)

    async def beat(ws: object, offset: float) -> None:
        await asyncio.sleep(offset)
        while True:
            await ws.send("ping")  # type: ignore[attr-defined]
            await asyncio.sleep(heartbeat_s)

    async def drain(ws: object) -> None:
        async for _ in ws:  # type: ignore[attr-defined]
            pass

    await asyncio.gather(*(open_one(*spec) for spec in specs))
    tasks = [asyncio.create_task(drain(ws)) for ws in sockets]
    tasks += [
        asyncio.create_task(beat(ws, heartbeat_s * i / len(sockets)))
        for i, ws in enumerate(sockets)
    ]
    await asyncio.sleep(5)  # the presence pushes of the arrivals
    started = time.monotonic()
    while (elapsed := time.monotonic() - started) < seconds:
        before = process_cpu_seconds(pid)
        window = min(60.0, seconds - elapsed)
        await asyncio.sleep(window)
        cpu = process_cpu_seconds(pid) - before
        print(f"{len(sockets)} idle sockets, {window:.0f} s: daphne CPU {100 * cpu / window:.2f} %")
    for task in tasks:
        task.cancel()
    await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)


def measure_idle(seconds: float) -> None:
    """400 sockets in 10 rooms of 40, quiet but for their heartbeats: daphne's CPU."""
    with rooms_on_daphne() as (port, pid, specs):
        asyncio.run(idle_round(port, specs, seconds, pid))


def measure_moves(rounds: int, per_round: int) -> None:
    """Rounds of moves of a room of 40 through Django's test client: CPU per move."""
    from django.conf import settings
    from django.test import Client

    fixture = create_fixture(sessions=1, clients=40)
    client = Client(HTTP_HX_REQUEST="true", HTTP_HOST="127.0.0.1")
    client.cookies[settings.SESSION_COOKIE_NAME] = fixture.facilitator_cookie
    session_id, activities = fixture.session_ids[0], fixture.activity_ids[0]

    def one_round(count: int) -> float:
        started = time.process_time()
        for i in range(count):
            response = client.post(
                f"/sessions/{session_id}/move/", {"activity": activities[i % len(activities)]}
            )
            if response.status_code not in (200, 204):
                raise RuntimeError(f"move answered {response.status_code}")
        return 1000 * (time.process_time() - started) / count

    one_round(30)  # warm: templates, the pools, the ORM's caches
    results = [one_round(per_round) for _ in range(rounds)]
    print(
        f"ms of CPU per move, {rounds} x {per_round}: "
        + " ".join(f"{r:.2f}" for r in results)
        + f"; median {statistics.median(results):.2f}"
    )


def main() -> None:
    """Measure what the command line asks for."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=["handshake", "move", "idle"])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=120, help="idle: how long to measure")
    args = parser.parse_args()
    ensure_database(os.environ["DATABASE_URL"])
    django_setup()
    if args.what == "handshake":
        measure_handshakes(args.rounds)
    elif args.what == "idle":
        measure_idle(args.seconds)
    else:
        measure_moves(args.rounds, per_round=100)


if __name__ == "__main__":
    main()
