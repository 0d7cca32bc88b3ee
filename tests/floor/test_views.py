"""The floor's actions over HTTP: who may do what, and bad input."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import AttendanceFactory
from workshops.floor.models import Turn
from workshops.room import render as room_render
from workshops.services import session_end

pytestmark = pytest.mark.django_db


def htmx_client(user: Any) -> Client:
    client = Client(headers={"HX-Request": "true"})
    client.force_login(user)
    return client


def test_raising_and_lowering_a_hand(live_session: Any, person: Any) -> None:
    AttendanceFactory(session=live_session, user=person)
    client = htmx_client(person)
    assert client.post(reverse("hand_raise", args=[live_session.pk])).status_code == 204
    assert Turn.objects.filter(person=person, status="waiting").exists()
    assert client.post(reverse("hand_lower", args=[live_session.pk])).status_code == 204
    assert not Turn.objects.filter(person=person, status="waiting").exists()


def test_a_member_not_let_in_cannot_raise_a_hand(live_session: Any, carer: Any) -> None:
    response = htmx_client(carer).post(reverse("hand_raise", args=[live_session.pk]))
    assert response.status_code == 404
    assert not Turn.objects.exists()


@pytest.mark.parametrize(
    "name", ["floor_next", "floor_give", "round_start", "round_status", "turn_limit"]
)
def test_participants_cannot_steer_the_floor(live_session: Any, person: Any, name: str) -> None:
    AttendanceFactory(session=live_session, user=person)
    response = htmx_client(person).post(
        reverse(name, args=[live_session.pk]), {"person": person.pk}
    )
    assert response.status_code == 404
    assert not Turn.objects.exists()


@pytest.mark.parametrize("seconds", ["-5", "0", "14", "3601", "999999", "abc", ""])
def test_an_absurd_time_limit_gets_a_clear_message(
    live_session: Any, facilitator: Any, seconds: str
) -> None:
    response = htmx_client(facilitator).post(
        reverse("turn_limit", args=[live_session.pk]), {"seconds": seconds}
    )
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    live_session.refresh_from_db()
    assert live_session.turn_time_limit_seconds == 120


def test_a_sensible_time_limit_is_saved(live_session: Any, facilitator: Any) -> None:
    response = htmx_client(facilitator).post(
        reverse("turn_limit", args=[live_session.pk]), {"seconds": "90"}
    )
    assert response.status_code == 204
    live_session.refresh_from_db()
    assert live_session.turn_time_limit_seconds == 90


def test_ending_someone_elses_turn_is_refused(
    live_session: Any, person: Any, carer: Any, facilitator: Any
) -> None:
    for user in (person, carer):
        AttendanceFactory(session=live_session, user=user)
    htmx_client(facilitator).post(
        reverse("floor_give", args=[live_session.pk]), {"person": person.pk}
    )
    turn = Turn.objects.get(person=person)
    response = htmx_client(carer).post(
        reverse("turn_end", args=[live_session.pk]), {"turn": turn.pk}
    )
    assert response.status_code == 403
    assert "Only a facilitator" in response.content.decode()
    turn.refresh_from_db()
    assert turn.status == "speaking"


def test_the_balance_csv_of_a_session_where_nobody_took_the_floor(
    live_session: Any, person: Any, facilitator: Any
) -> None:
    AttendanceFactory(session=live_session, user=person)
    session_end(session=live_session)
    response = htmx_client(facilitator).get(reverse("balance_csv", args=[live_session.pk]))
    assert response.content.decode().splitlines()[:2] == ["balance_index,", "turns_taken,0"]


def test_the_balance_csv(live_session: Any, person: Any, facilitator: Any) -> None:
    AttendanceFactory(session=live_session, user=person)
    htmx_client(facilitator).post(
        reverse("floor_give", args=[live_session.pk]), {"person": person.pk}
    )
    response = htmx_client(facilitator).get(reverse("balance_csv", args=[live_session.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert text.startswith("balance_index,")
    assert "turns_taken,1" in text.splitlines()[1]
    assert "share_of_airtime" in text
    assert (
        htmx_client(person).get(reverse("balance_csv", args=[live_session.pk])).status_code == 404
    )


def test_the_room_shows_the_floor_with_a_query_count_that_does_not_grow(
    live_session: Any, person: Any, facilitator: Any, django_assert_num_queries: Any
) -> None:
    from participants.models import Role
    from tests.factories import MembershipFactory, UserFactory
    from workshops.floor import services
    from workshops.room import render as room_render

    def crowd(n: int) -> None:
        for _ in range(n):
            user = UserFactory()
            MembershipFactory(user=user, programme=live_session.programme, role=Role.CARER)
            AttendanceFactory(session=live_session, user=user)
            services.hand_raise(session=live_session, user=user)

    crowd(2)
    with django_assert_num_queries(11) as small:
        room_render.render_snapshot(live_session, viewer=facilitator)
    crowd(20)
    with django_assert_num_queries(len(small.captured_queries)):
        html, _ = room_render.render_snapshot(live_session, viewer=facilitator)
    assert html.count("Has not spoken yet") == 22


def test_a_participants_hand_is_in_the_dock_and_in_the_snapshot(
    client: Client, live_session: Any, person: Any, facilitator: Any
) -> None:
    AttendanceFactory(session=live_session, user=person)
    client.force_login(person)
    html = client.get(reverse("room", args=[live_session.pk])).content.decode()
    # In the dock: after its start, before its link back to the activity.
    assert (
        html.index("data-dock")
        < html.index('id="floor-me"')
        < html.index("Back to the activity")
        < html.index('id="activity"')
    )
    assert html.count('id="page-errors"') == 1
    snapshot, _seq = room_render.render_snapshot(live_session, viewer=person)
    assert 'id="floor-me"' in snapshot
    client.force_login(facilitator)
    html = client.get(reverse("room", args=[live_session.pk])).content.decode()
    assert 'id="floor-me"' not in html and "comhla-dock--actions" not in html
    assert html.count('id="page-errors"') == 1
