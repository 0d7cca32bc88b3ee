"""Hostile strings through the foundation's text fields: stored exactly, shown escaped, or
refused with a clear error and nothing saved; never a server error."""

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from boards.models import Board
from participants.models import Membership, User
from tests.factories import AttendanceFactory
from tests.hostile import (
    HOSTILE_STRINGS,
    REFUSED_IN_NAMES,
    REFUSED_ON_ONE_LINE,
    REFUSED_STRINGS,
    refused_message,
    short_id,
)
from workshops.evaluation.models import Form
from workshops.models import Activity, Programme
from workshops.room import render as room_render

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


@pytest.mark.parametrize("text", [t for t in HOSTILE_STRINGS if t not in REFUSED_IN_NAMES])
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
    shown_as_text(room_render.render_people_panel(live_session), text.strip())


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
    shown_as_text(room_render.render_activity(live_session), text.strip())
    shown_as_text(room_render.render_agenda(live_session), text.strip())


@pytest.mark.parametrize("text", REFUSED_STRINGS + REFUSED_IN_NAMES, ids=short_id)
def test_control_characters_long_text_and_direction_controls_in_names_are_refused_clearly(
    organiser: Any, programme: Any, live_session: Any, text: str
) -> None:
    client = Client()
    client.force_login(organiser)
    today = timezone.localdate().isoformat()
    before = (Programme.objects.count(), Membership.objects.count(), User.objects.count())
    if text not in REFUSED_IN_NAMES:
        response = client.post(
            reverse("programme_create"),
            {"name": text, "site": "x", "starts_on": today, "ends_on": today},
        )
        assert response.status_code == 400
        assert refused_message(text) in response.content.decode()
    response = client.post(
        reverse("person_add", args=[programme.pk]), {"display_name": text, "role": "carer"}
    )
    assert response.status_code == 400
    assert refused_message(text) in response.content.decode()
    joiner = Client()
    joiner.post(reverse("join"), {"code": live_session.join_code})
    response = joiner.post(
        reverse("join_who", args=[live_session.pk]), {"new_name": text, "role": "carer"}
    )
    assert response.status_code == 400
    assert refused_message(text) in response.content.decode()
    assert (Programme.objects.count(), Membership.objects.count(), User.objects.count()) == before


def test_over_long_names_are_refused(organiser: Any, programme: Any) -> None:
    client = Client()
    client.force_login(organiser)
    response = client.post(
        reverse("person_add", args=[programme.pk]), {"display_name": "x" * 501, "role": "carer"}
    )
    assert response.status_code == 400
    assert "at most 80 characters" in response.content.decode()


class _Forms(HTMLParser):
    """The POST forms of a page (action and fields) and the links on it."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, list[tuple[str, str, str]]]] = []
        self.links: list[str] = []
        self._current: list[tuple[str, str, str]] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href", "").startswith("/"):
            self.links.append(a["href"].split("#")[0])
        elif tag == "form" and a.get("method", "get").lower() == "post":
            self._current = []
            self.forms.append((a.get("action") or a.get("hx-post") or "", self._current))
        elif self._current is not None and a.get("name"):
            if tag == "input" and a.get("type") in ("checkbox", "radio"):
                if not any(n == a["name"] for n, _, _ in self._current):
                    self._current.append((a["name"], "choice", a.get("value", "on")))
            elif tag == "input" and a.get("type") not in ("submit", "button", "file"):
                kind = "hidden" if a.get("type") == "hidden" else "text"
                self._current.append((a["name"], kind, a.get("value", "")))
            elif tag == "textarea":
                self._current.append((a["name"], "text", ""))
            elif tag == "select":
                self._select = a["name"]
            elif tag == "button" and a.get("value"):
                self._current.append((a["name"], "choice", a["value"]))
        chosen = self._current is not None and any(n == self._select for n, _, _ in self._current)
        if tag == "option" and self._select and self._current is not None and not chosen:
            self._current.append((self._select, "choice", a.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None
        elif tag == "select":
            self._select = None


SKIP = ("/sign-out", "/accounts/logout", "/static/", ".csv", ".xlsx", "/export", "/poster/")
SWEEP_VALUES = [
    *REFUSED_STRINGS,
    REFUSED_ON_ONE_LINE[0],
    *REFUSED_IN_NAMES[:2],
    *(t for t in HOSTILE_STRINGS if t.startswith(("<script", "{{", "Robert"))),
]


def _crawl(client: Client, start: list[str], limit: int = 120) -> dict[str, list[Any]]:
    """Every POST form on the pages reachable from `start`, by the page it is on."""
    seen: set[str] = set()
    queue = list(start)
    forms: dict[str, list[Any]] = {}
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen or any(s in url for s in SKIP):
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = _Forms()
        parser.feed(response.content.decode())
        forms[url] = parser.forms
        queue.extend(link for link in parser.links if link not in seen)
    return forms


def test_every_form_on_every_page_survives_the_hostile_corpus(django_user_model: Any) -> None:
    """Crawl the demo as its organiser and as a participant; post every form with each hostile
    value in every field it shows, then in every field (hidden ones too): never a 500."""
    from workshops.management.demo import load_demo

    programme = load_demo()[0]
    organiser = django_user_model.objects.get(email="morag@example.org")
    live = programme.sessions.get(status="live")
    participant = Membership.objects.filter(programme=programme, role="lived_experience")[0].user
    AttendanceFactory(session=live, user=participant)  # in the room: its pages and forms too
    start = [
        "/",
        reverse("programme_detail", args=[programme.pk]),
        reverse("room", args=[live.pk]),
        reverse("session_feedback", args=[live.pk]),
        reverse("my_payments"),
        *(reverse("form_answer", args=[f.pk]) for f in Form.objects.filter(kind="custom")),
        *(
            reverse("board_page", args=[b.activity.session_id, b.pk])
            for b in Board.objects.select_related("activity")
        ),
    ]
    failures = []
    # The participant first: the organiser's forms remove people and end sessions.
    for user in (participant, organiser):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        pages = _crawl(client, start)
        assert len(pages) > (30 if user == organiser else 8), sorted(pages)
        routes: dict[str, int] = {}
        for page, forms in pages.items():
            for action, fields in forms:
                target = action or page
                if any(s in target for s in SKIP) or not target.startswith("/"):
                    continue
                # Two of each kind (the same form on every person, line or question) is enough.
                route = re.sub(r"[0-9a-f-]{36}|\d+", "N", target)
                route += "|" + ",".join(n for n, _, _ in fields)
                routes[route] = routes.get(route, 0) + 1
                if routes[route] > 2:
                    continue
                for value in SWEEP_VALUES:
                    for everywhere in (False, True):
                        data = {
                            name: value if kind == "text" or everywhere else default
                            for name, kind, default in fields
                        }
                        client.force_login(user)
                        response = client.post(target, data)
                        if response.status_code >= 500:
                            failures.append(
                                (user.display_name, target, short_id(value), everywhere)
                            )
    assert not failures, sorted({(t, v, e) for _, t, v, e in failures})


@pytest.mark.parametrize("text", [*REFUSED_IN_NAMES, *REFUSED_STRINGS], ids=short_id)
def test_the_services_that_name_people_refuse_what_the_forms_refuse(
    programme: Any, live_session: Any, organiser: Any, text: str
) -> None:
    """A second line behind the forms: a name handed to a service directly."""
    from django.core.exceptions import ValidationError

    from participants import services as people
    from workshops import services

    before = User.objects.count()
    with pytest.raises(ValidationError, match="display_name"):
        people.person_add_to_programme(
            programme=programme, display_name=text, role="carer", added_by=organiser
        )
    with pytest.raises(ValidationError, match="new_name"):
        services.person_join_session(session=live_session, new_name=text, role="carer")
    assert User.objects.count() == before
