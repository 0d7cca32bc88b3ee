"""L0, the practical limit: a minimal raw `websockets` server that broadcasts a fragment.

Clients connect to /ws/sessions/<id>/ and get a snapshot frame first, as in Comhla. A change
arrives on /control as "<session id> <k>"; the server numbers it (seq per session), encodes
ONE frame of the same size as Comhla's room frame and hands it to every socket in that room.

    python benchmarks/l0_server.py --port 9001 --frame-bytes 1200
"""

import argparse
import asyncio
import json
from collections import defaultdict

from websockets.asyncio.server import ServerConnection, broadcast, serve

rooms: dict[int, set[ServerConnection]] = defaultdict(set)
seqs: dict[int, int] = defaultdict(int)


def encode(*, event: str, seq: int, k: int, frame_bytes: int) -> str:
    """A Comhla-shaped frame padded to exactly `frame_bytes` (when it fits)."""

    def frame(pad: int) -> str:
        content = f'<div id="activity" hx-swap-oob="true" data-k="{k}"><p>{"x" * pad}</p></div>'
        return json.dumps({"event": event, "seq": seq, "content": content}, separators=(",", ":"))

    bare = frame(0)
    return frame(max(0, frame_bytes - len(bare)))


async def control(ws: ServerConnection, frame_bytes: int) -> None:
    """Each line is a change: number it, encode it once, broadcast it to the room."""
    async for line in ws:
        session_text, _, k_text = str(line).partition(" ")
        session_id, k = int(session_text), int(k_text)
        seqs[session_id] += 1
        frame = encode(event="activity_changed", seq=seqs[session_id], k=k, frame_bytes=frame_bytes)
        broadcast(rooms[session_id], frame)


async def handler(ws: ServerConnection, frame_bytes: int) -> None:
    """A room client (snapshot first, then pushes only) or the control socket."""
    path = ws.request.path if ws.request is not None else ""
    if path == "/control":
        await control(ws, frame_bytes)
        return
    parts = [p for p in path.split("/") if p]
    if len(parts) != 3 or parts[:2] != ["ws", "sessions"] or not parts[2].isdigit():
        await ws.close(code=4404)
        return
    session_id = int(parts[2])
    await ws.send(encode(event="snapshot", seq=seqs[session_id], k=-1, frame_bytes=frame_bytes))
    rooms[session_id].add(ws)
    try:
        async for _ in ws:
            pass
    finally:
        rooms[session_id].discard(ws)


async def main() -> None:
    """Serve until terminated."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--frame-bytes", type=int, required=True)
    args = parser.parse_args()

    async def bound(ws: ServerConnection) -> None:
        await handler(ws, args.frame_bytes)

    async with serve(bound, "127.0.0.1", args.port, compression=None, max_size=2**20) as server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
