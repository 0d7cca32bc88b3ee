"""A person's own floor panel (#floor-me): shared while their hand is down, their own once not."""

from typing import Any

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from tests.factories import AttendanceFactory, LiveSessionFactory, MembershipFactory, UserFactory
from workshops.floor import render, selectors, services

pytestmark = pytest.mark.django_db


def fresh_render(session: Any, user_id: int) -> str:
    """#floor-me rendered the long way, from the person's own state."""
    me = selectors.my_floor(session=session, user_id=user_id)
    return render_to_string(
        f"{render.TEMPLATE}#floor-me", {"session": session, "me": me, "oob": True}
    )


def test_a_hand_down_panel_is_rendered_once_per_session_and_language(live_session: Any) -> None:
    """Forty handshakes with hands down render the panel once, and it is what each would get."""
    people = [UserFactory() for _ in range(3)]
    for person in people:
        AttendanceFactory(session=live_session, user=person)
    render._render_idle_mine.cache_clear()
    panels = {render.render_mine(live_session, p.pk) for p in people}
    assert panels == {fresh_render(live_session, people[0].pk)}
    assert "Raise my hand" in panels.pop()
    assert render._render_idle_mine.cache_info().misses == 1
    with translation.override("cy"):
        welsh = render.render_mine(live_session, people[0].pk)
        assert welsh == fresh_render(live_session, people[0].pk)
    assert render._render_idle_mine.cache_info().misses == 2


def test_a_raised_hand_gets_its_own_panel_and_the_others_keep_the_shared_one(
    live_session: Any,
) -> None:
    jean, sam = UserFactory(), UserFactory()
    for person in (jean, sam):
        MembershipFactory(user=person, programme=live_session.programme)
        AttendanceFactory(session=live_session, user=person)
    services.hand_raise(session=live_session, user=jean)
    mine = render.render_mine(live_session, jean.pk)
    assert "Lower my hand" in mine and "You are next." in mine
    assert mine == fresh_render(live_session, jean.pk)
    assert render.render_mine(live_session, sam.pk) == fresh_render(live_session, sam.pk)


def test_each_session_has_its_own_hand_down_panel(live_session: Any) -> None:
    """The cached panel posts to its own session's room, never another's."""
    other = LiveSessionFactory(programme=live_session.programme, number=2)
    person = UserFactory()
    here, there = render.render_mine(live_session, person.pk), render.render_mine(other, person.pk)
    assert f"/sessions/{live_session.pk}/" in here and f"/sessions/{other.pk}/" not in here
    assert f"/sessions/{other.pk}/" in there and f"/sessions/{live_session.pk}/" not in there
