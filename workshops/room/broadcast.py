"""The one broadcast path: services render fragments inside their transaction, and this
module sends them once the transaction commits.

Payloads are plain strings and ints (channels-redis serialises with msgpack). Each fragment is
rendered once per audience, never once per viewer: the whole room, its facilitators, or one
person. Room-wide pushes carry the session's sequence number; a client that sees a gap asks
for a fresh snapshot.
"""

import json
import logging
from functools import partial
from typing import Literal, TypedDict

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connection, transaction

from workshops.models import Session
from workshops.room import ordering
from workshops.room.events import ROOM_EVENTS

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
    if seq is not None and ordering.ordering_needed():
        transaction.on_commit(
            partial(send_in_seq_order, session_id, seq, group, message), robust=True
        )
    else:
        transaction.on_commit(partial(send_to_group, group, message), robust=True)


# Closes a person's sockets so they reconnect at once (templates/base.html lists it among the
# codes the browser reconnects on) and rejoin with what they may do now: new audiences, and
# the snapshot that goes with them (a co-facilitator marked or unmarked).
CLOSE_REJOIN = 4001


def close_person_on_commit(*, session_id: int, user_id: int, code: int = 4403) -> None:
    """Close a person's open sockets in a room once the transaction commits (access lost)."""
    message: RoomCloseMessage = {"type": "room.close", "code": code}
    transaction.on_commit(
        partial(send_to_group, person_group(session_id, user_id), message), robust=True
    )


def close_room_on_commit(*, session_id: int, code: int = 4403) -> None:
    """Close every socket in a room once the transaction commits (the session ended)."""
    message: RoomCloseMessage = {"type": "room.close", "code": code}
    transaction.on_commit(partial(send_to_group, room_group(session_id), message), robust=True)


def send_in_seq_order(session_id: int, seq: int, group: str, message: RoomHtmlMessage) -> None:
    """Send a room frame after the session's previous one, whichever process sent that."""
    ordering.wait_for_turn(session_id, seq)
    try:
        send_to_group(group, message)
    finally:
        ordering.record_sent(session_id, seq)


def send_to_group(group: str, message: RoomHtmlMessage | RoomCloseMessage) -> None:
    """Hand one message to the channel layer (called on commit, or by tests)."""
    layer = get_channel_layer()
    if layer is None:
        return
    async_to_sync(layer.group_send)(group, dict(message))


async def asend_to_group(group: str, message: RoomHtmlMessage) -> None:
    """Hand one message to the channel layer from async code (presence changes)."""
    layer = get_channel_layer()
    if layer is not None:
        await layer.group_send(group, dict(message))
