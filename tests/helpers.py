"""Shared test helpers: broadcasts captured and round-tripped through msgpack."""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

import msgpack

from workshops.room import broadcast


@dataclass
class Captured:
    """Pushes a block of code made, in order."""

    messages: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def frames(self, group: str | None = None) -> list[dict[str, Any]]:
        """The decoded browser frames, optionally for one group only."""
        return [
            json.loads(m["text"])
            for g, m in self.messages
            if m["type"] == "room.html" and (group is None or g == group)
        ]

    def events(self) -> list[str]:
        """The event names, in order."""
        return [f["event"] for f in self.frames()]

    def groups(self) -> list[str]:
        """The groups sent to, in order."""
        return [g for g, _ in self.messages]


@contextmanager
def captured_broadcasts(
    django_capture_on_commit_callbacks: Any, *, expected: int | None = None
) -> Iterator[Captured]:
    """Run on-commit callbacks and collect what they send; each must survive msgpack.

    channels-redis serialises with msgpack, so a payload holding a Decimal, UUID or datetime
    would fail in production while the in-memory layer hides it.
    """
    captured = Captured()

    def fake_send_all(
        messages: list[tuple[str, dict[str, object]]], *, seqs: dict[int, list[int]] | None = None
    ) -> None:
        for group, message in messages:
            roundtrip = msgpack.unpackb(msgpack.packb(dict(message)), raw=False)
            assert roundtrip == dict(message)
            captured.messages.append((group, roundtrip))

    with (
        mock.patch.object(broadcast, "send_all", side_effect=fake_send_all),
        django_capture_on_commit_callbacks(execute=True),
    ):
        yield captured
    if expected is not None:
        assert len(captured.messages) == expected, captured.groups()


def session_cookie_for(user: Any, *, method: str = "card") -> str:
    """A signed-in Django session for a person, as the value of the session cookie."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from participants.identity import SIGNIN_METHOD_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "participants.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[SIGNIN_METHOD_KEY] = method
    store.save()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def room_communicator(
    session_id: int,
    cookie: str = "",
    *,
    origin: bytes = b"http://127.0.0.1",
    host: bytes = b"127.0.0.1",
    scheme: str = "ws",
    extra_headers: list[tuple[bytes, bytes]] | None = None,
) -> Any:
    """A WebSocket client for a session room, through the full ASGI application."""
    from channels.testing import WebsocketCommunicator

    from project.asgi import application

    headers = [(b"origin", origin), (b"host", host), *(extra_headers or [])]
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    comm = WebsocketCommunicator(application, f"/ws/sessions/{session_id}/", headers=headers)
    comm.scope["scheme"] = scheme
    return comm


def race(*calls: Any) -> list[str]:
    """Start the calls at the same moment, each in its own thread (its own database
    connection); return "done" or "refused" (a ValidationError) for each, sorted."""
    import threading

    from django.core.exceptions import ValidationError
    from django.db import connections

    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []

    def run(call: Any) -> None:
        try:
            barrier.wait(timeout=5)
            call()
            outcomes.append("done")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    return sorted(outcomes)
