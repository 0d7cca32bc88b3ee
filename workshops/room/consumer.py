"""The session room's one WebSocket. It only pushes: changes arrive over HTTP.

A client may send nothing but heartbeats ("ping"). Anything else is closed with a clear
code, and never disturbs anyone else in the room.
"""

import asyncio
import logging
import time
from contextlib import suppress
from importlib import import_module
from typing import Any

import redis.exceptions
from channels.auth import get_user
from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from participants import identity
from workshops import access, selectors
from workshops.models import Session
from workshops.room import broadcast, presence
from workshops.room import render as room_render
from workshops.room.layer import NoticingPubSubChannelLayer

logger = logging.getLogger("comhla.room")

CLOSE_FORBIDDEN = 4403
CLOSE_BAD_FRAME = 4400
CLOSE_TOO_FREQUENT = 4429
# "Too big": 1009 says it, but daphne refuses any code an application sends outside 1000 and
# 3000-4999 (the socket then ends in 1011 and a traceback). Frames over daphne's own limit
# do get a real 1009 (see project/asgi.py).
CLOSE_TOO_BIG = 4413
# "Try again later": Redis could not be reached. (1013 says the same, but WebSocket servers
# may not send it; base.html adds 4503 to the codes the browser reconnects on by itself.)
CLOSE_TRY_AGAIN = 4503
HEARTBEAT = "ping"
REDIS_DOWN = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
# Arrivals and departures within this window make one presence push, not one each: a room
# of n people connecting at once would otherwise send n pushes to n sockets.
PRESENCE_COALESCE_SECONDS = 0.2
_presence_pending: dict[int, "asyncio.Task[None]"] = {}
# At most this many frames in any window of FRAME_WINDOW_SECONDS; heartbeats come every 20 s.
MAX_FRAMES_PER_WINDOW = 10
FRAME_WINDOW_SECONDS = 10.0
# A heartbeat re-checks the person's access at most this often when nothing was forgotten:
# losing access closes their sockets at once, and this catches a close that was itself lost.
ACCESS_RECHECK_SECONDS = 60.0
# Messages handled without Channels' hop to a thread to close old database connections (it
# comes before every handler, and was a third to a half of a fan-out's time): a push only
# forwards text, and the rest reach the database only through database_sync_to_async, which
# closes old connections itself, before and after, in that same thread.
NO_DATABASE_HOP = frozenset(
    {
        "room.html",
        "room.close",
        "websocket.connect",
        "websocket.receive",
        "websocket.disconnect",
        "layer.messages_lost",
    }
)


class SessionConsumer(AsyncWebsocketConsumer):
    """Pushes a session room's fragments to one browser."""

    session_id: int
    user: Any
    groups_joined: list[str]
    access_checked_at: float

    async def dispatch(self, message: dict[str, Any]) -> None:
        """Handle a message; pushes, closes and heartbeats without the database hop."""
        if message["type"] in NO_DATABASE_HOP:
            await getattr(self, get_handler_name(message))(message)
        else:
            await super().dispatch(message)

    async def connect(self) -> None:
        """Join the person's audiences, then send the room's snapshot first."""
        self.session_id = int(self.scope["url_route"]["kwargs"]["session_id"])
        self.groups_joined = []
        self.frame_times: list[float] = []
        audiences = await database_sync_to_async(self.audiences)()
        self.access_checked_at = time.monotonic()
        # Accept first, then close with 4403: closing before accept becomes an HTTP 403,
        # which browsers report as 1006 and retry for ever.
        await self.accept()
        if not audiences:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        # On the pub/sub layer, room frames skip this consumer (room/layer.py): the ones that
        # come while the snapshot is being built are held, and go right after it.
        direct = isinstance(self.channel_layer, NoticingPubSubChannelLayer)
        try:
            if direct:
                self.channel_layer.hold_frames(self.channel_name)
            for group in audiences:
                await self.channel_layer.group_add(group, self.channel_name)
            self.groups_joined = audiences
            # Present before the snapshot goes: whoever has it is counted (the presence push
            # this schedules comes after it).
            await self.mark_present()
            await self.send(text_data=await self.snapshot_frame())
            if direct:
                await self.channel_layer.release_frames(self.channel_name, self.base_send)
        except REDIS_DOWN:
            logger.warning(
                "room %s: Redis unreachable at connect; asking to retry", self.session_id
            )
            await self.close(code=CLOSE_TRY_AGAIN)

    def audiences(self) -> list[str]:
        """Who this is, and the groups their socket may join: a room identity only in its own
        session."""
        # Channels' own lookup, run here rather than by its AuthMiddleware (project/asgi.py):
        # one thread step and one pooled connection for both, not two.
        self.user = self.scope["user"] = get_user.func(self.scope)
        identity.limit_to_room(self.user, self.scope.get("session"))
        return access.room_audiences(self.user, self.session_id)

    async def disconnect(self, code: int) -> None:
        """Leave every group and the presence list."""
        await self.leave()

    async def websocket_receive(self, message: dict[str, Any]) -> None:
        """Handle a frame; if that fails, leave first (daphne then closes with 1011, and
        no disconnect ever comes to take this socket off the presence list)."""
        try:
            await super().websocket_receive(message)
        except Exception:
            await self.leave()
            raise

    async def leave_and_close(self, code: int) -> None:
        """Close, leaving the room at once: the client may never answer the close."""
        await self.leave()
        await self.close(code=code)

    async def leave(self) -> None:
        """Leave every group and the presence list (once)."""
        joined, self.groups_joined = self.groups_joined, []
        if isinstance(self.channel_layer, NoticingPubSubChannelLayer):
            self.channel_layer.stop_frames(self.channel_name)
        # With Redis gone there is nothing to leave: its groups and presence expire by themselves.
        with suppress(*REDIS_DOWN):
            for group in joined:
                await self.channel_layer.group_discard(group, self.channel_name)
            if joined:
                await database_sync_to_async(presence.store().leave)(
                    self.session_id, self.user.pk, self.channel_name
                )
                await self.push_presence()

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        """Take heartbeats; close on anything else, too big or too often."""
        size = len(text_data.encode()) if text_data is not None else len(bytes_data or b"")
        if size > settings.WEBSOCKET_MAX_FRAME_BYTES:
            await self.leave_and_close(CLOSE_TOO_BIG)
            return
        now = time.monotonic()
        self.frame_times = [t for t in self.frame_times if now - t < FRAME_WINDOW_SECONDS]
        self.frame_times.append(now)
        if len(self.frame_times) > MAX_FRAMES_PER_WINDOW:
            await self.leave_and_close(CLOSE_TOO_FREQUENT)
            return
        if text_data != HEARTBEAT:
            await self.leave_and_close(CLOSE_BAD_FRAME)
            return
        if self.groups_joined:
            await self.heartbeat()

    async def heartbeat(self) -> None:
        """Renew this socket's presence and groups: one Redis round trip, and no SQL unless
        access is due to be checked again or Redis forgot something."""
        try:
            now = time.monotonic()
            audiences = None
            if now - self.access_checked_at >= ACCESS_RECHECK_SECONDS:
                audiences = await self.current_audiences()
                self.access_checked_at = now
                if not audiences:
                    await self.leave_and_close(CLOSE_FORBIDDEN)
                    return
            if set(audiences or self.groups_joined) == set(self.groups_joined) and (
                await presence.refresh(
                    self.channel_layer,
                    session_id=self.session_id,
                    user_id=self.user.pk,
                    channel_name=self.channel_name,
                    groups=self.groups_joined,
                )
            ):
                return
        except REDIS_DOWN:
            await self.leave_and_close(CLOSE_TRY_AGAIN)
            return
        # A Redis restart forgets every group. The receive loop usually fails with it (the
        # socket closes with 1011 and the browser reconnects to a fresh snapshot); if not,
        # joining again here (an idempotent add) puts this socket back, and the next push's
        # sequence gap makes the browser fetch what it missed. Access is checked again first
        # (unless it just was): the close sent when it was lost may have been lost too.
        if audiences is None:
            audiences = await self.current_audiences()
            self.access_checked_at = now
            if not audiences:
                await self.leave_and_close(CLOSE_FORBIDDEN)
                return
        try:
            for group in set(self.groups_joined) - set(audiences):
                await self.channel_layer.group_discard(group, self.channel_name)
            for group in audiences:
                await self.channel_layer.group_add(group, self.channel_name)
            self.groups_joined = audiences
            await self.mark_present(announce=False)
        except REDIS_DOWN:
            await self.leave_and_close(CLOSE_TRY_AGAIN)

    async def current_audiences(self) -> list[str]:
        """The groups this socket may be in now: [] once the person has signed out, their
        sign-in has ended, or they may no longer be in the room."""
        key = getattr(self.scope.get("session"), "session_key", None)
        if not key:
            return []
        store = import_module(settings.SESSION_ENGINE).SessionStore(key)

        def check() -> list[str]:
            user = get_user.func({"session": store})
            if user.pk is None or user.pk != self.user.pk:
                return []
            identity.limit_to_room(user, store)
            return access.room_audiences(user, self.session_id)

        audiences: list[str] = await database_sync_to_async(check)()
        return audiences

    async def room_html(self, message: broadcast.RoomHtmlMessage) -> None:
        """Forward a pre-encoded frame: rendered once per audience, never per viewer."""
        await self.send(text_data=message["text"])

    async def room_close(self, message: broadcast.RoomCloseMessage) -> None:
        """This person lost access (removed, signed out, session ended): close the socket."""
        await self.leave_and_close(message["code"])

    async def layer_messages_lost(self, message: dict[str, str]) -> None:
        """Redis pub/sub dropped and came back (see room/layer.py): pushes may be lost and
        presence forgotten, so close with "try again"; the browser returns to a fresh snapshot."""
        await self.leave_and_close(CLOSE_TRY_AGAIN)

    async def snapshot_frame(self) -> str:
        """The room as it is now, for this person: a participant's mostly from the cache."""
        # Joined to the facilitators' group means their pushes, and so their snapshot; anyone
        # else (no steering role) gets the participants' one, which holds no controls.
        steers = broadcast.facilitators_group(self.session_id) in self.groups_joined

        def build() -> str:
            if steers:
                html, seq = room_render.render_snapshot(
                    Session(pk=self.session_id), viewer=self.user
                )
            else:
                # One query: the room version and the state a cache hit still needs.
                session = selectors.session_for_room(self.session_id)
                if session is None:
                    raise Session.DoesNotExist
                html, seq = room_render.render_participant_snapshot(session, viewer=self.user)
            return broadcast.encode_frame(event="snapshot", html=html, seq=seq)

        frame: str = await database_sync_to_async(build)()
        return frame

    async def mark_present(self, *, announce: bool = True) -> None:
        """Count this socket as present; tell the room when someone arrives."""
        store = presence.store()
        if announce:
            await store.arrive(self.session_id, self.user.pk, self.channel_name)
            await self.push_presence()
            return
        # Not announced (a socket joining again): only news if the person was not here.
        before = await database_sync_to_async(store.present_user_ids)(self.session_id)
        await store.arrive(self.session_id, self.user.pk, self.channel_name)
        if self.user.pk not in before:
            await self.push_presence()

    async def push_presence(self) -> None:
        """Schedule this room's presence push (coalesced: see PRESENCE_COALESCE_SECONDS)."""
        pending = _presence_pending.get(self.session_id)
        if (
            pending is None
            or pending.done()
            or pending.get_loop() is not asyncio.get_running_loop()
        ):
            _presence_pending[self.session_id] = asyncio.create_task(
                push_presence_soon(self.session_id)
            )


async def push_presence_soon(session_id: int) -> None:
    """Send the room's presence (a whole container, so no sequence number is needed)."""
    await asyncio.sleep(PRESENCE_COALESCE_SECONDS)
    # Taken off first: a change while this push is being built schedules another.
    _presence_pending.pop(session_id, None)

    def build() -> tuple[str, str | None]:
        session = selectors.session_for_room(session_id)
        if session is None:  # deleted meanwhile: nobody left to tell
            return "", None
        html = broadcast.encode_frame(
            event="presence_changed", html=room_render.render_presence(session), seq=None
        )
        people = None
        if session.is_live:
            people = broadcast.encode_frame(
                event="presence_changed", html=room_render.render_people_panel(session), seq=None
            )
        return html, people

    html, people = await database_sync_to_async(build)()
    if not html:
        return
    await broadcast.asend_to_group(
        broadcast.room_group(session_id), {"type": "room.html", "text": html}
    )
    if people is not None:
        await broadcast.asend_to_group(
            broadcast.facilitators_group(session_id), {"type": "room.html", "text": people}
        )
