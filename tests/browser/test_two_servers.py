"""Two daphne processes sharing Redis and the database behave as one."""

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import redis

from participants.models import Role
from tests.browser.conftest import Server, server_env, start_server, wait_connected
from tests.factories import AttendanceFactory, MembershipFactory, UserFactory


@pytest.fixture
def two_servers(server: Any) -> Iterator[tuple[Server, Server]]:
    """Two more servers on their own ports, sharing one Redis channel layer."""
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/9"
    try:
        redis.Redis.from_url(url).ping()
    except redis.RedisError as exc:
        raise RuntimeError(f"This test needs Redis at {url}: {exc}") from exc
    env = server_env()
    env.update({"REDIS_URL": url, "CHANNEL_PREFIX": f"comhla-two-{uuid.uuid4().hex[:8]}"})
    first = start_server(env, name="daphne-a")
    second = start_server(env, name="daphne-b")
    yield first, second
    first.stop()
    second.stop()


def test_people_on_two_servers_see_each_other_and_follow_the_room(
    two_servers: tuple[Server, Server], open_page: Any, live_session: Any, facilitator: Any
) -> None:
    a, b = two_servers
    jean, tam = UserFactory(display_name="Jean Robertson"), UserFactory(display_name="Tam Wilson")
    for user in (jean, tam):
        MembershipFactory(user=user, programme=live_session.programme, role=Role.LIVED_EXPERIENCE)
        AttendanceFactory(session=live_session, user=user)

    fac = open_page(facilitator, base_url=a.url)
    fac.goto(f"/sessions/{live_session.pk}/room/")
    wait_connected(fac)
    jean_page = open_page(jean, phone=True, base_url=a.url)
    jean_page.goto(f"/sessions/{live_session.pk}/room/")
    wait_connected(jean_page)
    tam_page = open_page(tam, phone=True, base_url=b.url)
    tam_page.goto(f"/sessions/{live_session.pk}/room/")
    wait_connected(tam_page)

    # Tam arrived through server B; Jean, on server A, sees him arrive, and he sees her.
    jean_page.locator("#presence").get_by_text("Tam Wilson").wait_for()
    tam_page.locator("#presence").get_by_text("Jean Robertson").wait_for()

    # The facilitator (server A) moves the room: Tam's screen (server B) follows.
    fac.get_by_role("button", name="Move room here to Ideas").click()
    tam_page.locator("#activity").get_by_role("heading", name="Ideas").wait_for()
    jean_page.locator("#activity").get_by_role("heading", name="Ideas").wait_for()
