"""Change senders: how each target is told about a change, and how its frames are recognised.

Comhla gets real HTTP form POSTs (CSRF and all) through `HttpFormSender`, configured by a
`FormChange` (see fanout_comhla.comhla_change). L0 gets a line on a control socket; L1 gets the
chat tutorial's `{"message": ...}` over its own WebSocket.
"""

import asyncio
import contextlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from fanout_http import HttpPool
from websockets.asyncio.client import ClientConnection, connect

SEQ_KEY = '"seq":'


def frame_seq(frame: str) -> int | None:
    """The `seq` of a Comhla-shaped JSON frame without parsing all of it (None when null)."""
    at = frame.find(SEQ_KEY)
    if at < 0:
        return None
    start = at + len(SEQ_KEY)
    end = frame.find(",", start)
    value = frame[start:end].strip()
    return int(value) if value.isdigit() else None


def chat_message(k: int, frame_bytes: int) -> str:
    """A chat message whose echoed frame `{"message": ...}` is exactly `frame_bytes` long."""
    head = f"{k} "
    pad = frame_bytes - len(json.dumps({"message": head}))
    return head + "x" * max(0, pad)


@dataclass
class FormChange:
    """One kind of Comhla change: the form POST that makes it, and how to spot it in a frame.

    `marker(frame)` returns a number found in the frame (or None for frames that are not this
    change). When the marker is exact, `modulus` is None and the marker is k itself; when it
    is k modulo `modulus` (e.g. which of 20 activities the room moved to), k is the value with
    that remainder nearest to the one the frame's `seq` predicts.
    """

    path: Callable[[int], str]
    fields: Callable[[int, int], dict[str, str]]
    marker: Callable[[str], int | None]
    modulus: int | None
    # The room's `seq` before the first change, per session (from the fixture).
    base_seq: list[int]


class HttpFormSender:
    """Comhla's change path: a signed-in facilitator's CSRF-protected htmx POST."""

    def __init__(
        self,
        *,
        port: int,
        change: FormChange,
        session_cookie: str,
        csrf_page: Callable[[int], str],
        pool_size: int,
    ) -> None:
        self.port = port
        self.change = change
        self.session_cookie = session_cookie
        self.csrf_page = csrf_page
        self.pool = HttpPool("127.0.0.1", port, size=pool_size)
        self.csrf = ""
        self.origin = f"http://127.0.0.1:{port}"
        # Change k of a session is expected to carry seq = k + offset.
        self.offset = [base + 1 for base in change.base_seq]

    async def start(self) -> None:
        """GET a page as the facilitator to receive the csrftoken cookie."""
        response = await self.pool.request(
            "GET", self.csrf_page(0), headers={"Cookie": f"sessionid={self.session_cookie}"}
        )
        if response.status != 200:
            raise RuntimeError(f"GET {self.csrf_page(0)} answered {response.status}")
        for value in response.header_values("set-cookie"):
            name, _, rest = value.partition("=")
            if name.strip() == "csrftoken":
                self.csrf = rest.split(";", 1)[0]
        if not self.csrf:
            raise RuntimeError("the page set no csrftoken cookie")

    async def send(self, session_index: int, k: int) -> bool:
        """POST change k; True for a 2xx/3xx answer."""
        body = urlencode(self.change.fields(session_index, k)).encode()
        response = await self.pool.request(
            "POST",
            self.change.path(session_index),
            headers={
                "Cookie": f"sessionid={self.session_cookie}; csrftoken={self.csrf}",
                "X-CSRFToken": self.csrf,
                "HX-Request": "true",
                "Origin": self.origin,
                "Content-Type": "application/x-www-form-urlencoded",
            },
            body=body,
        )
        return 200 <= response.status < 400

    def identify(self, session_index: int, frame: str) -> tuple[int, int] | None:
        """(seq, k) for this change's frames."""
        seq = frame_seq(frame)
        if seq is None:
            return None
        mark = self.change.marker(frame)
        if mark is None:
            return None
        modulus = self.change.modulus
        if modulus is None:
            return seq, mark
        # seq - k drifts when a POST fails or commits late; follow it frame by frame (it moves
        # by at most a few per frame, far less than modulus / 2).
        guess = seq - self.offset[session_index]
        k = guess - ((guess - mark) % modulus)
        if guess - k > modulus // 2:
            k += modulus
        self.offset[session_index] = seq - k
        return seq, k

    async def close(self) -> None:
        """Close the pool."""
        await self.pool.close()


class SplitSender:
    """Changes posted to several server processes in turn (as a proxy would spread them)."""

    def __init__(self, senders: list[HttpFormSender]) -> None:
        self.senders = senders

    async def start(self) -> None:
        """Each sender fetches its CSRF cookie."""
        for sender in self.senders:
            await sender.start()

    async def send(self, session_index: int, k: int) -> bool:
        """Change k goes to process k modulo the number of processes."""
        return await self.senders[k % len(self.senders)].send(session_index, k)

    def identify(self, session_index: int, frame: str) -> tuple[int, int] | None:
        """(seq, k), read the same way whichever process sent the frame."""
        return self.senders[0].identify(session_index, frame)

    async def close(self) -> None:
        """Close every sender."""
        for sender in self.senders:
            await sender.close()


class L0Sender:
    """Tells the raw websockets server about a change over one control socket."""

    def __init__(self, *, port: int, session_ids: list[int]) -> None:
        self.url = f"ws://127.0.0.1:{port}/control"
        self.session_ids = session_ids
        self.ws: ClientConnection | None = None

    async def start(self) -> None:
        """Open the control socket."""
        self.ws = await connect(self.url, compression=None, ping_interval=None, open_timeout=10)

    async def send(self, session_index: int, k: int) -> bool:
        """One line: "<session id> <k>"."""
        assert self.ws is not None
        await self.ws.send(f"{self.session_ids[session_index]} {k}")
        return True

    def identify(self, session_index: int, frame: str) -> tuple[int, int] | None:
        """(seq, k) from the frame's seq and its data-k attribute."""
        seq = frame_seq(frame)
        at = frame.find('data-k=\\"')
        if seq is None or at < 0:
            return None
        start = at + len('data-k=\\"')
        return seq, int(frame[start : frame.index("\\", start)])

    async def close(self) -> None:
        """Close the control socket."""
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.ws.close(), 5)


class L1Sender:
    """The chat tutorial's way: a client in the room sends `{"message": ...}` on its socket."""

    PREFIX = '{"message": "'

    def __init__(self, *, port: int, rooms: list[str], frame_bytes: int) -> None:
        self.urls = [f"ws://127.0.0.1:{port}/ws/chat/{room}/" for room in rooms]
        self.origin = f"http://127.0.0.1:{port}"
        self.frame_bytes = frame_bytes
        self.sockets: list[ClientConnection] = []
        self.drains: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        """One sending socket per room (it receives its own echo, which is thrown away)."""
        for url in self.urls:
            ws = await connect(
                url,
                origin=self.origin,  # type: ignore[arg-type]
                compression=None,
                ping_interval=None,
                open_timeout=10,
            )
            self.sockets.append(ws)
            self.drains.append(asyncio.ensure_future(self._drain(ws)))

    @staticmethod
    async def _drain(ws: ClientConnection) -> None:
        with contextlib.suppress(Exception):
            async for _ in ws:
                pass

    async def send(self, session_index: int, k: int) -> bool:
        """Send the tutorial's JSON message."""
        message = chat_message(k, self.frame_bytes)
        await self.sockets[session_index].send(json.dumps({"message": message}))
        return True

    def identify(self, session_index: int, frame: str) -> tuple[int, int] | None:
        """(k, k): the chat frame has no seq of its own, so order is checked on k."""
        if not frame.startswith(self.PREFIX):
            return None
        start = len(self.PREFIX)
        end = frame.find(" ", start)
        if end < 0:
            return None
        k = int(frame[start:end])
        return k, k

    async def close(self) -> None:
        """Close the sending sockets."""
        for ws in self.sockets:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(ws.close(), 5)
        for task in self.drains:
            task.cancel()
