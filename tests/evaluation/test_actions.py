"""You said, we did: actions made from the group's ideas; everyone sees what their ideas led to."""

import uuid
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from boards import services as boards
from boards.models import Card
from tests.factories import ActivityFactory, LiveSessionFactory, ProgrammeFactory
from workshops.evaluation import services
from workshops.evaluation.models import ActionPoint

pytestmark = pytest.mark.django_db


def idea(session: Any, author: Any, text: str) -> Card:
    activity = ActivityFactory(session=session, kind="board", title="Ideas board")
    board = boards.board_create(activity=activity, by=None)
    return Card.objects.create(
        board=board, column=board.columns.first(), author=author, text=text, client_id=uuid.uuid4()
    )


def test_an_action_from_ideas_shows_people_what_their_ideas_led_to(
    live_session: Any, person: Any, carer: Any, facilitator: Any
) -> None:
    jeans = idea(live_session, person, "A quiet room for the first hour")
    services.action_point_create(
        programme=live_session.programme,
        title="Book the small hall",
        card_uids=[str(jeans.uid)],
        owner_id=facilitator.pk,
    )
    client = Client()
    client.force_login(person)
    page = client.get(reverse("actions", args=[live_session.programme_id])).content.decode()
    assert "Book the small hall" in page and "A quiet room for the first hour" in page
    assert "Your idea" in page
    other = Client()
    other.force_login(carer)
    assert (
        "Your idea"
        not in other.get(reverse("actions", args=[live_session.programme_id])).content.decode()
    )


def test_ideas_of_another_programme_cannot_be_used(
    live_session: Any, facilitator: Any, person: Any
) -> None:
    elsewhere = LiveSessionFactory(programme=ProgrammeFactory())
    foreign = idea(elsewhere, person, "Not ours")
    with pytest.raises(ValidationError):
        services.action_point_create(
            programme=live_session.programme,
            title="x",
            card_uids=[str(foreign.uid)],
        )
    with pytest.raises(ValidationError):
        services.action_point_create(programme=live_session.programme, title="  ", card_uids=[])
    assert not ActionPoint.objects.exists()


def test_only_facilitators_add_or_update_actions(
    live_session: Any, person: Any, facilitator: Any
) -> None:
    card = idea(live_session, person, "Transport to sessions")
    client = Client()
    client.force_login(person)
    response = client.post(
        reverse("actions", args=[live_session.programme_id]),
        {"title": "x", "ideas": [str(card.uid)]},
    )
    assert response.status_code == 404 and not ActionPoint.objects.exists()
    staff = Client()
    staff.force_login(facilitator)
    staff.post(
        reverse("actions", args=[live_session.programme_id]),
        {"title": "Arrange taxis", "ideas": [str(card.uid)]},
    )
    action = ActionPoint.objects.get()
    staff.post(
        reverse("actions", args=[live_session.programme_id]),
        {
            "what": "update",
            "action": action.pk,
            "status": "done",
            "progress_note": "Taxis booked for every session",
        },
    )
    action.refresh_from_db()
    assert (action.status, action.progress_note) == ("done", "Taxis booked for every session")
