"""What one change to the floor costs, whatever the queue holds (DESIGN.md §8).

Each change is made over htmx in a room of forty people and a facilitator, at 2 and at 30 hands
up: the SQL queries must be the same and few, the queue worked out once, each audience's
fragment rendered once and pushed in one frame, and a person's own panel pushed only to the
people whose own state changed (the others' browsers read their place from the room's queue).
"""

from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from participants.models import Role
from tests.factories import AttendanceFactory, MembershipFactory, UserFactory
from tests.helpers import captured_broadcasts
from workshops.floor import render, selectors, services
from workshops.floor.models import Turn
from workshops.room import broadcast

pytestmark = pytest.mark.django_db
HTMX: Any = {"HTTP_HX_REQUEST": "true"}
FRAME_MAX = 4096
# Counted as the test database sees them: the service's savepoint and its release included.
QUERY_CEILING = 15
# Giving the floor to someone also checks that they may be in the room (their membership and
# their admission), on top of the facilitator's own right to steer.
CEILINGS = {"give the floor": 17}
ROOM_SIZE = 40


def url(name: str, session: Any) -> str:
    return reverse(name, args=[session.pk])


def crowd(session: Any) -> list[Any]:
    """Forty people let into the room, of every role."""
    roles = [Role.LIVED_EXPERIENCE, Role.CARER, Role.PRACTITIONER]
    people = []
    for i in range(ROOM_SIZE):
        user = UserFactory(display_name=f"Person {i:02d}")
        MembershipFactory(user=user, programme=session.programme, role=roles[i % 3])
        AttendanceFactory(session=session, user=user)
        people.append(user)
    return people


def hands_up(session: Any, people: list[Any], n: int) -> None:
    """The first n people raise their hands (some have spoken already)."""
    for user in people[:n]:
        services.hand_raise(session=session, user=user)


def speaking(session: Any, facilitator: Any, user: Any) -> None:
    services.floor_give(session=session, by=facilitator, person_id=user.pk)


# Each change is set up, then pressed: (who presses, which action, the form, the people whose
# own state changes).
Press = tuple[Any, str, dict[str, Any], set[int]]
Change = Callable[[Any, list[Any], Any], Press]


def raise_hand(session: Any, people: list[Any], fac: Any) -> Press:
    me = people[-1]
    return me, "hand_raise", {}, {me.pk}


def lower_hand(session: Any, people: list[Any], fac: Any) -> Press:
    me = people[0]
    return me, "hand_lower", {}, {me.pk}


def next_speaker(session: Any, people: list[Any], fac: Any) -> Press:
    speaker = people[-2]
    speaking(session, fac, speaker)
    state = selectors.floor_state(session=session)
    assert state.speaker is not None and state.next_turn_id is not None
    upcoming = Turn.objects.get(pk=state.next_turn_id)
    data = {"speaker": state.speaker.pk, "next": state.next_turn_id}
    return fac, "floor_next", data, {speaker.pk, upcoming.person_id}


def give_floor(session: Any, people: list[Any], fac: Any) -> Press:
    speaker, chosen = people[-2], people[1]
    speaking(session, fac, speaker)
    return fac, "floor_give", {"person": chosen.pk}, {speaker.pk, chosen.pk}


def end_turn(session: Any, people: list[Any], fac: Any) -> Press:
    speaker = people[-2]
    speaking(session, fac, speaker)
    turn = Turn.objects.get(session=session, status=Turn.Status.SPEAKING)
    return speaker, "turn_end", {"turn": turn.pk}, {speaker.pk}


CHANGES: dict[str, Change] = {
    "raise hand": raise_hand,
    "lower hand": lower_hand,
    "next speaker": next_speaker,
    "give the floor": give_floor,
    "end turn": end_turn,
}
SPIED = ["render_floor", "render_mine", "render_queue", "render_balance"]
ORIGINALS = {name: getattr(render, name) for name in SPIED}


def measure(
    session: Any, people: list[Any], fac: Any, change: Change, capture: Any
) -> dict[str, Any]:
    """Queries, pushes and renders of one change made over htmx."""
    who, action, data, changed = change(session, people, fac)
    client = Client()
    client.force_login(who)
    client.get(url("room", session))  # the first request of a login writes to its session
    with (
        mock.patch.object(selectors, "hand_queue", wraps=selectors.hand_queue) as hand_queue,
        mock.patch.object(selectors, "floor_state", wraps=selectors.floor_state) as floor_state,
        mock.patch.multiple(render, **{n: mock.DEFAULT for n in SPIED}) as spies,
        captured_broadcasts(capture) as pushes,
        CaptureQueriesContext(connection) as queries,
    ):
        for name, spy in spies.items():
            spy.side_effect = ORIGINALS[name]
        response = client.post(url(action, session), data, **HTMX)
    assert response.status_code in (200, 204), response.content.decode()
    renders = {name: spy.call_count for name, spy in spies.items()}
    renders["hand_queue"] = hand_queue.call_count
    renders["floor_state"] = floor_state.call_count
    return {
        "queries": queries.captured_queries,
        "pushes": pushes.messages,
        "renders": renders,
        "changed": changed,
    }


@pytest.mark.parametrize("kind", list(CHANGES))
def test_a_floor_change_costs_the_same_with_2_and_30_hands_up(
    live_session: Any,
    facilitator: Any,
    django_capture_on_commit_callbacks: Any,
    kind: str,
) -> None:
    session = live_session
    people = crowd(session)
    change = CHANGES[kind]
    results = []
    for n in (2, 30):
        Turn.objects.filter(session=session).delete()
        hands_up(session, people, n)
        results.append(
            measure(session, people, facilitator, change, django_capture_on_commit_callbacks)
        )
    big = results[1]
    counts = [len(r["queries"]) for r in results]
    assert counts[0] == counts[1], f"{kind}: {counts[0]} queries at 2 hands, {counts[1]} at 30"
    ceiling = CEILINGS.get(kind, QUERY_CEILING)
    assert counts[1] <= ceiling, f"{kind}: {counts[1]} queries\n" + "\n".join(
        q["sql"] for q in big["queries"]
    )
    for result in results:
        renders = result["renders"]
        # The floor (and its queue) is read once; after the change it is rebuilt in memory.
        worked_out = renders["hand_queue"] + renders["floor_state"]
        assert worked_out <= 1, f"{kind}: the queue worked out {worked_out} times"
        assert renders["render_floor"] <= 1 and renders["render_queue"] <= 1, renders
        assert renders["render_balance"] <= 1, renders
        assert renders["render_mine"] <= len(result["changed"]), renders
        groups = [g for g, m in result["pushes"] if m["type"] == "room.html"]
        room = broadcast.room_group(session.pk)
        staff = broadcast.facilitators_group(session.pk)
        assert groups.count(room) <= 1 and groups.count(staff) <= 1, groups
        persons = [g for g in groups if g not in (room, staff)]
        assert len(persons) == len(set(persons)), f"{kind}: two frames to one person"
        allowed = {broadcast.person_group(session.pk, uid) for uid in result["changed"]}
        assert set(persons) <= allowed, f"{kind}: pushed to people whose state did not change"
        for group, message in result["pushes"]:
            if group != staff:
                size = len(message["text"].encode())
                assert size <= FRAME_MAX, f"{kind}: a {size} byte frame to {group}"


def test_the_room_queue_says_who_each_hand_is(
    live_session: Any, facilitator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Each browser finds its own place in the room's queue: entries carry a user id."""
    people = crowd(live_session)[:3]
    hands_up(live_session, people, 2)
    with captured_broadcasts(django_capture_on_commit_callbacks) as pushes:
        services.hand_raise(session=live_session, user=people[2])
    html = pushes.frames(broadcast.room_group(live_session.pk))[0]["content"]
    for position, user in enumerate(people, start=1):
        assert f'data-user-id="{user.pk}"' in html
        assert f'data-position="{position}"' in html
    mine = pushes.frames(broadcast.person_group(live_session.pk, people[2].pk))[0]["content"]
    assert "You are number 3 in the queue" in mine and "data-floor-position" in mine


def test_the_room_page_says_who_is_looking(client: Client, live_session: Any, person: Any) -> None:
    AttendanceFactory(session=live_session, user=person)
    client.force_login(person)
    html = client.get(url("room", live_session)).content.decode()
    assert f'data-viewer-id="{person.pk}"' in html
