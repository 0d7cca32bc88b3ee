"""A member signed in with a proven identity joins a live session from its room page, without
the code; a room identity picked in another session does not."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from participants.identity import ROOM_SCOPE_KEY
from tests.factories import AttendanceFactory, LiveSessionFactory
from tests.helpers import session_cookie_for
from workshops.models import Attendance, Session

pytestmark = pytest.mark.django_db


def client_for(user: Any, *, method: str = "card", scope: int | None = None) -> Client:
    client = Client()
    name, _, key = session_cookie_for(user, method=method).partition("=")
    client.cookies[name] = key
    if scope is not None:
        store = client.session
        store[ROOM_SCOPE_KEY] = scope
        store.save()
    return client


def test_a_signed_in_practitioner_joins_an_open_session_without_the_code(
    live_session: Any, practitioner: Any
) -> None:
    client = client_for(practitioner)
    page = client.get(reverse("room", args=[live_session.pk])).content.decode()
    assert "Join this session" in page
    assert not Attendance.objects.filter(user=practitioner).exists()
    response = client.post(reverse("room_join", args=[live_session.pk]))
    assert response.status_code == 302 and response.url == reverse("room", args=[live_session.pk])
    attendance = Attendance.objects.get(session=live_session, user=practitioner)
    assert attendance.admission == "admitted" and attendance.checked_in_at is not None
    assert client.get(response.url).status_code == 200


def test_with_a_waiting_list_they_wait_to_be_let_in(live_session: Any, person: Any) -> None:
    live_session.admission = Session.Admission.WAITING_LIST
    live_session.save(update_fields=["admission"])
    response = client_for(person).post(reverse("room_join", args=[live_session.pk]))
    assert response.url == reverse("join_waiting", args=[live_session.pk])
    assert Attendance.objects.get(user=person).admission == "waiting"


def test_someone_removed_stays_out(live_session: Any, person: Any) -> None:
    AttendanceFactory(session=live_session, user=person, admission="removed")
    client = client_for(person)
    assert (
        "Join this session"
        not in client.get(reverse("room", args=[live_session.pk])).content.decode()
    )
    client.post(reverse("room_join", args=[live_session.pk]))
    assert Attendance.objects.get(user=person).admission == "removed"


def test_a_room_identity_from_another_session_must_type_the_code(
    live_session: Any, programme: Any, person: Any
) -> None:
    other = LiveSessionFactory(programme=programme, number=2)
    AttendanceFactory(session=other, user=person)
    client = client_for(person, method="name", scope=other.pk)
    page = client.get(reverse("room", args=[live_session.pk]))
    assert "Join this session" not in page.content.decode()
    response = client.post(reverse("room_join", args=[live_session.pk]))
    assert response.status_code in (403, 404)
    assert not Attendance.objects.filter(session=live_session, user=person).exists()


def test_an_outsider_or_an_ended_session_gets_no_way_in(
    live_session: Any, outsider: Any, person: Any
) -> None:
    assert (
        client_for(outsider).post(reverse("room_join", args=[live_session.pk])).status_code == 404
    )
    live_session.status = Session.Status.ENDED
    live_session.save(update_fields=["status"])
    client = client_for(person)
    client.post(reverse("room_join", args=[live_session.pk]))
    assert not Attendance.objects.filter(session=live_session).exists()
