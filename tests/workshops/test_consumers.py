"""The room's socket, through the full ASGI application (origin check, session auth)."""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import pytest
from channels.db import database_sync_to_async
from django import db

from tests.factories import AttendanceFactory
from tests.helpers import room_communicator, session_cookie_for
from workshops import services

pytestmark = pytest.mark.django_db(transaction=True)


async def connect(session: Any, user: Any) -> tuple[Any, dict[str, Any]]:
    """Open a room socket as a person and read the snapshot it must send first."""
    cookie = await database_sync_to_async(session_cookie_for)(user)
    comm = room_communicator(session.pk, cookie)
    connected, _ = await comm.connect()
    assert connected
    snapshot = json.loads(await comm.receive_from(timeout=5))
    assert snapshot["event"] == "snapshot"
    return comm, snapshot


async def drain(comm: Any) -> list[dict[str, Any]]:
    """Every frame waiting on a socket."""
    frames = []
    while not await comm.receive_nothing(timeout=0.5):
        frames.append(json.loads(await comm.receive_from()))
    return frames


async def test_connect_sends_the_snapshot_first(live_session: Any, facilitator: Any) -> None:
    comm, snapshot = await connect(live_session, facilitator)
    assert 'id="activity"' in snapshot["content"]
    assert "Welcome" in snapshot["content"]
    assert 'id="agenda"' in snapshot["content"]  # a facilitator's snapshot has the controls
    assert snapshot["seq"] == 0
    await comm.disconnect()


async def test_a_participants_snapshot_has_no_facilitator_controls(
    live_session: Any, person: Any
) -> None:
    await database_sync_to_async(AttendanceFactory)(session=live_session, user=person)
    comm, snapshot = await connect(live_session, person)
    assert 'id="agenda"' not in snapshot["content"]
    assert 'id="people-panel"' not in snapshot["content"]
    await comm.disconnect()


async def test_an_activity_switch_reaches_everyone_in_the_room(
    live_session: Any, facilitator: Any, person: Any, carer: Any
) -> None:
    for user in (person, carer):
        await database_sync_to_async(AttendanceFactory)(session=live_session, user=user)
    sockets = [(await connect(live_session, u))[0] for u in (facilitator, person, carer)]
    for comm in sockets:
        await drain(comm)  # presence pushes from the arrivals
    ideas = await database_sync_to_async(live_session.activities.get)(title="Ideas")
    await database_sync_to_async(services.session_move_to_activity)(
        session=live_session, activity_id=ideas.pk
    )
    for comm in sockets:
        frames = [f for f in await drain(comm) if f["event"] == "activity_changed"]
        assert frames and "Ideas" in frames[0]["content"]
        assert frames[0]["seq"] == 1
        await comm.disconnect()


async def test_arrivals_update_presence_for_everyone(
    live_session: Any, facilitator: Any, person: Any
) -> None:
    await database_sync_to_async(AttendanceFactory)(session=live_session, user=person)
    fac, _ = await connect(live_session, facilitator)
    await drain(fac)
    jean, _ = await connect(live_session, person)
    frames = await drain(fac)
    presence = [
        f for f in frames if f["event"] == "presence_changed" and 'id="presence"' in f["content"]
    ]
    assert presence and person.display_name in presence[-1]["content"]
    await jean.disconnect()
    frames = await drain(fac)
    assert (
        person.display_name
        not in [f for f in frames if 'id="presence"' in f["content"]][-1]["content"]
    )
    await fac.disconnect()


async def test_someone_from_another_programme_is_closed_with_4403(
    live_session: Any, outsider: Any
) -> None:
    cookie = await database_sync_to_async(session_cookie_for)(outsider)
    comm = room_communicator(live_session.pk, cookie)
    connected, _ = await comm.connect()
    assert connected  # accepted first, so the browser sees the code and stops retrying
    output = await comm.receive_output(timeout=5)
    assert output == {"type": "websocket.close", "code": 4403}


async def test_an_anonymous_visitor_and_a_member_not_let_in_are_closed_with_4403(
    live_session: Any, carer: Any
) -> None:
    for cookie in ("", await database_sync_to_async(session_cookie_for)(carer)):
        comm = room_communicator(live_session.pk, cookie)
        await comm.connect()
        assert await comm.receive_output(timeout=5) == {"type": "websocket.close", "code": 4403}


async def test_a_foreign_origin_is_refused(live_session: Any, facilitator: Any) -> None:
    cookie = await database_sync_to_async(session_cookie_for)(facilitator)
    for origin in (b"http://evil.example", b"null"):
        comm = room_communicator(live_session.pk, cookie, origin=origin)
        connected, _ = await comm.connect()
        assert not connected


@pytest.mark.parametrize(
    ("origin", "host", "scheme"),
    [
        (b"http://127.0.0.1:8001", b"127.0.0.1:8000", "ws"),  # another port on the same host
        (b"http://127.0.0.1:8000", b"127.0.0.1", "ws"),
        (b"https://127.0.0.1", b"127.0.0.1", "ws"),  # https page, site served over http
        (b"http://127.0.0.1", b"127.0.0.1", "wss"),  # http page, site served over https
        (b"http://localhost", b"127.0.0.1", "ws"),  # another allowed host, not this one
        (b"http://evil.example", b"evil.example", "ws"),  # a host not allowed at all
        (b"ftp://127.0.0.1", b"127.0.0.1", "ws"),
    ],
)
async def test_an_origin_must_match_the_scheme_host_and_port_the_site_is_served_on(
    live_session: Any, facilitator: Any, origin: bytes, host: bytes, scheme: str
) -> None:
    cookie = await database_sync_to_async(session_cookie_for)(facilitator)
    comm = room_communicator(live_session.pk, cookie, origin=origin, host=host, scheme=scheme)
    connected, _ = await comm.connect()
    assert not connected


@pytest.mark.parametrize(
    ("origin", "host", "scheme", "headers"),
    [
        (b"http://127.0.0.1:8000", b"127.0.0.1:8000", "ws", []),
        (b"https://localhost", b"localhost", "wss", []),
        (b"https://localhost:443", b"localhost", "wss", []),
        # Behind the TLS proxy: daphne hears ws, the proxy says the browser used https.
        (b"https://localhost", b"localhost", "ws", [(b"x-forwarded-proto", b"https")]),
    ],
)
async def test_the_sites_own_origin_is_let_in(
    live_session: Any,
    facilitator: Any,
    settings: Any,
    origin: bytes,
    host: bytes,
    scheme: str,
    headers: list[tuple[bytes, bytes]],
) -> None:
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    cookie = await database_sync_to_async(session_cookie_for)(facilitator)
    comm = room_communicator(
        live_session.pk, cookie, origin=origin, host=host, scheme=scheme, extra_headers=headers
    )
    connected, _ = await comm.connect()
    assert connected
    assert json.loads(await comm.receive_from(timeout=5))["event"] == "snapshot"
    await comm.disconnect()


async def test_a_proxy_header_is_ignored_unless_the_site_trusts_its_proxy(
    live_session: Any, facilitator: Any, settings: Any
) -> None:
    settings.SECURE_PROXY_SSL_HEADER = None
    cookie = await database_sync_to_async(session_cookie_for)(facilitator)
    comm = room_communicator(
        live_session.pk,
        cookie,
        origin=b"https://localhost",
        host=b"localhost",
        extra_headers=[(b"x-forwarded-proto", b"https")],
    )
    connected, _ = await comm.connect()
    assert not connected


async def test_a_trusted_origin_is_let_in(
    live_session: Any, facilitator: Any, settings: Any
) -> None:
    settings.CSRF_TRUSTED_ORIGINS = ["https://*.comhla.example"]
    cookie = await database_sync_to_async(session_cookie_for)(facilitator)
    comm = room_communicator(
        live_session.pk, cookie, origin=b"https://app.comhla.example", host=b"127.0.0.1"
    )
    connected, _ = await comm.connect()
    assert connected
    await comm.receive_from(timeout=5)
    await comm.disconnect()


async def test_removing_someone_closes_their_socket(
    live_session: Any, facilitator: Any, person: Any
) -> None:
    await database_sync_to_async(AttendanceFactory)(session=live_session, user=person)
    comm, _ = await connect(live_session, person)
    await database_sync_to_async(services.attendance_remove)(
        session=live_session, user_id=person.pk, by=facilitator
    )
    outputs = []
    for _ in range(10):
        output = await comm.receive_output(timeout=5)
        outputs.append(output)
        if output["type"] == "websocket.close":
            break
    assert outputs[-1] == {"type": "websocket.close", "code": 4403}


async def test_ending_the_session_closes_every_socket(live_session: Any, facilitator: Any) -> None:
    comm, _ = await connect(live_session, facilitator)
    await database_sync_to_async(services.session_end)(session=live_session)
    for _ in range(10):
        output = await comm.receive_output(timeout=5)
        if output["type"] == "websocket.close":
            break
    assert output == {"type": "websocket.close", "code": 4000}


async def test_heartbeats_are_fine_anything_else_is_closed_4400(
    live_session: Any, facilitator: Any
) -> None:
    comm, _ = await connect(live_session, facilitator)
    await drain(comm)
    await comm.send_to(text_data="ping")
    assert await comm.receive_nothing(timeout=0.3)
    await comm.send_to(text_data='{"type": "card_add"}')
    assert await comm.receive_output(timeout=5) == {"type": "websocket.close", "code": 4400}


async def test_an_oversized_frame_is_closed_4413(live_session: Any, facilitator: Any) -> None:
    comm, _ = await connect(live_session, facilitator)
    await drain(comm)
    await comm.send_to(text_data="x" * (17 * 1024))
    assert await comm.receive_output(timeout=5) == {"type": "websocket.close", "code": 4413}


async def test_too_many_frames_are_closed_4429(live_session: Any, facilitator: Any) -> None:
    comm, _ = await connect(live_session, facilitator)
    await drain(comm)
    for _ in range(11):
        await comm.send_to(text_data="ping")
    assert await comm.receive_output(timeout=5) == {"type": "websocket.close", "code": 4429}


async def test_signing_out_closes_the_persons_sockets(live_session: Any, person: Any) -> None:
    from django.test import AsyncClient

    await database_sync_to_async(AttendanceFactory)(session=live_session, user=person)
    cookie = await database_sync_to_async(session_cookie_for)(person)
    comm = room_communicator(live_session.pk, cookie)
    await comm.connect()
    await comm.receive_from(timeout=5)
    client = AsyncClient()
    name, _, key = cookie.partition("=")
    client.cookies[name] = key
    response = await client.post("/sign-out/")
    assert response.status_code == 302
    for _ in range(10):
        output = await comm.receive_output(timeout=2)
        if output["type"] == "websocket.close":
            break
    assert output == {"type": "websocket.close", "code": 4403}


async def test_removing_someone_from_the_programme_closes_their_sockets(
    live_session: Any, person: Any, organiser: Any
) -> None:
    from participants import services as people
    from participants.models import Membership

    await database_sync_to_async(AttendanceFactory)(session=live_session, user=person)
    comm, _ = await connect(live_session, person)
    membership = await database_sync_to_async(Membership.objects.get)(user=person)
    await database_sync_to_async(people.membership_end)(membership=membership, by=organiser)
    for _ in range(10):
        output = await comm.receive_output(timeout=2)
        if output["type"] == "websocket.close":
            break
    assert output == {"type": "websocket.close", "code": 4403}
    # And the door stays shut: reconnecting is refused.
    again = room_communicator(
        live_session.pk, await database_sync_to_async(session_cookie_for)(person)
    )
    await again.connect()
    assert await again.receive_output(timeout=5) == {"type": "websocket.close", "code": 4403}


async def forget_groups() -> None:
    """What a Redis restart does to the channel layer: every group is forgotten."""
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    if hasattr(layer, "groups"):
        layer.groups.clear()  # in memory
    else:
        # Redis: the group sets gone, as after a restart without persistence (the test keeps
        # the connections, which a restart would also drop: daphne then reconnects them).
        import redis.asyncio as aioredis
        from django.conf import settings

        client = aioredis.Redis.from_url(settings.REDIS_URL)
        async for key in client.scan_iter(match=f"{settings.CHANNEL_PREFIX}:group:*"):
            await client.delete(key)
        await client.aclose()


async def test_a_heartbeat_rejoins_groups_the_channel_layer_forgot(
    live_session: Any, facilitator: Any
) -> None:
    """What a Redis restart does to groups: the next heartbeat puts the socket back."""
    comm, _ = await connect(live_session, facilitator)
    await drain(comm)
    await forget_groups()
    await database_sync_to_async(services.session_move_to_activity)(
        session=live_session,
        activity_id=(await database_sync_to_async(live_session.activities.get)(title="Ideas")).pk,
    )
    assert not [f for f in await drain(comm) if f["event"] == "activity_changed"]
    await comm.send_to(text_data="ping")
    await comm.receive_nothing(timeout=0.3)
    await database_sync_to_async(services.session_move_to_activity)(
        session=live_session,
        activity_id=(
            await database_sync_to_async(live_session.activities.get)(title="Talk it through")
        ).pk,
    )
    frames = [f for f in await drain(comm) if f["event"] == "activity_changed" and f["seq"]]
    # Seq 1 was lost while the group was forgotten: the browser, at 0, sees 2 and resyncs.
    assert [f["seq"] for f in frames] == [2]
    await comm.disconnect()


def channel_layer_class() -> type:
    """The class whose group_add and group_discard the socket's layer runs."""
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    # The pub/sub layer hands its calls to a layer of its own for each event loop.
    return type(layer._get_layer()) if hasattr(type(layer), "_get_layer") else type(layer)


async def test_with_redis_unreachable_the_socket_is_asked_to_retry_with_4503(
    live_session: Any, facilitator: Any
) -> None:
    """4503 ("try again later") is a code browsers reconnect on by themselves."""
    import redis.exceptions

    layer_class = channel_layer_class()  # in memory here, Redis in CI
    cookie = await database_sync_to_async(session_cookie_for)(facilitator)
    comm = room_communicator(live_session.pk, cookie)
    with mock.patch.object(
        layer_class, "group_add", side_effect=redis.exceptions.ConnectionError("down")
    ):
        connected, _ = await comm.connect()
        assert connected
        closed = await comm.receive_output(timeout=5)
    assert closed["type"] == "websocket.close" and closed["code"] == 4503


async def test_a_heartbeat_with_redis_unreachable_closes_with_4503_and_leaving_does_not_fail(
    live_session: Any, facilitator: Any
) -> None:
    import redis.exceptions

    from workshops.room import presence

    layer_class = channel_layer_class()  # in memory here, Redis in CI
    comm, _ = await connect(live_session, facilitator)
    down = redis.exceptions.ConnectionError("down")
    with (
        mock.patch.object(presence, "refresh", side_effect=down),
        mock.patch.object(layer_class, "group_add", side_effect=down),
        mock.patch.object(layer_class, "group_discard", side_effect=down),
    ):
        await comm.send_to(text_data="ping")
        output = await comm.receive_output(timeout=5)
        while output["type"] != "websocket.close":
            output = await comm.receive_output(timeout=5)
        assert output["code"] == 4503
        await comm.disconnect()


def _remove_from_room(session: Any, person: Any, facilitator: Any, organiser: Any) -> None:
    services.attendance_remove(session=session, user_id=person.pk, by=facilitator)


def _end_membership(session: Any, person: Any, facilitator: Any, organiser: Any) -> None:
    from participants import services as people
    from participants.models import Membership

    people.membership_end(membership=Membership.objects.get(user=person), by=organiser)


def _end_the_django_session(session: Any, person: Any, facilitator: Any, organiser: Any) -> None:
    """Signed out, or the sign-in expired: the session row is gone."""
    from django.contrib.sessions.models import Session as DjangoSession

    DjangoSession.objects.all().delete()


def _end_the_room(session: Any, person: Any, facilitator: Any, organiser: Any) -> None:
    services.session_end(session=session)


@pytest.mark.parametrize(
    "lose_access",
    [_remove_from_room, _end_membership, _end_the_django_session, _end_the_room],
    ids=["removed", "membership-ended", "signed-out", "session-ended"],
)
async def test_a_heartbeat_after_lost_access_closes_4403_even_if_the_close_was_lost(
    live_session: Any, facilitator: Any, person: Any, organiser: Any, lose_access: Any
) -> None:
    """The close message is lost and Redis forgot its groups: the heartbeat must not put the
    socket back in the room; it re-checks access and closes."""
    from workshops.room import broadcast

    await database_sync_to_async(AttendanceFactory)(session=live_session, user=person)
    comm, _ = await connect(live_session, person)
    await drain(comm)
    with (
        mock.patch.object(broadcast, "close_person_on_commit"),
        mock.patch.object(broadcast, "close_room_on_commit"),
    ):
        await database_sync_to_async(lose_access)(live_session, person, facilitator, organiser)
    await drain(comm)
    await forget_groups()
    await comm.send_to(text_data="ping")
    output = await comm.receive_output(timeout=5)
    while output["type"] != "websocket.close":
        output = await comm.receive_output(timeout=5)
    assert output == {"type": "websocket.close", "code": 4403}
    # Nothing pushed to the room afterwards reaches the socket.
    await database_sync_to_async(broadcast.send_to_group)(
        broadcast.room_group(live_session.pk),
        {
            "type": "room.html",
            "text": broadcast.encode_frame(event="card_added", html="secret", seq=99),
        },
    )
    assert await comm.receive_nothing(timeout=0.5)
    await comm.disconnect()


async def test_a_socket_whose_frame_handling_fails_is_no_longer_present(
    live_session: Any, facilitator: Any
) -> None:
    """daphne closes such a socket with 1011 and no disconnect follows: it leaves first."""
    from workshops.room import presence
    from workshops.room.consumer import SessionConsumer

    comm, _ = await connect(live_session, facilitator)
    await drain(comm)
    store = presence.store()
    assert facilitator.pk in await database_sync_to_async(store.present_user_ids)(live_session.pk)
    with (
        mock.patch.object(presence, "refresh", side_effect=RuntimeError("bug")),
        mock.patch.object(SessionConsumer, "mark_present", side_effect=RuntimeError("bug")),
    ):
        await comm.send_to(text_data="ping")
        with pytest.raises(RuntimeError):
            await comm.receive_output(timeout=5)
    assert facilitator.pk not in await database_sync_to_async(store.present_user_ids)(
        live_session.pk
    )


@pytest.mark.parametrize(
    ("frames", "code"),
    [(["x" * (17 * 1024)], 4413), (['{"type": "card_add"}'], 4400), (["ping"] * 11, 4429)],
    ids=["too-big", "not-a-heartbeat", "too-often"],
)
async def test_a_socket_closed_for_what_it_sent_leaves_presence_before_the_client_answers(
    live_session: Any, facilitator: Any, frames: list[str], code: int
) -> None:
    from workshops.room import presence

    comm, _ = await connect(live_session, facilitator)
    await drain(comm)
    for frame in frames:
        await comm.send_to(text_data=frame)
    assert await comm.receive_output(timeout=5) == {"type": "websocket.close", "code": code}
    # The client has not answered the close (no disconnect yet): already gone.
    present = await database_sync_to_async(presence.store().present_user_ids)(live_session.pk)
    assert facilitator.pk not in present


async def test_frames_closes_heartbeats_and_handshakes_skip_channels_database_hop(
    live_session: Any, facilitator: Any, person: Any
) -> None:
    """Channels hops to a thread to close old database connections before every handler; a
    push, a close and a heartbeat need no database of their own, and a handshake reaches it
    only through database_sync_to_async, which closes them itself in its own thread."""
    from workshops.room import broadcast

    await database_sync_to_async(AttendanceFactory)(session=live_session, user=person)
    comm, _ = await connect(live_session, facilitator)
    await drain(comm)
    with mock.patch("channels.consumer.aclose_old_connections") as closing:
        await database_sync_to_async(broadcast.send_to_group)(
            broadcast.room_group(live_session.pk),
            {
                "type": "room.html",
                "text": broadcast.encode_frame(event="presence_changed", html="hi", seq=None),
            },
        )
        assert json.loads(await comm.receive_from(timeout=5))["event"] == "presence_changed"
        await comm.send_to(text_data="ping")
        assert await comm.receive_nothing(timeout=0.3)
        assert closing.call_count == 0
        # A handshake reads the database in its own steps, which close old connections there.
        with mock.patch(
            "channels.db.close_old_connections", wraps=db.close_old_connections
        ) as closed_in_its_steps:
            jean, _ = await connect(live_session, person)
        assert closing.call_count == 0
        assert closed_in_its_steps.call_count >= 2
        await database_sync_to_async(broadcast.send_to_group)(
            broadcast.person_group(live_session.pk, person.pk), {"type": "room.close", "code": 4403}
        )
        output = await jean.receive_output(timeout=5)
        while output["type"] != "websocket.close":
            output = await jean.receive_output(timeout=5)
        assert output["code"] == 4403
        assert closing.call_count == 0
    await comm.disconnect()


class Costs:
    """What a block of code spent: SQL statements, Redis round trips, hops to a thread."""

    def __init__(self) -> None:
        self.sql: list[str] = []
        self.redis: list[bytes] = []
        self.thread_hops = 0


@contextmanager
def counting_costs() -> Iterator[Costs]:
    """Count SQL, Redis round trips (the layer's blocking receive aside) and thread hops,
    in every thread."""
    import redis.asyncio.connection as async_connection
    import redis.connection as sync_connection
    from asgiref.sync import SyncToAsync
    from django.db.backends.utils import CursorWrapper

    costs = Costs()
    run_sql = CursorWrapper._execute_with_wrappers
    send_async = async_connection.AbstractConnection.send_packed_command
    send_sync = sync_connection.AbstractConnection.send_packed_command
    hop = SyncToAsync.thread_handler

    def packed(command: Any) -> bytes:
        if isinstance(command, (bytes, str)):
            return command.encode() if isinstance(command, str) else command
        return b"".join(bytes(part) for part in command)

    def sql(self: Any, query: str, *args: Any, **kwargs: Any) -> Any:
        costs.sql.append(query)
        return run_sql(self, query, *args, **kwargs)

    async def redis_async(self: Any, command: Any, *args: Any, **kwargs: Any) -> Any:
        if b"BZPOPMIN" not in packed(command).upper():
            costs.redis.append(packed(command))
        return await send_async(self, command, *args, **kwargs)

    def redis_sync(self: Any, command: Any, *args: Any, **kwargs: Any) -> Any:
        costs.redis.append(packed(command))
        return send_sync(self, command, *args, **kwargs)

    def thread_handler(self: Any, *args: Any, **kwargs: Any) -> Any:
        costs.thread_hops += 1
        return hop(self, *args, **kwargs)

    with (
        mock.patch.object(CursorWrapper, "_execute_with_wrappers", sql),
        mock.patch.object(async_connection.AbstractConnection, "send_packed_command", redis_async),
        mock.patch.object(sync_connection.AbstractConnection, "send_packed_command", redis_sync),
        mock.patch.object(SyncToAsync, "thread_handler", thread_handler),
    ):
        yield costs


async def test_a_heartbeat_costs_one_redis_round_trip_and_no_sql(
    live_session: Any, facilitator: Any
) -> None:
    """The common case: nothing forgotten, access checked less than a minute ago."""
    comm, _ = await connect(live_session, facilitator)
    await drain(comm)
    await comm.send_to(text_data="ping")  # the process's first may open a connection
    assert await comm.receive_nothing(timeout=0.5)
    with counting_costs() as costs:
        await comm.send_to(text_data="ping")
        assert await comm.receive_nothing(timeout=0.5)
    assert costs.sql == []
    assert len(costs.redis) <= 1, costs.redis  # none with the in-memory layer
    assert costs.thread_hops == 0
    await comm.disconnect()


async def test_the_minutely_access_check_adds_one_thread_hop_and_no_group_rejoins(
    live_session: Any, facilitator: Any
) -> None:
    """Access still held and nothing forgotten: the check's own queries in one thread step,
    then the usual single Redis round trip (no group re-adds, no presence reread)."""
    from workshops.room import consumer

    comm, _ = await connect(live_session, facilitator)
    await drain(comm)
    await comm.send_to(text_data="ping")
    assert await comm.receive_nothing(timeout=0.5)
    with mock.patch.object(consumer, "ACCESS_RECHECK_SECONDS", 0), counting_costs() as costs:
        await comm.send_to(text_data="ping")
        assert await comm.receive_nothing(timeout=0.5)
    assert costs.thread_hops == 1
    assert 1 <= len(costs.sql) <= 3, costs.sql  # the sign-in, its person, their standing
    assert len(costs.redis) <= 1, costs.redis  # none with the in-memory layer
    await comm.disconnect()


async def test_a_heartbeat_checks_access_again_after_a_minute_even_if_nothing_was_forgotten(
    live_session: Any, facilitator: Any, person: Any
) -> None:
    """A close lost on its own (Redis kept its groups) is noticed within a minute."""
    from workshops.room import broadcast, consumer

    await database_sync_to_async(AttendanceFactory)(session=live_session, user=person)
    comm, _ = await connect(live_session, person)
    await drain(comm)
    with mock.patch.object(broadcast, "close_person_on_commit"):
        await database_sync_to_async(services.attendance_remove)(
            session=live_session, user_id=person.pk, by=facilitator
        )
    await drain(comm)
    await comm.send_to(text_data="ping")
    assert await comm.receive_nothing(timeout=0.5)  # within the minute: still open
    with mock.patch.object(consumer, "ACCESS_RECHECK_SECONDS", 0):
        await comm.send_to(text_data="ping")
        output = await comm.receive_output(timeout=5)
        while output["type"] != "websocket.close":
            output = await comm.receive_output(timeout=5)
    assert output == {"type": "websocket.close", "code": 4403}


# Co-facilitators: marked or unmarked, their socket rejoins with what they may now do --------


async def closed_with(comm: Any) -> int:
    """Read a socket's frames until it closes; the close code."""
    output = await comm.receive_output(timeout=5)
    while output["type"] != "websocket.close":
        output = await comm.receive_output(timeout=5)
    return int(output["code"])


async def hears_facilitators(comm: Any, session: Any, facilitator: Any) -> bool:
    """Whether a facilitators-only push (the people panel, after a change of admission)
    reaches this socket."""
    await drain(comm)
    await database_sync_to_async(services.session_set_admission)(
        session=session, admission="waiting"
    )
    await database_sync_to_async(services.session_set_admission)(session=session, admission="open")
    return any(f["event"] == "admission_changed" for f in await drain(comm))


async def test_a_contributor_marked_co_facilitator_rejoins_as_a_facilitator_and_back(
    live_session: Any, facilitator: Any, person: Any
) -> None:
    from workshops.room import broadcast

    await database_sync_to_async(AttendanceFactory)(session=live_session, user=person)
    jean, snapshot = await connect(live_session, person)
    assert 'id="people-panel"' not in snapshot["content"]
    assert not await hears_facilitators(jean, live_session, facilitator)

    await database_sync_to_async(services.attendance_set_co_facilitator)(
        session=live_session, user_id=person.pk, co_facilitator=True, by=facilitator
    )
    assert await closed_with(jean) == broadcast.CLOSE_REJOIN
    # The browser reconnects at once (4001 is a reconnect code) to the facilitator's room.
    jean, snapshot = await connect(live_session, person)
    assert 'id="people-panel"' in snapshot["content"] and 'id="agenda"' in snapshot["content"]
    assert "Move room here" in snapshot["content"]
    assert 'id="floor-me"' in snapshot["content"]  # still their own hand to raise
    assert await hears_facilitators(jean, live_session, facilitator)

    await database_sync_to_async(services.attendance_set_co_facilitator)(
        session=live_session, user_id=person.pk, co_facilitator=False, by=facilitator
    )
    assert await closed_with(jean) == broadcast.CLOSE_REJOIN
    jean, snapshot = await connect(live_session, person)
    # The controls the screen still shows are emptied by the snapshot.
    assert '<div id="steer-panels" hx-swap-oob="true"></div>' in snapshot["content"]
    assert "Move room here" not in snapshot["content"]
    assert not await hears_facilitators(jean, live_session, facilitator)
    await jean.disconnect()


async def test_a_picked_name_marked_co_facilitator_is_told_to_sign_in_and_gets_no_controls(
    live_session: Any, facilitator: Any, person: Any
) -> None:
    from django.contrib.sessions.backends.db import SessionStore

    from participants.identity import ROOM_SCOPE_KEY
    from workshops.room import broadcast

    def picked_cookie() -> str:
        cookie = session_cookie_for(person, method="name")
        store = SessionStore(session_key=cookie.split("=", 1)[1])
        store[ROOM_SCOPE_KEY] = live_session.pk
        store.save()
        return cookie

    await database_sync_to_async(AttendanceFactory)(session=live_session, user=person)
    cookie = await database_sync_to_async(picked_cookie)()

    async def connect_picked() -> tuple[Any, dict[str, Any]]:
        comm = room_communicator(live_session.pk, cookie)
        connected, _ = await comm.connect()
        assert connected
        return comm, json.loads(await comm.receive_from(timeout=5))

    jean, snapshot = await connect_picked()
    assert "You are co-facilitating" not in snapshot["content"]
    await database_sync_to_async(services.attendance_set_co_facilitator)(
        session=live_session, user_id=person.pk, co_facilitator=True, by=facilitator
    )
    assert await closed_with(jean) == broadcast.CLOSE_REJOIN
    jean, snapshot = await connect_picked()
    assert snapshot["event"] == "snapshot"
    assert "You are co-facilitating this session" in snapshot["content"]
    assert "sign-in card" in snapshot["content"]
    assert 'id="people-panel"' not in snapshot["content"]
    assert not await hears_facilitators(jean, live_session, facilitator)
    await jean.disconnect()


def _say_no_to_taking_part(person: Any, session: Any) -> None:
    from participants import services as people
    from participants.models import Membership

    people.consent_record(
        membership=Membership.objects.get(user=person, programme=session.programme),
        take_part=False,
        quotes=False,
        contact=False,
        photos=False,
        with_supporter=False,
    )


async def test_someone_who_said_no_to_taking_part_gets_no_socket(
    live_session: Any, person: Any
) -> None:
    await database_sync_to_async(AttendanceFactory)(session=live_session, user=person)
    await database_sync_to_async(_say_no_to_taking_part)(person, live_session)

    comm = room_communicator(
        live_session.pk, await database_sync_to_async(session_cookie_for)(person)
    )
    await comm.connect()

    assert await comm.receive_output(timeout=5) == {"type": "websocket.close", "code": 4403}


async def test_saying_no_to_taking_part_closes_the_persons_open_socket(
    live_session: Any, person: Any
) -> None:
    await database_sync_to_async(AttendanceFactory)(session=live_session, user=person)
    comm, _ = await connect(live_session, person)

    await database_sync_to_async(_say_no_to_taking_part)(person, live_session)

    for _ in range(10):
        output = await comm.receive_output(timeout=2)
        if output["type"] == "websocket.close":
            break
    assert output == {"type": "websocket.close", "code": 4403}
