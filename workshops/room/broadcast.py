"""The one broadcast path: services render fragments inside their transaction, and this
module sends them once the transaction commits.

Payloads are plain strings and ints (channels-redis serialises with msgpack). Each fragment is
rendered once per audience, never once per viewer: the whole room, its facilitators, or one
person. Room-wide pushes carry the session's sequence number; a client that sees a gap asks
for a fresh snapshot.
"""

import json
import logging
from typing import Literal, TypedDict

import redis
from asgiref.sync import async_to_sync
from channels.layers import BaseChannelLayer, get_channel_layer
from django.db import connection, transaction

from workshops.models import Session
from workshops.room import ordering
from workshops.room.events import ROOM_EVENTS
from workshops.room.layer import NoticingPubSubChannelLayer

logger = logging.getLogger("comhla.realtime")

Audience = Literal["room", "facilitators", "person"]


class RoomHtmlMessage(TypedDict):
    """A channel-layer message carrying one pre-encoded frame for every recipient."""

    type: Literal["room.html"]
    text: str


class RoomCloseMessage(TypedDict):
    """A channel-layer message telling a person's sockets to close."""

    type: Literal["room.close"]
    code: int


def room_group(session_id: int) -> str:
    """Everyone in a session's room."""
    return f"session.{session_id}"


def facilitators_group(session_id: int) -> str:
    """The people steering a session."""
    return f"session.{session_id}.facilitators"


def person_group(session_id: int, user_id: int) -> str:
    """One person's sockets in one session's room."""
    return f"session.{session_id}.person.{user_id}"


def next_room_seq(session_id: int) -> int:
    """Take the session's next room sequence number.

    The UPDATE locks the session row until the transaction ends (PostgreSQL), so room pushes
    of one session are numbered in commit order. One statement (UPDATE … RETURNING, on
    PostgreSQL and SQLite alike): every room push pays for it.
    """
    table = connection.ops.quote_name(Session._meta.db_table)
    with connection.cursor() as cursor:
        # The table name is the model's own, quoted; the id is a parameter.
        cursor.execute(
            f"UPDATE {table} SET seq = seq + 1 WHERE id = %s RETURNING seq",  # noqa: S608
            [session_id],
        )
        row = cursor.fetchone()
    if row is None:
        raise Session.DoesNotExist(f"No session {session_id}")
    return int(row[0])


def encode_frame(*, event: str, html: str, seq: int | None, announce: str = "") -> str:
    """The text frame a browser receives: hx-ws swaps `content`; our script reads `seq`
    and reads `announce` out to screen-reader users."""
    if event not in ROOM_EVENTS:
        raise ValueError(f"{event!r} is not a room event: add it to workshops/room/events.py")
    frame: dict[str, str | int | None] = {"event": event, "seq": seq, "content": html}
    if announce:
        frame["announce"] = announce
    return json.dumps(frame, separators=(",", ":"))


def broadcast_on_commit(
    *,
    session_id: int,
    event: str,
    html: str,
    audience: Audience = "room",
    user_id: int | None = None,
    announce: str = "",
) -> None:
    """Send a rendered fragment to an audience of a session once the transaction commits.

    Must be called inside the service's transaction: a rolled-back change sends nothing.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("broadcast_on_commit must be called inside a service's transaction")
    if audience == "room":
        group = room_group(session_id)
        seq: int | None = next_room_seq(session_id)
    elif audience == "facilitators":
        group, seq = facilitators_group(session_id), None
    else:
        if user_id is None:
            raise ValueError("a person audience needs user_id")
        group, seq = person_group(session_id, user_id), None
    message: RoomHtmlMessage = {
        "type": "room.html",
        "text": encode_frame(event=event, html=html, seq=seq, announce=announce),
    }
    _queue(group, message, session_id=session_id, seq=seq)


# Closes a person's sockets so they reconnect at once (templates/base.html lists it among the
# codes the browser reconnects on) and rejoin with what they may do now: new audiences, and
# the snapshot that goes with them (a co-facilitator marked or unmarked).
CLOSE_REJOIN = 4001


def close_person_on_commit(*, session_id: int, user_id: int, code: int = 4403) -> None:
    """Close a person's open sockets in a room once the transaction commits (access lost)."""
    message: RoomCloseMessage = {"type": "room.close", "code": code}
    _queue(person_group(session_id, user_id), message)


def close_room_on_commit(*, session_id: int, code: int = 4403) -> None:
    """Close every socket in a room once the transaction commits (the session ended)."""
    message: RoomCloseMessage = {"type": "room.close", "code": code}
    _queue(room_group(session_id), message)


class _Pushes:
    """One transaction's pushes, handed to the channel layer together once it commits: one hop
    to the event loop for all of them (a hop each was a tenth of a change's cost), in the order
    they were queued."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, RoomHtmlMessage | RoomCloseMessage]] = []
        self.seqs: dict[int, list[int]] = {}

    def add(
        self,
        group: str,
        message: RoomHtmlMessage | RoomCloseMessage,
        *,
        session_id: int | None = None,
        seq: int | None = None,
    ) -> None:
        """Queue one message (a room frame with its session and seq)."""
        self.messages.append((group, message))
        if session_id is not None and seq is not None:
            self.seqs.setdefault(session_id, []).append(seq)

    def __call__(self) -> None:
        send_all(self.messages, seqs=self.seqs)


def _queue(
    group: str,
    message: RoomHtmlMessage | RoomCloseMessage,
    *,
    session_id: int | None = None,
    seq: int | None = None,
) -> None:
    """Add a push to this transaction's batch, sent once it commits (at once outside one).

    A batch is reused only while it is the last commit hook and belongs to the same savepoint,
    so a savepoint rolled back takes exactly its own pushes with it and the order of other hooks
    is kept.
    """
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        send_to_group(group, message)
        return
    pushes = None
    if conn.run_on_commit:
        savepoints, hook, _robust = conn.run_on_commit[-1]
        if isinstance(hook, _Pushes) and savepoints == set(conn.savepoint_ids):
            pushes = hook
    if pushes is None:
        pushes = _Pushes()
        transaction.on_commit(pushes, robust=True)
    pushes.add(group, message, session_id=session_id, seq=seq)


def send_to_group(group: str, message: RoomHtmlMessage | RoomCloseMessage) -> None:
    """Hand one message to the channel layer (called on commit, or by tests)."""
    send_all([(group, message)])


def send_all(
    messages: list[tuple[str, RoomHtmlMessage | RoomCloseMessage]],
    *,
    seqs: dict[int, list[int]] | None = None,
) -> None:
    """Hand messages to the channel layer in order, after each session's room frame before
    them (`seqs`: each session's room seqs among them); if Redis is away they are logged as
    lost (the browsers' seq-gap resync fetches what they missed)."""
    layer = get_channel_layer()
    if layer is None or not messages:
        return
    # A session's seqs in one transaction are consecutive (its row stays locked from the
    # first to the commit), so the batch waits once for the seq before its first and records
    # its last.
    ordered = (seqs or {}) if ordering.ordering_needed() else {}
    client = layer.sync_client() if isinstance(layer, NoticingPubSubChannelLayer) else None
    if client is not None and len(ordered) <= 1:
        publications = [layer.publication(group, dict(message)) for group, message in messages]
        session_id, room_seqs = next(iter(ordered.items()), (None, [0]))
        try:
            ordering.publish_in_turn(
                client,
                publications,
                session_id=session_id,
                seqs=(min(room_seqs), max(room_seqs)),
            )
        except redis.RedisError:
            logger.exception("pushes to %s not sent", sorted({group for group, _ in messages}))
        return
    for session_id, session_seqs in ordered.items():
        ordering.wait_for_turn(session_id, min(session_seqs))
    try:
        _hand_over(layer, messages)
    finally:
        for session_id, session_seqs in ordered.items():
            ordering.record_sent(session_id, max(session_seqs))


def _hand_over(
    layer: BaseChannelLayer, messages: list[tuple[str, RoomHtmlMessage | RoomCloseMessage]]
) -> None:
    """Hand messages to an async channel layer in one hop to the event loop; one that fails
    is logged and the rest still go."""

    async def hand_over() -> None:
        for group, message in messages:
            try:
                await layer.group_send(group, dict(message))
            except Exception:
                logger.exception("push to %s not sent", group)

    async_to_sync(hand_over)()


async def asend_to_group(group: str, message: RoomHtmlMessage) -> None:
    """Hand one message to the channel layer from async code (presence changes)."""
    layer = get_channel_layer()
    if layer is not None:
        await layer.group_send(group, dict(message))
