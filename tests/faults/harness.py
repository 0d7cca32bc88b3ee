"""The fault suite's moving parts: its own Redis, room clients that behave as the browser
script does, and the database's view of the truth to compare every client's room with.

A `RoomClient` follows static/js/comhla.js and the vendored hx-ws extension step by step
(the heartbeat and the reconnect delay are read from those files, so they cannot drift):
apply the snapshot, apply pushes in sequence order, fetch the snapshot over HTTP on a gap,
reconnect with hx-ws's backoff on the codes hx-ws reconnects on. What it "shows" is the set
of ideas (cards) its room holds. Adding an idea is a POST that is sent again, with the same
client id, after a connection error or a 503 "try again" — as a person pressing again would.
"""

import asyncio
import http.client
import json
import os
import random
import re
import signal
import subprocess
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

ROOT = Path(__file__).resolve().parents[2]
HEARTBEAT_SECONDS = (
    int(re.search(r"HEARTBEAT_MS = (\d+)", (ROOT / "static/js/comhla.js").read_text())[1]) / 1000  # type: ignore[index]
)
_BASE_HTML = (ROOT / "templates/base.html").read_text()
RECONNECT_MAX_SECONDS = int(re.search(r'"reconnectMaxDelay":(\d+)', _BASE_HTML)[1]) / 1000  # type: ignore[index]
# The close codes the browser reconnects on, as base.html configures hx-ws; anything else
# (4403 "not yours", 1000) ends the client. hx-ws's own defaults: 500 ms doubling, ±30 %.
RECONNECT_CODES = set(json.loads(re.search(r'"reconnectCodes":(\[[\d,]+\])', _BASE_HTML)[1]))  # type: ignore[index]
RECONNECT_BASE_SECONDS = 0.5
RECONNECT_JITTER = 0.3
CARD = re.compile(r'id="card-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"')
CSRF = "faultsuitecsrftoken0123456789abc"  # any 32 letters and digits is a valid secret
TRY_AGAIN_TEXT = "Please try again in a moment"


class RedisServer:
    """A redis-server of the test's own on loopback that can be paused, killed and restarted."""

    def __init__(self, port: int, log: Path) -> None:
        self.port = port
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """Where Comhla finds it."""
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Start it empty (no persistence: a restart forgets everything) and wait for PONG."""
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--logfile",
                str(self.log),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            ping = subprocess.run(
                ["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True
            )
            if ping.stdout.strip() == "PONG":
                return
            time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on {self.port}; see {self.log}")

    def pause(self) -> None:
        """Freeze it: connections stay open, nothing answers."""
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        """Let it answer again."""
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)

    def kill(self) -> None:
        """Kill it outright: every group, channel and presence entry is gone."""
        assert self.process is not None
        self.process.kill()
        self.process.wait(timeout=10)

    def stop(self) -> None:
        """Stop it at the end of a test."""
        if self.process is not None and self.process.poll() is None:
            self.resume()
            self.process.terminate()
            self.process.wait(timeout=10)


@dataclass
class Posted:
    """One idea a client set out to add, and every answer it got on the way."""

    client_id: str
    text: str
    answers: list[str] = field(default_factory=list)
    saved: bool = False


@dataclass
class RoomClient:
    """One person's phone in the room: a socket that only listens, and POSTs to change."""

    name: str
    port: int
    session_id: int
    board_id: int
    column_id: int
    cookie: str
    cards: set[str] = field(default_factory=set)
    last_seq: int | None = None
    connected: bool = False
    connections: int = 0
    gaps: int = 0
    resyncs: int = 0
    closes: Counter[int] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    posted: list[Posted] = field(default_factory=list)
    stopped: bool = False
    ended_with: int | None = None

    # -- HTTP -----------------------------------------------------------------------------

    def _http(self, method: str, path: str, body: str = "") -> tuple[int, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        headers = {
            "Cookie": f"{self.cookie}; csrftoken={CSRF}",
            "Origin": f"http://127.0.0.1:{self.port}",
            "X-CSRFToken": CSRF,
        }
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body or None, headers=headers)
            response = conn.getresponse()
            return response.status, response.read().decode("utf-8", "replace")
        finally:
            conn.close()

    async def add_card(self, text: str, *, give_up_after: float = 40.0) -> Posted:
        """Add an idea; press again (same client id) after a failure, until it is saved."""
        posted = Posted(client_id=str(uuid.uuid4()), text=text)
        self.posted.append(posted)
        body = f"text={text.replace(' ', '+')}&column={self.column_id}&client_id={posted.client_id}"
        path = f"/sessions/{self.session_id}/boards/{self.board_id}/cards/"
        deadline = time.monotonic() + give_up_after
        while time.monotonic() < deadline:
            try:
                status, html = await asyncio.to_thread(self._http, "POST", path, body)
            except OSError as exc:
                posted.answers.append(f"network: {type(exc).__name__}")
            else:
                posted.answers.append(str(status))
                if status in (200, 204, 302):
                    posted.saved = True
                    return posted
                if status == 503:
                    assert TRY_AGAIN_TEXT in html or "try again" in html, html[:500]
                    assert "Traceback" not in html
                else:
                    raise AssertionError(f"{self.name}: POST answered {status}: {html[:800]}")
            await asyncio.sleep(1.0)
        return posted

    async def resync(self) -> None:
        """Fetch the room's snapshot over HTTP, as comhla.js does on a sequence gap."""
        self.resyncs += 1
        try:
            status, text = await asyncio.to_thread(
                self._http, "GET", f"/sessions/{self.session_id}/room/snapshot/"
            )
        except OSError:
            return  # the next push, heartbeat or reconnect will try again
        if status == 200:
            self._apply_snapshot(json.loads(text))

    # -- the socket -----------------------------------------------------------------------

    def _apply_snapshot(self, frame: dict[str, Any]) -> None:
        self.cards = set(CARD.findall(frame["content"]))
        self.last_seq = frame["seq"]

    async def _on_frame(self, raw: str) -> None:
        frame = json.loads(raw)
        if frame["event"] == "snapshot":
            self._apply_snapshot(frame)
            return
        seq = frame.get("seq")
        if not isinstance(seq, int):
            return  # presence and personal panels: no ideas in them
        if self.last_seq is not None and seq <= self.last_seq:
            return
        gap = self.last_seq is not None and seq > self.last_seq + 1
        self.last_seq = seq
        self.cards |= set(CARD.findall(frame["content"]))
        if gap:
            self.gaps += 1
            await self.resync()

    async def _heartbeat(self, ws: Any) -> None:
        while True:
            await asyncio.sleep(HEARTBEAT_SECONDS)
            await ws.send("ping")

    async def run(self) -> None:
        """Stay in the room until stopped, reconnecting as hx-ws does."""
        attempt = 0
        uri = f"ws://127.0.0.1:{self.port}/ws/sessions/{self.session_id}/"
        headers = {"Cookie": self.cookie, "Origin": f"http://127.0.0.1:{self.port}"}
        while not self.stopped:
            code = 1006
            try:
                async with connect(
                    uri,
                    additional_headers=headers,
                    max_size=8 * 1024 * 1024,
                    open_timeout=60,  # a browser waits for a slow handshake too
                    ping_interval=None,
                    close_timeout=1,
                ) as ws:
                    attempt = 0
                    self.connections += 1
                    self.connected = True
                    beat = asyncio.create_task(self._heartbeat(ws))
                    try:
                        async for raw in ws:
                            await self._on_frame(str(raw))
                    finally:
                        beat.cancel()
                    code = ws.close_code or 1006
            except ConnectionClosed as exc:
                code = exc.rcvd.code if exc.rcvd else 1006
            except (OSError, InvalidHandshake, TimeoutError, EOFError) as exc:
                code = 1006
                self.errors[f"{type(exc).__name__}: {exc}"[:120]] += 1
            self.connected = False
            self.closes[code] += 1
            if self.stopped:
                return
            if code not in RECONNECT_CODES:
                self.ended_with = code
                return
            attempt += 1
            delay = min(RECONNECT_BASE_SECONDS * 2 ** (attempt - 1), RECONNECT_MAX_SECONDS)
            delay += (2 * random.random() - 1) * delay * RECONNECT_JITTER
            await asyncio.sleep(max(0.0, delay))


def rss_kib(pid: int) -> int:
    """A process's resident memory, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


def fault_env_name() -> str:
    """A channel prefix of this run's own, so parallel runs never share groups."""
    return f"comhla-faults-{os.getpid()}-{random.randrange(10**6)}"


IDEAS_ON_SCREEN = (
    "() => [Array.from(document.querySelectorAll('li.comhla-idea[id^=\"card-\"]'),"
    " el => el.dataset.card), window.comhla ? window.comhla.lastSeq() : null,"
    " document.querySelector('[data-room]').getAttribute('data-connection')]"
)


@dataclass
class BrowserPhone:
    """A real Chromium page in the room (the browser's own script, not our imitation)."""

    name: str
    page: Any
    cards: set[str] = field(default_factory=set)
    last_seq: int | None = None
    connected: bool = False
    trouble: str = ""

    async def look(self) -> None:
        """Read what the screen shows now."""
        try:
            cards, seq, state = await self.page.evaluate(IDEAS_ON_SCREEN)
        except Exception as exc:  # the page is between documents; look again next time
            self.trouble = f"{type(exc).__name__}: {exc}"[:300]
            return
        self.cards, self.last_seq, self.connected = set(cards), seq, state == "ok"


@asynccontextmanager
async def chromium_phones(
    session_id: int, base_urls: list[str], cookies: list[str]
) -> AsyncIterator[list[BrowserPhone]]:
    """Real Chromium pages on phone-sized screens, each signed in and in the room."""
    from playwright.async_api import async_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            phones = []
            for i, (url, cookie) in enumerate(zip(base_urls, cookies, strict=True)):
                context = await browser.new_context(viewport=PHONE, base_url=url)
                name, value = cookie.split("=", 1)
                await context.add_cookies([{"name": name, "value": value, "url": url}])
                page = await context.new_page()
                await page.goto(f"/sessions/{session_id}/room/")
                phones.append(BrowserPhone(name=f"chromium-{i + 1}", page=page))
            yield phones
        finally:
            await browser.close()
