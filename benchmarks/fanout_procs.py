"""Server processes for the benchmark: start them pinned to a core, read their CPU and memory."""

import contextlib
import os
import socket
import subprocess
import tempfile
import time
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used (from /proc/<pid>/stat)."""
    with open(f"/proc/{pid}/stat") as f:
        stat = f.read()
    fields = stat[stat.rindex(")") + 2 :].split()
    # Fields 14 and 15 of stat (utime, stime) are 12 and 13 after the command name.
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def rss_bytes(pid: int) -> int:
    """Resident memory of a process (from /proc/<pid>/statm)."""
    with open(f"/proc/{pid}/statm") as f:
        return int(f.read().split()[1]) * PAGE_SIZE


def find_pid(command_name: str) -> int | None:
    """The lowest pid whose /proc comm is exactly `command_name`, if any."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        with contextlib.suppress(OSError), open(f"/proc/{entry}/comm") as f:
            if f.read().strip() == command_name:
                found.append(int(entry))
    return min(found) if found else None


def pin_to(core: int) -> None:
    """Run the calling process on one core only."""
    os.sched_setaffinity(0, {core})


def child_setup(core: int) -> None:
    """In a server child: pin to its core and drop any priority the generator took."""
    pin_to(core)
    os.setpriority(os.PRIO_PROCESS, 0, 0)


def total_cpu_seconds(command_name: str) -> float:
    """CPU seconds of every process named `command_name` (e.g. all PostgreSQL backends)."""
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            with open(f"/proc/{entry}/comm") as f:
                if f.read().strip() != command_name:
                    continue
            total += cpu_seconds(int(entry))
    return total


class ServerProcess:
    """A server we started, pinned to one core, with its output in a log file."""

    def __init__(
        self, *, name: str, cmd: list[str], env: dict[str, str], cwd: Path, core: int, port: int
    ) -> None:
        self.name = name
        self.port = port
        self.log = Path(tempfile.gettempdir()) / f"comhla-bench-{name}-{port}.log"
        self.process = subprocess.Popen(
            cmd,
            cwd=cwd,
            env=env,
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
            preexec_fn=lambda: child_setup(core),
        )
        self.pid = self.process.pid

    def wait_listening(self, timeout_s: float = 30.0) -> None:
        """Wait until the port accepts connections (bounded)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"{self.name} exited early; see {self.log}:\n{self.log.read_text()[-3000:]}"
                )
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5),
            ):
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"{self.name} did not listen within {timeout_s} s; see {self.log}")

    def cpu(self) -> float:
        """CPU seconds used so far."""
        return cpu_seconds(self.pid)

    def rss(self) -> int:
        """Resident memory in bytes."""
        return rss_bytes(self.pid)

    def stop(self) -> None:
        """Terminate it and wait (bounded), then kill if needed."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


class ServerGroup:
    """Several server processes run as one target (Comhla's processes behind a proxy): CPU and
    memory are their sums; the clients are split across `ports`."""

    def __init__(self, members: list[ServerProcess]) -> None:
        self.members = members
        self.name = members[0].name
        self.port = members[0].port
        self.ports = [m.port for m in members]
        self.pids = [m.pid for m in members]

    def wait_listening(self, timeout_s: float = 30.0) -> None:
        """Wait until every member listens."""
        for member in self.members:
            member.wait_listening(timeout_s)

    def cpu(self) -> float:
        """CPU seconds used so far by all members."""
        return sum(m.cpu() for m in self.members)

    def rss(self) -> int:
        """Resident memory of all members in bytes."""
        return sum(m.rss() for m in self.members)

    def stop(self) -> None:
        """Stop every member."""
        for member in self.members:
            member.stop()
