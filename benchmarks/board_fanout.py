"""Realtime fan-out benchmark (DESIGN.md §8): Comhla beside L0 (raw websockets) and L1
(the Channels tutorial chat), in one run, on the same rooms and the same frame size.

    make bench                                  # the full run (about 4-5 minutes)
    .venv/bin/python benchmarks/board_fanout.py --quick
    .venv/bin/python benchmarks/board_fanout.py --targets comhla --quick

Comhla: one daphne process (project.asgi) on PostgreSQL + Redis; 10 sessions x 40 signed-in
people on /ws/sessions/<id>/; a facilitator POSTs changes over HTTP (with CSRF). Servers run on
core 0, this generator on core 1. Open-loop: changes are scheduled at a fixed rate and latency
counts from the scheduled time to the arrival at every client of the room. A phase where the
generator itself was the bottleneck (CPU > 90 % or schedule lag p99 > 10 ms) is marked invalid.
"""

import argparse
import asyncio
import contextlib
import math
import os
import platform
import shlex
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from fanout_comhla import Fixture  # noqa: E402
from fanout_load import (  # noqa: E402
    ChangeSender,
    ClientSpec,
    Generator,
    PhaseResult,
    measure_idle,
    runqueue_wait_s,
)
from fanout_procs import (  # noqa: E402
    ServerGroup,
    ServerProcess,
    cpu_seconds,
    find_pid,
    free_port,
    pin_to,
    total_cpu_seconds,
)
from fanout_senders import HttpFormSender, L0Sender, L1Sender, SplitSender  # noqa: E402

SERVER_CORE = 0
GENERATOR_NICE = -10
GENERATOR_CORE = 1
CAPACITY_P99_MS = 100.0
STEP_ATTEMPTS = 3
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/comhla_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/5"
CHANNEL_PREFIX = "comhlabench"
TARGETS = ("comhla", "comhla2", "l1", "l0")
TARGET_TITLES = {
    "comhla": "Comhla",
    "comhla2": "Comhla, 2 processes",
    "l1": "L1 Channels chat",
    "l0": "L0 raw websockets",
}


@dataclass
class Plan:
    """How long and how hard each part runs (all bounded)."""

    sessions: int
    clients: int
    steady_rate: float
    idle_s: float
    steady_s: float
    step_s: float
    drain_s: float
    step_rates: list[float]
    target_budget_s: float


def make_plan(args: argparse.Namespace) -> Plan:
    """Default run (about 4-5 minutes) or --quick (about 2-3 minutes)."""
    if args.quick:
        return Plan(
            sessions=args.sessions,
            clients=args.clients,
            steady_rate=5,
            idle_s=5,
            steady_s=8,
            step_s=3,
            drain_s=2,
            step_rates=[0.5, 1, 2, 3, 5, 10, 15, 20, 30, 40, 60],
            target_budget_s=100,
        )
    return Plan(
        sessions=args.sessions,
        clients=args.clients,
        steady_rate=5,
        idle_s=10,
        steady_s=20,
        step_s=5,
        drain_s=3,
        step_rates=[0.5, 1, 2, 3, 5, 10, 15, 20, 30, 40, 60, 80],
        target_budget_s=150,
    )


@dataclass
class TargetResult:
    """Everything measured for one target."""

    name: str
    sockets: int = 0
    handshakes_per_s: float = float("nan")
    memory_per_socket_kib: float = float("nan")
    idle_cpu_percent: float = float("nan")
    idle_redis_cpu_percent: float = float("nan")
    steady: PhaseResult | None = None
    steps: list[PhaseResult] = field(default_factory=list)
    capacity_per_s: float = float("nan")
    capacity_note: str = ""
    dropped_under_load: int = 0
    failed_handshakes: int = 0
    dropped_idle: int = 0
    error: str = ""


def redis_probe() -> tuple[int | None, "RedisCpu"]:
    """The local redis-server's pid and a CPU reader (0 when it cannot be found)."""
    pid = find_pid("redis-server")
    return pid, RedisCpu(pid)


class RedisCpu:
    """CPU seconds of redis-server (shared with the other engineers' tests: noisy)."""

    def __init__(self, pid: int | None) -> None:
        self.pid = pid

    def __call__(self) -> float:
        if self.pid is None:
            return 0.0
        try:
            return cpu_seconds(self.pid)
        except OSError:
            return 0.0


def postgres_cpu() -> float:
    """CPU seconds of every PostgreSQL process (shared with other engineers: indicative)."""
    return total_cpu_seconds("postgres")


def flush_redis(url: str) -> None:
    """Empty the benchmark's own Redis database (db 5), never another one."""
    import redis

    redis.Redis.from_url(url).flushdb()


def start_server(
    name: str, *, env: dict[str, str], frame_bytes: int
) -> ServerProcess | ServerGroup:
    """Start one target's server on core 0 (Comhla's two processes share that core: the
    generator needs the other, so this line shows correctness and cost, not scaling)."""
    port = free_port()
    daphne = str(Path(sys.executable).with_name("daphne"))
    if name == "comhla2":
        members = []
        for _ in range(2):
            each = free_port()
            cmd = [daphne, "-b", "127.0.0.1", "-p", str(each), "project.asgi:application"]
            members.append(
                ServerProcess(name=name, cmd=cmd, env=env, cwd=ROOT, core=SERVER_CORE, port=each)
            )
        return ServerGroup(members)
    if name == "comhla":
        cmd = [daphne, "-b", "127.0.0.1", "-p", str(port), "project.asgi:application"]
        return ServerProcess(name=name, cmd=cmd, env=env, cwd=ROOT, core=SERVER_CORE, port=port)
    if name == "l1":
        l1_env = dict(env)
        l1_env.update(
            {
                "DJANGO_SETTINGS_MODULE": "l1chat.settings",
                "PYTHONPATH": str(HERE),
                "CHANNEL_PREFIX": f"{CHANNEL_PREFIX}l1",
            }
        )
        cmd = [daphne, "-b", "127.0.0.1", "-p", str(port), "l1chat.asgi:application"]
        return ServerProcess(name=name, cmd=cmd, env=l1_env, cwd=HERE, core=SERVER_CORE, port=port)
    cmd = [
        sys.executable,
        str(HERE / "l0_server.py"),
        "--port",
        str(port),
        "--frame-bytes",
        str(frame_bytes),
    ]
    return ServerProcess(name=name, cmd=cmd, env=env, cwd=ROOT, core=SERVER_CORE, port=port)


def build(
    name: str, server: ServerProcess | ServerGroup, fixture: Fixture
) -> tuple[ChangeSender, list[ClientSpec]]:
    """The sender and the client list for one target (same rooms, same sizes)."""
    from fanout_comhla import comhla_change

    port = server.port
    origin = f"http://127.0.0.1:{port}"
    specs: list[ClientSpec] = []
    sender: ChangeSender
    if name in ("comhla", "comhla2"):
        ports = server.ports if isinstance(server, ServerGroup) else [port]
        change = comhla_change(fixture)
        senders = [
            HttpFormSender(
                port=each,
                change=change,
                session_cookie=fixture.facilitator_cookie,
                csrf_page=lambda s: f"/sessions/{fixture.session_ids[s]}/room/",
                # One keep-alive connection per session's facilitator. More would only move
                # the queue into daphne, where each request thread holds its own PostgreSQL
                # connection and can exhaust the shared server's clients.
                pool_size=len(fixture.session_ids),
            )
            for each in ports
        ]
        sender = senders[0] if len(senders) == 1 else SplitSender(senders)
        n = 0
        for s, sid in enumerate(fixture.session_ids):
            for cookie in fixture.participant_cookies[s]:
                each = ports[n % len(ports)]
                n += 1
                specs.append(
                    ClientSpec(
                        session_index=s,
                        url=f"ws://127.0.0.1:{each}/ws/sessions/{sid}/",
                        headers={"Cookie": f"sessionid={cookie}"},
                        origin=f"http://127.0.0.1:{each}",
                        heartbeat="ping",
                    )
                )
    elif name == "l1":
        rooms = [f"bench{sid}" for sid in fixture.session_ids]
        sender = L1Sender(port=port, rooms=rooms, frame_bytes=fixture.frame_bytes)
        for s, room_name in enumerate(rooms):
            for _ in fixture.participant_cookies[s]:
                specs.append(
                    ClientSpec(
                        session_index=s,
                        url=f"ws://127.0.0.1:{port}/ws/chat/{room_name}/",
                        headers={},
                        origin=origin,
                        expect_snapshot=False,
                    )
                )
    else:
        sender = L0Sender(port=port, session_ids=fixture.session_ids)
        for s, sid in enumerate(fixture.session_ids):
            for _ in fixture.participant_cookies[s]:
                specs.append(
                    ClientSpec(
                        session_index=s,
                        url=f"ws://127.0.0.1:{port}/ws/sessions/{sid}/",
                        headers={},
                        origin=None,
                    )
                )
    return sender, specs


def server_wait_s(server: ServerProcess | ServerGroup) -> float:
    """Seconds the server's processes waited for a CPU while runnable."""
    pids = server.pids if isinstance(server, ServerGroup) else [server.pid]
    return sum(runqueue_wait_s(pid) for pid in pids)


async def run_target(
    name: str, *, fixture: Fixture, plan: Plan, env: dict[str, str], redis_cpu: RedisCpu
) -> TargetResult:
    """Start the server, connect everyone, measure idle, steady and the step-up; stop."""
    result = TargetResult(name=name)
    flush_redis(env["REDIS_URL"])
    server = start_server(name, env=env, frame_bytes=fixture.frame_bytes)
    started = time.monotonic()
    try:
        server.wait_listening()
        sender, specs = build(name, server, fixture)
        await asyncio.wait_for(sender.start(), 30)
        generator = Generator(sender=sender, sessions=plan.sessions)
        try:
            await asyncio.sleep(1.0)
            rss0 = server.rss()
            result.handshakes_per_s = await generator.connect_all(
                specs, concurrency=50, timeout_s=30
            )
            result.sockets = len(generator.clients)
            result.failed_handshakes = generator.failed_handshakes
            await generator.settle(quiet_s=1.0, timeout_s=30)
            result.memory_per_socket_kib = (server.rss() - rss0) / 1024 / max(1, result.sockets)
            # L0 does not use Redis: Redis CPU in its run is the other engineers' load.
            phase_redis_cpu = RedisCpu(None) if name == "l0" else redis_cpu
            result.steady = await generator.run_phase(
                name="steady",
                rate_per_session=plan.steady_rate,
                duration_s=plan.steady_s,
                drain_s=plan.drain_s,
                server_cpu=server.cpu,
                redis_cpu=phase_redis_cpu,
                postgres_cpu=postgres_cpu,
                server_wait=lambda: server_wait_s(server),
            )
            # Let a backlog from an overloaded steady phase clear before stepping up.
            await generator.settle(quiet_s=1.0, timeout_s=30)
            passing = []
            if result.steady.passes(CAPACITY_P99_MS) and not result.steady.generator_bound:
                passing.append(result.steady)
            for rate in plan.step_rates:
                if time.monotonic() - started > plan.target_budget_s:
                    result.capacity_note = "time budget reached"
                    break
                # Other work on the machine can starve the generator for a moment: a
                # generator-bound step is tried again (at most STEP_ATTEMPTS times in all).
                for attempt in range(STEP_ATTEMPTS):
                    step = await generator.run_phase(
                        name=f"step {rate:g}/s" + (f" (try {attempt + 1})" if attempt else ""),
                        rate_per_session=rate,
                        duration_s=plan.step_s,
                        drain_s=plan.drain_s,
                        server_cpu=server.cpu,
                        redis_cpu=phase_redis_cpu,
                        postgres_cpu=postgres_cpu,
                        server_wait=lambda: server_wait_s(server),
                    )
                    result.steps.append(step)
                    if not step.generator_bound:
                        break
                    await generator.settle(quiet_s=1.0, timeout_s=10)
                if step.generator_bound:
                    result.capacity_note = "generator-bound beyond this: a lower bound"
                    break
                if not step.passes(CAPACITY_P99_MS):
                    break
                passing.append(step)
            else:
                result.capacity_note = "every step passed: a lower bound"
            if passing:
                result.capacity_per_s = max(p.deliveries_per_s for p in passing)
            result.dropped_under_load = generator.closed_clients
            # Idle last: no change reaches the server for plan.idle_s seconds. The sockets the
            # server drops meanwhile are counted (see README: redis-py 8 socket_timeout).
            await generator.settle(quiet_s=1.0, timeout_s=15)
            before = generator.closed_clients
            idle_server, idle_redis = await measure_idle(plan.idle_s, [server.cpu, redis_cpu])
            result.idle_cpu_percent = 100 * idle_server / plan.idle_s
            result.idle_redis_cpu_percent = 100 * idle_redis / plan.idle_s
            result.dropped_idle = generator.closed_clients - before
        finally:
            await generator.close()
            await sender.close()
    except Exception as exc:
        result.error = f"{type(exc).__name__}: {exc}"
    finally:
        server.stop()
    return result


# ---------------------------------------------------------------- report


def pg_per_change(phase: PhaseResult) -> str:
    """PostgreSQL CPU per change in ms; n/a when backends exited during the phase (their CPU
    leaves the sum, so the difference cannot be trusted)."""
    if phase.postgres_cpu_s < 0:
        return "n/a"
    return fmt(phase.postgres_cpu_s / max(1, phase.changes) * 1e3, 2)


def fmt(value: float, digits: int = 1) -> str:
    """A number, or n/a."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    return f"{value:,.{digits}f}"


def verdict(ok: bool | None) -> str:
    """met / MISSED / n/a."""
    if ok is None:
        return "n/a"
    return "met" if ok else "**MISSED**"


def report(
    results: dict[str, TargetResult], plan: Plan, meta: dict[str, str], fixture: Fixture
) -> str:
    """The markdown table, the step-up detail, versions, commit and command."""
    names = [n for n in TARGETS if n in results]
    lines = []
    header = "| measure | " + " | ".join(TARGET_TITLES[n] for n in names)
    header += " | target (DESIGN.md §8) | Comhla |"
    lines += [header, "|" + "---|" * (len(names) + 3)]
    c = results.get("comhla")
    l0 = results.get("l0")
    l1 = results.get("l1")

    def row(label: str, cells: list[str], target: str, ok: bool | None) -> None:
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {target} | {verdict(ok)} |")

    def steady(n: str) -> PhaseResult | None:
        return results[n].steady

    def cells(fn: Callable[[TargetResult], str]) -> list[str]:
        out = []
        for n in names:
            r = results[n]
            out.append(f"error: {r.error[:60]}" if r.error and r.steady is None else fn(r))
        return out

    cs = c.steady if c else None
    row(
        "steady p50 / p95 / p99 latency (ms)",
        cells(
            lambda r: (
                "n/a"
                if r.steady is None
                else f"{fmt(r.steady.percentile(50))} / {fmt(r.steady.percentile(95))} / {fmt(r.steady.percentile(99))}"
            )
        ),
        "≤ 10 / 25 / 50",
        None
        if cs is None
        else cs.percentile(50) <= 10 and cs.percentile(95) <= 25 and cs.percentile(99) <= 50,
    )
    row(
        "steady lost / out of order / failed POSTs",
        cells(
            lambda r: (
                "n/a"
                if r.steady is None
                else f"{r.steady.lost} / {r.steady.out_of_order} / {r.steady.failed_sends}"
            )
        ),
        "0 / 0",
        None if cs is None else cs.lost == 0 and cs.out_of_order == 0,
    )
    row(
        "steady deliveries/s (offered)",
        cells(
            lambda r: (
                "n/a"
                if r.steady is None
                else f"{fmt(r.steady.deliveries_per_s, 0)} ({fmt(r.steady.offered_per_s, 0)})"
            )
        ),
        "2,000",
        None if cs is None else cs.lost == 0,
    )
    l0_cpu = l0.steady.cpu_per_delivery_us if l0 and l0.steady else float("nan")
    row(
        "steady CPU per delivery, server + Redis (µs)",
        cells(
            lambda r: (
                "n/a"
                if r.steady is None
                else f"{fmt(r.steady.cpu_per_delivery_us, 0)} ({fmt(r.steady.server_cpu_s / max(1, r.steady.delivered) * 1e6, 0)} + {fmt(r.steady.redis_cpu_s / max(1, r.steady.delivered) * 1e6, 0)})"
            )
        ),
        "≤ 120, ≤ 3 x L0",
        None
        if cs is None
        else cs.cpu_per_delivery_us <= 120
        and (math.isnan(l0_cpu) or cs.cpu_per_delivery_us <= 3 * l0_cpu),
    )
    row(
        "steady CPU per change, server + Redis (+ PostgreSQL) (ms)",
        cells(
            lambda r: (
                "n/a"
                if r.steady is None
                else f"{fmt(r.steady.cpu_per_change_ms, 2)} (+ {pg_per_change(r.steady)})"
            )
        ),
        "—",
        None,
    )
    cap_ok: bool | None = None
    if c and not math.isnan(c.capacity_per_s):
        cap_ok = c.capacity_per_s >= 6000
        if l0 and not math.isnan(l0.capacity_per_s):
            cap_ok = cap_ok and c.capacity_per_s >= 0.3 * l0.capacity_per_s
        if l1 and not math.isnan(l1.capacity_per_s):
            cap_ok = cap_ok and c.capacity_per_s >= 0.9 * l1.capacity_per_s
    elif c:
        cap_ok = False
    row(
        "capacity: largest deliveries/s with p99 ≤ 100 ms and 0 lost",
        cells(
            lambda r: (
                fmt(r.capacity_per_s, 0)
                + (" (≥, generator-bound)" if "generator" in r.capacity_note else "")
                + (" (≥)" if "every step" in r.capacity_note else "")
            )
        ),
        "≥ 6,000; ≥ 0.3 x L0; ≥ 0.9 x L1",
        cap_ok,
    )
    row(
        "400 idle sockets: server CPU % (Redis CPU %, shared)",
        cells(lambda r: f"{fmt(r.idle_cpu_percent, 2)} ({fmt(r.idle_redis_cpu_percent, 2)})"),
        "≤ 2 %",
        None if c is None or math.isnan(c.idle_cpu_percent) else c.idle_cpu_percent <= 2,
    )
    row(
        "sockets closed by the server: under load / while idle",
        cells(lambda r: f"{r.dropped_under_load} / {r.dropped_idle}"),
        "0 / 0",
        None if c is None else c.dropped_under_load == 0 and c.dropped_idle == 0,
    )
    row(
        "memory per socket (KiB, RSS delta / sockets)",
        cells(lambda r: f"{fmt(r.memory_per_socket_kib, 1)} ({r.sockets} sockets)"),
        "≤ 64 KiB",
        None if c is None or math.isnan(c.memory_per_socket_kib) else c.memory_per_socket_kib <= 64,
    )
    row(
        "connect: handshakes/s (50 at a time, with snapshot); failed handshakes",
        cells(lambda r: f"{fmt(r.handshakes_per_s, 0)}; {r.failed_handshakes}"),
        "≥ 300 (storm)",
        None if c is None or math.isnan(c.handshakes_per_s) else c.handshakes_per_s >= 300,
    )
    row(
        "generator, steady: CPU % / schedule lag p99 (ms) / waited for a CPU (s)",
        cells(
            lambda r: (
                "n/a"
                if r.steady is None
                else f"{fmt(r.steady.generator_cpu_percent, 0)} / {fmt(r.steady.schedule_lag_p99_ms, 2)} / {fmt(r.steady.generator_runqueue_wait_ms / 1000, 1)}"
                + (" INVALID" if r.steady.generator_bound else "")
            )
        ),
        "≤ 90 / ≤ 10 / —",
        None,
    )
    lines.append("")
    lines.append(
        f"Capacity step-up (rate per session x {plan.sessions} sessions x {plan.clients} clients):"
    )
    lines.append("")
    lines.append(
        "| target | step | offered/s | delivered/s | p50 ms | p99 ms | lost | out of order "
        "| server CPU % | server waited for a CPU ms | CPU µs/delivery | gen CPU % | lag p99 ms "
        "| gen waited for a CPU ms | pass |"
    )
    lines.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for n in names:
        r = results[n]
        phases = ([r.steady] if r.steady else []) + r.steps
        for p in phases:
            status = (
                "gen-bound" if p.generator_bound else ("yes" if p.passes(CAPACITY_P99_MS) else "no")
            )
            lines.append(
                f"| {TARGET_TITLES[n]} | {p.name} | {fmt(p.offered_per_s, 0)} "
                f"| {fmt(p.deliveries_per_s, 0)} | {fmt(p.percentile(50))} | {fmt(p.percentile(99))} "
                f"| {p.lost} | {p.out_of_order} | {fmt(100 * p.server_cpu_s / p.total_wall_s, 0)} "
                f"| {fmt(p.server_runqueue_wait_ms, 0)} "
                f"| {fmt(p.cpu_per_delivery_us, 0)} "
                f"| {fmt(p.generator_cpu_percent, 0)} | {fmt(p.schedule_lag_p99_ms, 2)} "
                f"| {fmt(p.generator_runqueue_wait_ms, 0)} | {status} |"
            )
        if r.error:
            lines.append(f"| {TARGET_TITLES[n]} | error | {r.error[:120]} |||||||||| |")
    lines.append("")
    invalid = [
        f"{TARGET_TITLES[n]} steady"
        for n in names
        if results[n].steady is not None and results[n].steady.generator_bound  # type: ignore[union-attr]
    ]
    lines.append(
        "Validity: "
        + (
            "**INVALID** (generator was the bottleneck in: " + ", ".join(invalid) + ")"
            if invalid
            else "valid (the generator stayed under 90 % CPU and 10 ms schedule lag p99 in every steady phase)"
        )
    )
    lines.append("")
    lines.append(
        f"- frame: {fixture.frame_bytes} bytes (Comhla's room `activity_changed` frame; L0 and L1 padded to the same size)"
    )
    for key, value in meta.items():
        lines.append(f"- {key}: {value}")
    return "\n".join(lines)


def versions(redis_url: str) -> dict[str, str]:
    """Python, Django, Channels, channels-redis, daphne, websockets, Redis and PostgreSQL."""
    from importlib.metadata import version

    import redis
    from django.db import connection

    info = redis.Redis.from_url(redis_url).info("server")
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        row = cursor.fetchone()
        pg = row[0] if row else "?"
    names = ["django", "channels", "channels-redis", "daphne", "websockets", "twisted"]
    parts = [f"python {platform.python_version()}"] + [f"{n} {version(n)}" for n in names]
    parts += [f"redis-server {info.get('redis_version')}", f"postgresql {pg}"]
    return {"versions": ", ".join(parts)}


def git_commit() -> str:
    """HEAD, marked dirty when the tree has uncommitted changes."""
    head = subprocess.run(
        ["git", "rev-parse", "--short=12", "HEAD"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=10,
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True, timeout=10
    ).stdout.strip()
    return head + (" (with uncommitted changes)" if dirty else "")


def main() -> int:
    """Parse arguments, prepare the database, run every target, print the report."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="shorter phases (about 2-3 minutes)")
    parser.add_argument(
        "--targets", default=",".join(TARGETS), help="comma list of comhla,comhla2,l1,l0"
    )
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--clients", type=int, default=40, help="clients per session")
    parser.add_argument("--output", type=Path, help="also write the report to this file")
    args = parser.parse_args()
    targets = [t for t in args.targets.split(",") if t]
    unknown = set(targets) - set(TARGETS)
    if unknown:
        parser.error(f"unknown targets: {', '.join(sorted(unknown))}")
    plan = make_plan(args)

    if len(os.sched_getaffinity(0)) < 2 and os.cpu_count() and os.cpu_count() < 2:  # type: ignore[operator]
        print("warning: fewer than 2 cores; server and generator will share one", file=sys.stderr)
    with contextlib.suppress(OSError):
        pin_to(GENERATOR_CORE)
    # The generator uses little CPU but must run on time: PostgreSQL (unpinned, not ours) and
    # other work share its core. A higher priority keeps its schedule; needs root, else skipped.
    niceness = "default priority"
    with contextlib.suppress(OSError):
        os.setpriority(os.PRIO_PROCESS, 0, GENERATOR_NICE)
        niceness = f"generator at nice {GENERATOR_NICE}"

    env = dict(os.environ)
    env.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    env["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL)
    env["CHANNEL_PREFIX"] = CHANNEL_PREFIX
    env["PYTHONUNBUFFERED"] = "1"
    env.pop("DJANGO_SETTINGS_MODULE", None)
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "REDIS_URL", "CHANNEL_PREFIX")})

    from fanout_comhla import create_fixture, django_setup, ensure_database, refresh_base_seq

    started = datetime.now(UTC)
    load_before = os.getloadavg()
    print(f"preparing {env['DATABASE_URL']} ...", file=sys.stderr)
    ensure_database(env["DATABASE_URL"])
    django_setup()
    fixture = create_fixture(sessions=plan.sessions, clients=plan.clients)
    meta = versions(env["REDIS_URL"])
    from django.db import connections

    connections.close_all()
    redis_pid, redis_cpu = redis_probe()
    results: dict[str, TargetResult] = {}
    for name in targets:
        print(f"running {TARGET_TITLES[name]} ...", file=sys.stderr)
        refresh_base_seq(fixture)  # an earlier Comhla target moved the rooms' seq on
        results[name] = asyncio.run(
            run_target(name, fixture=fixture, plan=plan, env=env, redis_cpu=redis_cpu)
        )
        if results[name].error:
            print(f"  {name}: {results[name].error}", file=sys.stderr)
    finished = datetime.now(UTC)
    load_after = os.getloadavg()
    meta.update(
        {
            "date": f"{started:%Y-%m-%d %H:%M} - {finished:%H:%M} UTC",
            "git commit": git_commit(),
            "command": shlex.join(sys.orig_argv),
            "machine": f"{os.cpu_count()} cores, servers pinned to core {SERVER_CORE}, generator to core {GENERATOR_CORE}; "
            f"PostgreSQL and Redis unpinned and shared with other engineers' work "
            f"(load average before {load_before[0]:.2f}, after {load_after[0]:.2f}); {niceness}",
            "redis-server pid": str(redis_pid)
            if redis_pid
            else "not found (Redis CPU not counted)",
            "plan": f"{plan.sessions} sessions x {plan.clients} clients; idle {plan.idle_s:g} s; steady "
            f"{plan.steady_rate:g}/s per session for {plan.steady_s:g} s; steps {plan.step_s:g} s each "
            f"at {', '.join(f'{r:g}' for r in plan.step_rates)} changes/s per session; drain {plan.drain_s:g} s",
        }
    )
    text = report(results, plan, meta, fixture)
    print(text)
    if args.output:
        args.output.write_text(text + "\n")
    return 1 if any(r.error for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
