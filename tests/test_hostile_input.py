"""Hostile strings through the foundation's text fields: stored exactly, shown escaped, or
refused with a clear error and nothing saved; never a server error."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from participants.models import Membership, User
from tests.hostile import HOSTILE_STRINGS, REFUSED_STRINGS
from workshops import room
from workshops.models import Activity, Programme

pytestmark = pytest.mark.django_db


def shown_as_text(html: str, text: str) -> None:
    assert escape(text) in html
    if "<" in text:
        assert text not in html


@pytest.mark.parametrize("text", HOSTILE_STRINGS)
def test_programme_names_are_stored_exactly_and_shown_as_text(organiser: Any, text: str) -> None:
    client = Client()
    client.force_login(organiser)
    today = timezone.localdate().isoformat()
    response = client.post(
        reverse("programme_create"),
        {"name": text, "site": text, "focus": text, "starts_on": today, "ends_on": today},
    )
    assert response.status_code == 302
    programme = Programme.objects.get(name=text)
    assert programme.site == text
    shown_as_text(
        client.get(reverse("programme_detail", args=[programme.pk])).content.decode(), text
    )
    shown_as_text(client.get(reverse("home")).content.decode(), text)


@pytest.mark.parametrize("text", HOSTILE_STRINGS)
def test_people_joining_with_hostile_names(live_session: Any, facilitator: Any, text: str) -> None:
    client = Client()
    client.post(reverse("join"), {"code": live_session.join_code})
    response = client.post(
        reverse("join_who", args=[live_session.pk]), {"new_name": text, "role": "carer"}
    )
    assert response.status_code == 302
    assert User.objects.filter(display_name=text.strip()).exists()
    staff = Client()
    staff.force_login(facilitator)
    page = staff.get(reverse("room", args=[live_session.pk])).content.decode()
    shown_as_text(page, text.strip())
    # What the room's socket would push holds the same escaped text.
    shown_as_text(room.render_people_panel(live_session), text.strip())


@pytest.mark.parametrize("text", HOSTILE_STRINGS)
def test_activity_titles_are_escaped_in_pushed_fragments(
    live_session: Any, facilitator: Any, text: str
) -> None:
    client = Client()
    client.force_login(facilitator)
    client.post(
        reverse("session_detail", args=[live_session.pk]),
        {"kind": "break", "title": text, "timebox_minutes": 10},
    )
    activity = Activity.objects.get(title=text.strip())
    live_session.current_activity = activity
    live_session.save()
    shown_as_text(room.render_activity(live_session), text.strip())
    shown_as_text(room.render_agenda(live_session), text.strip())


@pytest.mark.parametrize("text", REFUSED_STRINGS)
def test_null_bytes_are_refused_clearly_and_nothing_is_saved(
    organiser: Any, programme: Any, live_session: Any, text: str
) -> None:
    client = Client()
    client.force_login(organiser)
    today = timezone.localdate().isoformat()
    before = (Programme.objects.count(), Membership.objects.count(), User.objects.count())
    response = client.post(
        reverse("programme_create"),
        {"name": text, "site": "x", "starts_on": today, "ends_on": today},
    )
    assert (
        response.status_code == 400
        and "Null characters are not allowed" in response.content.decode()
    )
    response = client.post(
        reverse("person_add", args=[programme.pk]), {"display_name": text, "role": "carer"}
    )
    assert response.status_code == 400
    joiner = Client()
    joiner.post(reverse("join"), {"code": live_session.join_code})
    response = joiner.post(
        reverse("join_who", args=[live_session.pk]), {"new_name": text, "role": "carer"}
    )
    assert response.status_code == 400
    assert (Programme.objects.count(), Membership.objects.count(), User.objects.count()) == before


def test_over_long_names_are_refused(organiser: Any, programme: Any) -> None:
    client = Client()
    client.force_login(organiser)
    response = client.post(
        reverse("person_add", args=[programme.pk]), {"display_name": "x" * 501, "role": "carer"}
    )
    assert response.status_code == 400
    assert "at most 80 characters" in response.content.decode()
