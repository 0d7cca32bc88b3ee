"""A practitioner signed in with their card goes from "Live now" on their home page straight into
the room, without typing the session's code."""

from typing import Any

from tests.browser.conftest import assert_accessible, wait_connected
from workshops.models import Attendance


def test_live_now_then_join_this_session(
    open_page: Any, live_session: Any, practitioner: Any
) -> None:
    priya = open_page(practitioner, phone=True)
    priya.goto("/")
    assert_accessible(priya)
    priya.get_by_role("link", name=f"Go to {live_session.title}").click()
    priya.get_by_role("button", name="Join this session").wait_for()
    assert_accessible(priya)
    priya.get_by_role("button", name="Join this session").click()
    wait_connected(priya)
    assert_accessible(priya)
    assert Attendance.objects.get(session=live_session, user=practitioner).admission == "admitted"
