"""A tiny keep-alive HTTP/1.1 client on asyncio streams (the venv has no aiohttp or httpx).

Enough for the benchmark's change senders: a GET for the CSRF cookie and form POSTs.
"""

import asyncio
import contextlib
from dataclasses import dataclass

MAX_HEADER_LINES = 200
MAX_BODY_BYTES = 8 * 1024 * 1024


@dataclass
class Response:
    """Status, headers (lower-cased names, repeated ones kept) and body."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header_values(self, name: str) -> list[str]:
        """Every value of one header."""
        return [v for k, v in self.headers if k == name.lower()]


class StaleConnection(Exception):
    """The server closed an idle keep-alive connection before answering."""


Conn = tuple[asyncio.StreamReader, asyncio.StreamWriter]


class HttpPool:
    """Keep-alive connections to one host, at most `size` requests in flight."""

    def __init__(self, host: str, port: int, *, size: int) -> None:
        self.host = host
        self.port = port
        self.idle: list[Conn] = []
        self.gate = asyncio.Semaphore(size)

    async def request(
        self, method: str, path: str, *, headers: dict[str, str], body: bytes = b""
    ) -> Response:
        """Send one request; a stale idle connection is replaced once."""
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        if body or method == "POST":
            lines.append(f"Content-Length: {len(body)}")
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
        async with self.gate:
            for attempt in range(2):
                reused = bool(self.idle)
                conn = self.idle.pop() if reused else await self._open()
                try:
                    response, keep = await roundtrip(conn, raw)
                except StaleConnection:
                    conn[1].close()
                    if reused and attempt == 0:
                        continue
                    raise
                except BaseException:
                    conn[1].close()
                    raise
                if keep:
                    self.idle.append(conn)
                else:
                    conn[1].close()
                return response
        raise RuntimeError("unreachable")

    async def _open(self) -> Conn:
        return await asyncio.open_connection(self.host, self.port)

    async def close(self) -> None:
        """Close every idle connection."""
        for _, writer in self.idle:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()
        self.idle = []


async def roundtrip(conn: Conn, raw: bytes) -> tuple[Response, bool]:
    """Write a request, read its response; (response, connection reusable)."""
    reader, writer = conn
    writer.write(raw)
    await writer.drain()
    status_line = await reader.readline()
    if not status_line:
        raise StaleConnection
    parts = status_line.decode("latin-1").split(" ", 2)
    status = int(parts[1])
    headers: list[tuple[str, str]] = []
    for _ in range(MAX_HEADER_LINES):
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        headers.append((name.strip().lower(), value.strip()))
    values = dict(headers)
    keep = values.get("connection", "").lower() != "close"
    if "content-length" in values:
        body = await reader.readexactly(min(int(values["content-length"]), MAX_BODY_BYTES))
    elif values.get("transfer-encoding", "").lower() == "chunked":
        chunks = []
        for _ in range(100_000):
            size = int((await reader.readline()).split(b";")[0].strip() or b"0", 16)
            if size == 0:
                await reader.readline()
                break
            chunks.append(await reader.readexactly(size))
            await reader.readline()
        body = b"".join(chunks)
    elif status in (204, 304) or 100 <= status < 200:
        body = b""
    else:
        body = await reader.read(MAX_BODY_BYTES)
        keep = False
    return Response(status=status, headers=headers, body=body), keep
