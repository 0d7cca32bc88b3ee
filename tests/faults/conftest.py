"""Fault suite fixtures: a room of people on a board, served by a daphne of the test's own on
a Redis of the test's own, both on loopback, so the tests may pause, kill and restart them.

Run with `make test-faults` (`.ci/run` does, on PostgreSQL). Nothing is skipped: a missing
redis-server is an error that says what to install.
"""

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

# The scenario coroutines read the database between steps; plain synchronous ORM calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest
from django.db import connection

from boards import services as board_services
from boards.models import Board, Card
from participants.models import Role
from tests.browser.conftest import ARTIFACTS, Server, free_port, server_env, start_server
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    LiveSessionFactory,
    MembershipFactory,
    ProgrammeFactory,
    StaffUserFactory,
    UserFactory,
)
from tests.faults.harness import RedisServer, fault_env_name
from tests.helpers import session_cookie_for
from workshops.models import Session


@dataclass
class Room:
    """A live session whose room is on a board, and the signed-in cookies of its people."""

    session: Session
    board: Board
    column_id: int
    cookies: list[str]
    facilitator_cookie: str

    def cards_in_database(self) -> set[str]:
        """The ideas on the board, as the database holds them."""
        return {
            str(uid)
            for uid in Card.objects.filter(board=self.board, deleted_at__isnull=True).values_list(
                "uid", flat=True
            )
        }

    def seq_in_database(self) -> int:
        """The room's latest push number."""
        return Session.objects.values_list("seq", flat=True).get(pk=self.session.pk)


def make_room(people: int) -> Room:
    """A programme with a facilitator and `people` participants admitted to a live board."""
    programme = ProgrammeFactory(name="Fault suite programme")
    facilitator = StaffUserFactory(display_name="Fiona Facilitator")
    MembershipFactory(user=facilitator, programme=programme, role=Role.FACILITATOR)
    session: Any = LiveSessionFactory(programme=programme, number=1, title="Ideas under fire")
    activity = ActivityFactory(session=session, kind="board", title="Ideas", order=0)
    session.current_activity = activity
    session.save()
    board = board_services.board_create(activity=activity, by=facilitator)
    cookies = []
    for i in range(people):
        user = UserFactory(display_name=f"Person {i + 1}")
        MembershipFactory(user=user, programme=programme, role=Role.LIVED_EXPERIENCE)
        AttendanceFactory(session=session, user=user)
        cookies.append(session_cookie_for(user))
    column = board.columns.order_by("position").first()
    assert column is not None
    session.refresh_from_db()
    return Room(
        session=session,
        board=board,
        column_id=column.pk,
        cookies=cookies,
        facilitator_cookie=session_cookie_for(facilitator),
    )


@dataclass
class Stack:
    """Redis and daphne of this test's own."""

    redis: RedisServer
    env: dict[str, str]
    server: Server

    def restart_server(self) -> None:
        """Stop daphne and start it again on the same port (clients keep their address)."""
        port = self.server.port
        self.server.stop()
        self.server = start_server(self.env, port=port, name="daphne-restarted")


@pytest.fixture
def stack(transactional_db: Any) -> Iterator[Stack]:
    """Start redis-server and daphne on loopback; stop both afterwards."""
    if shutil.which("redis-server") is None:
        raise RuntimeError("redis-server not found: install Debian's redis-server package")
    ARTIFACTS.mkdir(exist_ok=True)
    port = free_port()
    redis = RedisServer(port, ARTIFACTS / f"redis-{port}.log")
    redis.start()
    env = server_env()
    env.update({"REDIS_URL": redis.url, "CHANNEL_PREFIX": fault_env_name(), "DEBUG": "0"})
    server = start_server(env, name="daphne-faults")
    built = Stack(redis=redis, env=env, server=server)
    try:
        yield built
    finally:
        built.server.stop()
        redis.stop()
        if connection.vendor == "postgresql":
            # A connection the killed server left behind would stop the test database from
            # being dropped at the end of the run.
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
