"""What moving the room costs, whatever the agenda holds (DESIGN.md §8).

The facilitator moves a room of forty people over htmx, on an agenda of 3 and of 30
activities: the same few SQL queries, one render per audience, every frame small.
"""

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ActivityFactory, AttendanceFactory, UserFactory
from tests.helpers import captured_broadcasts
from workshops.room import broadcast

pytestmark = pytest.mark.django_db
HTMX: Any = {"HTTP_HX_REQUEST": "true"}
FRAME_MAX = 4096
# Counted as the test database sees them: the person's session and user, the session with
# their standing, the locked row, the two activities whose "Now" changes, the two updates, the
# room's seq, and the service's savepoint and its release.
QUERY_CEILING = 10


def move_the_room(live_session: Any, facilitator: Any, capture: Any, agenda: int) -> dict[str, Any]:
    """Queries and pushes of one move, on an agenda of `agenda` activities."""
    for n in range(live_session.activities.count(), agenda):
        ActivityFactory(session=live_session, kind="discussion", title=f"Item {n}", order=n)
    for _ in range(40):
        AttendanceFactory(session=live_session, user=UserFactory())
    target = live_session.activities.order_by("-order").first()
    client = Client()
    client.force_login(facilitator)
    client.get(reverse("room", args=[live_session.pk]))  # a login's first request writes
    with captured_broadcasts(capture) as pushes, CaptureQueriesContext(connection) as queries:
        response = client.post(
            reverse("session_move", args=[live_session.pk]), {"activity": target.pk}, **HTMX
        )
    assert response.status_code in (200, 204), response.content.decode()
    return {"queries": [q["sql"] for q in queries.captured_queries], "pushes": pushes.messages}


@pytest.mark.parametrize("agenda", [3, 30])
def test_moving_the_room_costs_the_same_whatever_the_agenda_holds(
    live_session: Any, facilitator: Any, django_capture_on_commit_callbacks: Any, agenda: int
) -> None:
    cost = move_the_room(live_session, facilitator, django_capture_on_commit_callbacks, agenda)
    assert len(cost["queries"]) <= QUERY_CEILING, "\n".join(cost["queries"])
    groups = [group for group, _ in cost["pushes"]]
    # The room's activity, the facilitators' activity and the two agenda items that changed.
    assert sorted(groups) == sorted(
        [
            broadcast.room_group(live_session.pk),
            broadcast.facilitators_group(live_session.pk),
            broadcast.facilitators_group(live_session.pk),
        ]
    )
    for _, message in cost["pushes"]:
        assert len(message["text"].encode()) <= FRAME_MAX, message["text"][:200]


def test_a_bigger_agenda_costs_no_more_queries(
    live_session: Any, facilitator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    small = move_the_room(live_session, facilitator, django_capture_on_commit_callbacks, 3)
    big = move_the_room(live_session, facilitator, django_capture_on_commit_callbacks, 30)
    assert len(big["queries"]) == len(small["queries"])
