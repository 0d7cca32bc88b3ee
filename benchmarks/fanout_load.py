"""The load generator: open-loop change schedules, many WebSocket clients, latency bookkeeping.

Runs in the benchmark's own process (pinned to core 1 by board_fanout.py). Every loop here is
bounded in count and in time. Latency is measured from a change's SCHEDULED send time, never
from when it was actually sent, so a slow server (or a slow generator) cannot hide its queue.
"""

import asyncio
import contextlib
import random
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Protocol

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import WebSocketException

# The first change of a phase is scheduled this long after the phase starts.
SCHEDULE_LEAD_S = 0.2
# A failed handshake is tried again this many times in all (a browser retries too).
CONNECT_ATTEMPTS = 3
# A browser sends "ping" every 20 s (static/js/comhla.js); idle Comhla clients do the same.
HEARTBEAT_SECONDS = 20.0
# The run is invalid when the generator falls behind its own schedule by more than this. An
# idle asyncio loop on this (shared, virtualised) machine already wakes up to ~4 ms late at p99;
# that lag is inside every latency (it counts from the scheduled time), alike for all targets.
MAX_SCHEDULE_LAG_P99_MS = 10.0
# ...or when it is busy for more than this share of its core.
MAX_GENERATOR_CPU_PERCENT = 90.0


class ChangeSender(Protocol):
    """Makes one change happen on a server, and recognises it in the frames clients receive."""

    async def start(self) -> None:
        """Open whatever the sender needs (HTTP pool, control socket, CSRF tokens)."""

    async def send(self, session_index: int, k: int) -> bool:
        """Make change number k in one session; True when the server accepted it."""

    def identify(self, session_index: int, frame: str) -> tuple[int, int] | None:
        """(order, k) for a frame carrying change k, or None for any other frame."""

    async def close(self) -> None:
        """Release everything start() opened."""


@dataclass
class ClientSpec:
    """One WebSocket client: which session's room, where, and with which headers."""

    session_index: int
    url: str
    headers: dict[str, str]
    origin: str | None
    heartbeat: str | None = None
    expect_snapshot: bool = True


@dataclass
class PhaseResult:
    """What one phase measured."""

    name: str
    rate_per_session: float
    duration_s: float
    changes: int
    failed_sends: int
    expected: int
    delivered: int
    duplicates: int
    out_of_order: int
    latencies_ms: list[float]
    schedule_lag_p99_ms: float
    schedule_lag_max_ms: float
    generator_cpu_percent: float
    server_cpu_s: float
    redis_cpu_s: float
    wall_s: float
    unknown_frames: int
    generator_runqueue_wait_ms: float = 0.0
    postgres_cpu_s: float = 0.0
    total_wall_s: float = 1.0
    server_runqueue_wait_ms: float = 0.0

    @property
    def lost(self) -> int:
        """Deliveries that never arrived before the drain deadline."""
        return self.expected - (self.delivered - self.duplicates)

    @property
    def deliveries_per_s(self) -> float:
        """Deliveries per second, over the schedule or, when the server fell behind, until the
        last delivery (or the drain deadline) - whichever is longer."""
        span = max(self.duration_s, self.total_wall_s - SCHEDULE_LEAD_S)
        return self.delivered / span if span > 0 else 0.0

    @property
    def offered_per_s(self) -> float:
        """Deliveries per second the schedule asked for."""
        return self.expected / self.duration_s if self.duration_s else 0.0

    def percentile(self, p: float) -> float:
        """Latency percentile in ms (nearest rank); NaN with no deliveries."""
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
        return ordered[index]

    @property
    def cpu_per_delivery_us(self) -> float:
        """Server + Redis CPU time per delivery, in microseconds."""
        if not self.delivered:
            return float("nan")
        return (self.server_cpu_s + self.redis_cpu_s) / self.delivered * 1e6

    @property
    def cpu_per_change_ms(self) -> float:
        """Server + Redis CPU time per change (one POST and its fan-out), in milliseconds."""
        if not self.changes:
            return float("nan")
        return (self.server_cpu_s + self.redis_cpu_s) / self.changes * 1e3

    @property
    def generator_bound(self) -> bool:
        """True when the generator, not the server, may have set the numbers."""
        return (
            self.generator_cpu_percent > MAX_GENERATOR_CPU_PERCENT
            or self.schedule_lag_p99_ms > MAX_SCHEDULE_LAG_P99_MS
        )

    def passes(self, p99_ms: float) -> bool:
        """Capacity rule: p99 within the limit and nothing lost."""
        return self.lost == 0 and self.percentile(99) <= p99_ms and bool(self.latencies_ms)


@dataclass
class Bookkeeping:
    """Scheduled times and arrivals, shared by the schedule and every client."""

    scheduled: list[dict[int, float]]
    phase_of: list[dict[int, str]]
    received: list[dict[int, int]] = field(default_factory=list)
    latencies: dict[str, list[float]] = field(default_factory=dict)
    out_of_order: dict[str, int] = field(default_factory=dict)
    unknown: int = 0


class CpuProbe(Protocol):
    """Reads a process's CPU seconds so far."""

    def __call__(self) -> float: ...


class Generator:
    """Clients in many rooms plus an open-loop change schedule for one target."""

    def __init__(self, *, sender: ChangeSender, sessions: int) -> None:
        self.sender = sender
        self.sessions = sessions
        self.book = Bookkeeping(
            scheduled=[{} for _ in range(sessions)],
            phase_of=[{} for _ in range(sessions)],
            received=[{} for _ in range(sessions)],
        )
        self.clients: list[ClientConnection] = []
        self.clients_per_session = [0] * sessions
        self.tasks: set[asyncio.Task[None]] = set()
        self.next_k = [0] * sessions
        self.last_frame_at = time.perf_counter()
        self.closed_clients = 0
        self.failed_handshakes = 0

    async def connect_all(
        self, specs: list[ClientSpec], *, concurrency: int, timeout_s: float
    ) -> float:
        """Open every client (at most `concurrency` handshakes at once); handshakes per second."""
        gate = asyncio.Semaphore(concurrency)
        started = time.perf_counter()

        async def one(client_id: int, spec: ClientSpec) -> None:
            async with gate:
                ws = None
                for _ in range(CONNECT_ATTEMPTS):
                    try:
                        ws = await self._open(spec, timeout_s)
                        break
                    except (TimeoutError, OSError, WebSocketException):
                        self.failed_handshakes += 1
                if ws is None:
                    return
            self.clients.append(ws)
            self.clients_per_session[spec.session_index] += 1
            self._spawn(self._reader(ws, spec.session_index, client_id))
            if spec.heartbeat:
                self._spawn(self._heartbeat(ws, spec.heartbeat))

        await asyncio.wait_for(
            asyncio.gather(*(one(i, spec) for i, spec in enumerate(specs))), timeout_s * 4
        )
        return len(specs) / (time.perf_counter() - started)

    @staticmethod
    async def _open(spec: ClientSpec, timeout_s: float) -> ClientConnection:
        ws = await connect(
            spec.url,
            additional_headers=spec.headers,
            origin=spec.origin,  # type: ignore[arg-type]
            compression=None,
            ping_interval=None,
            max_size=2**22,
            open_timeout=timeout_s,
        )
        if spec.expect_snapshot:
            first = await asyncio.wait_for(ws.recv(), timeout_s)
            if not isinstance(first, str) or "snapshot" not in first[:40]:
                await ws.close()
                raise RuntimeError(f"expected a snapshot first, got {str(first)[:80]!r}")
        return ws

    def _spawn(self, coro: Awaitable[None]) -> None:
        task: asyncio.Task[None] = asyncio.ensure_future(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _reader(self, ws: ClientConnection, session_index: int, client_id: int) -> None:
        book = self.book
        scheduled = book.scheduled[session_index]
        phase_of = book.phase_of[session_index]
        received = book.received[session_index]
        identify = self.sender.identify
        last_order = -1
        try:
            async for frame in ws:
                now = time.perf_counter()
                self.last_frame_at = now
                if not isinstance(frame, str):
                    continue
                found = identify(session_index, frame)
                if found is None:
                    continue
                order, k = found
                sent_at = scheduled.get(k)
                if sent_at is None:
                    book.unknown += 1
                    continue
                phase = phase_of[k]
                book.latencies[phase].append((now - sent_at) * 1000)
                received[k] = received.get(k, 0) + 1
                if order < last_order:
                    book.out_of_order[phase] = book.out_of_order.get(phase, 0) + 1
                last_order = order
        except Exception:
            pass
        finally:
            self.closed_clients += 1

    async def _heartbeat(self, ws: ClientConnection, text: str) -> None:
        await asyncio.sleep(random.uniform(0, HEARTBEAT_SECONDS))
        for _ in range(10_000):
            try:
                await ws.send(text)
            except Exception:
                return
            await asyncio.sleep(HEARTBEAT_SECONDS)

    async def settle(self, *, quiet_s: float, timeout_s: float) -> None:
        """Wait until no frame has arrived for `quiet_s` (presence pushes after connects)."""
        deadline = time.perf_counter() + timeout_s
        while time.perf_counter() < deadline:
            if time.perf_counter() - self.last_frame_at >= quiet_s:
                return
            await asyncio.sleep(0.05)

    async def run_phase(
        self,
        *,
        name: str,
        rate_per_session: float,
        duration_s: float,
        drain_s: float,
        server_cpu: CpuProbe,
        redis_cpu: CpuProbe,
        postgres_cpu: CpuProbe,
        server_wait: CpuProbe,
        send_timeout_s: float = 60.0,
    ) -> PhaseResult:
        """Schedule changes at a fixed rate in every session, then wait for every delivery.

        A send is given up only after `send_timeout_s`: a POST abandoned earlier may still
        commit later, out of the expected order, which blurs which change a frame carries.
        """
        book = self.book
        book.latencies[name] = []
        book.out_of_order[name] = 0
        per_session = max(1, int(rate_per_session * duration_s))
        interval = 1.0 / rate_per_session
        stagger = interval / self.sessions
        server0, redis0, gen0 = server_cpu(), redis_cpu(), time.process_time()
        wait0, pg0, server_wait0 = runqueue_wait_s(), postgres_cpu(), server_wait()
        wall0 = time.perf_counter()
        t0 = wall0 + SCHEDULE_LEAD_S
        plan: list[tuple[float, int, int]] = []
        for s in range(self.sessions):
            for i in range(per_session):
                plan.append((t0 + i * interval + s * stagger, s, self.next_k[s] + i))
        plan.sort()
        for s in range(self.sessions):
            self.next_k[s] += per_session
        lags: list[float] = []
        outcomes: list[asyncio.Task[bool]] = []
        for when, s, k in plan:
            delay = when - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            lags.append((time.perf_counter() - when) * 1000)
            book.scheduled[s][k] = when
            book.phase_of[s][k] = name
            outcomes.append(
                asyncio.ensure_future(asyncio.wait_for(self.sender.send(s, k), send_timeout_s))
            )
        schedule_end = time.perf_counter()
        done = await asyncio.gather(*outcomes, return_exceptions=True)
        failed = sum(1 for d in done if d is not True)
        expected = sum(per_session * self.clients_per_session[s] for s in range(self.sessions))
        deadline = time.perf_counter() + drain_s
        while time.perf_counter() < deadline:
            if self._delivered(name) >= expected:
                break
            await asyncio.sleep(0.02)
        wall = time.perf_counter() - wall0
        gen_cpu = time.process_time() - gen0
        delivered = self._delivered(name)
        duplicates = sum(
            max(0, n - self.clients_per_session[s])
            for s in range(self.sessions)
            for k, n in book.received[s].items()
            if book.phase_of[s].get(k) == name
        )
        lags.sort()
        return PhaseResult(
            name=name,
            rate_per_session=rate_per_session,
            duration_s=per_session / rate_per_session,
            changes=per_session * self.sessions,
            failed_sends=failed,
            expected=expected,
            delivered=delivered,
            duplicates=duplicates,
            out_of_order=book.out_of_order[name],
            latencies_ms=book.latencies[name],
            schedule_lag_p99_ms=lags[min(len(lags) - 1, int(0.99 * len(lags)))],
            schedule_lag_max_ms=lags[-1],
            generator_cpu_percent=100 * gen_cpu / max(wall, 1e-9),
            server_cpu_s=server_cpu() - server0,
            redis_cpu_s=redis_cpu() - redis0,
            wall_s=max(schedule_end - wall0, 1e-9),
            unknown_frames=book.unknown,
            generator_runqueue_wait_ms=(runqueue_wait_s() - wait0) * 1000,
            postgres_cpu_s=postgres_cpu() - pg0,
            total_wall_s=wall,
            server_runqueue_wait_ms=(server_wait() - server_wait0) * 1000,
        )

    def _delivered(self, name: str) -> int:
        return len(self.book.latencies[name])

    async def close(self) -> None:
        """Close every client (bounded) and stop the background tasks."""
        with contextlib.suppress(Exception):
            await asyncio.wait_for(
                asyncio.gather(*(ws.close() for ws in self.clients), return_exceptions=True), 10
            )
        for task in list(self.tasks):
            task.cancel()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(asyncio.gather(*self.tasks, return_exceptions=True), 5)


async def measure_idle(seconds: float, probes: list[Callable[[], float]]) -> list[float]:
    """CPU seconds each probe reports over an idle stretch of `seconds`."""
    before = [p() for p in probes]
    await asyncio.sleep(seconds)
    return [p() - b for p, b in zip(probes, before, strict=True)]


def runqueue_wait_s(pid: int | str = "self") -> float:
    """Seconds a process's main thread has waited for a CPU while runnable: how much other
    processes on its core delayed it (/proc/<pid>/schedstat, second field)."""
    try:
        with open(f"/proc/{pid}/schedstat") as f:
            return int(f.read().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return float("nan")


def median(values: list[float]) -> float:
    """Median, NaN for no values."""
    return statistics.median(values) if values else float("nan")
