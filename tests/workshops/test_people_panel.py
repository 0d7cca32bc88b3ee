"""The facilitators' #people-panel: rows rendered once per state, never another's."""

from typing import Any

import pytest
from django.utils import translation

from participants.models import Role
from tests.factories import (
    AttendanceFactory,
    LiveSessionFactory,
    MembershipFactory,
    UserFactory,
)
from workshops import services
from workshops.room import presence
from workshops.room import render as room_render

pytestmark = pytest.mark.django_db


def rows_of(html: str) -> list[str]:
    """The panel's people, as the facilitator reads them (tags dropped)."""
    import re

    return [" ".join(re.sub(r"<[^>]+>", " ", "<li" + li).split()) for li in html.split("<li")[1:]]


@pytest.fixture
def room(live_session: Any) -> list[Any]:
    people = []
    for name in ("Ann", "Bob", "Cat"):
        person = UserFactory(display_name=name)
        MembershipFactory(user=person, programme=live_session.programme, role=Role.CARER)
        AttendanceFactory(session=live_session, user=person)
        people.append(person)
    return people


def test_a_row_follows_its_persons_state(
    live_session: Any, room: list[Any], facilitator: Any
) -> None:
    room_render._render_people_row.cache_clear()
    before = room_render.render_people_panel(live_session)
    assert all("not connected" in row for row in rows_of(before) if "Remove" in row)
    presence.store().touch(live_session.pk, room[0].pk, "channel-ann")
    services.attendance_set_co_facilitator(
        session=live_session, user_id=room[1].pk, co_facilitator=True, by=facilitator
    )
    after = {r.split()[0]: r for r in rows_of(room_render.render_people_panel(live_session))}
    assert "not connected" not in after["Ann"]
    assert "Co-facilitator" in after["Bob"] and "Stop co-facilitating" in after["Bob"]
    assert "not connected" in after["Cat"] and "Make co-facilitator" in after["Cat"]
    # Cat's row did not change: rendered once, for the first panel only.
    assert room_render._render_people_row.cache_info().misses == 5


def test_rows_are_never_another_sessions_or_languages(live_session: Any, room: list[Any]) -> None:
    other = LiveSessionFactory(programme=live_session.programme, number=2)
    AttendanceFactory(session=other, user=room[0])
    here = room_render.render_people_panel(live_session)
    there = room_render.render_people_panel(other)
    assert f"/sessions/{other.pk}/" not in here
    assert f"/sessions/{live_session.pk}/" not in there
    assert f"/sessions/{other.pk}/" in there
    with translation.override("cy"):
        welsh = room_render.render_people_panel(live_session)
    with translation.override("en"):
        assert room_render.render_people_panel(live_session) == here
    assert welsh.count("<li") == here.count("<li")


def test_a_name_is_escaped_in_its_row(live_session: Any) -> None:
    person = UserFactory(display_name="<script>alert(1)</script>")
    MembershipFactory(user=person, programme=live_session.programme, role=Role.LIVED_EXPERIENCE)
    AttendanceFactory(session=live_session, user=person)
    html = room_render.render_people_panel(live_session)
    assert "<script>" not in html and "&lt;script&gt;" in html
