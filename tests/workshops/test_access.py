"""Every role, someone from another programme and an anonymous visitor, against every page
and action of the foundation: the status each must get."""

import re
from typing import Any

import pytest
from django.db import connection
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import AttendanceFactory, FormFactory
from workshops import access
from workshops.models import Session

pytestmark = pytest.mark.django_db

ROLES = ["organiser", "facilitator", "practitioner", "person", "carer", "outsider", "anonymous"]
STEER = {"organiser", "facilitator"}
MEMBERS = {"organiser", "facilitator", "practitioner", "person", "carer"}
LOGIN = 302  # anonymous visitors are sent to sign in


def expect(allowed: set[str], ok: int, *, members_not_allowed: int = 404) -> dict[str, int]:
    """The status for each role: ok for the allowed, 404 for everyone else, 302 if anonymous."""
    out = {}
    for role in ROLES:
        if role == "anonymous":
            out[role] = LOGIN
        elif role in allowed:
            out[role] = ok
        elif role in MEMBERS:
            out[role] = members_not_allowed
        else:
            out[role] = 404
    return out


# (name, method, url kwargs (from the fixtures), expected statuses by role)
MATRIX: list[tuple[str, str, str, dict[str, int]]] = [
    ("programme_detail", "get", "programme", expect(MEMBERS, 200)),
    ("session_create", "get", "programme", expect({"organiser"}, 200)),
    ("person_add", "get", "programme", expect({"organiser"}, 200)),
    ("signin_cards", "get", "programme", expect(STEER, 200)),
    ("session_detail", "get", "session", expect(MEMBERS, 200)),
    ("session_join_poster", "get", "session", expect(STEER, 200)),
    (
        "room",
        "get",
        "session",
        expect(STEER | {"practitioner", "person"}, 200, members_not_allowed=200),
    ),
    ("room_snapshot", "get", "session", expect(STEER | {"practitioner", "person"}, 200)),
    ("session_move", "post", "session", expect(STEER, 204)),
    ("session_admission", "post", "session", expect(STEER, 204)),
    ("attendance_admit", "post", "session_person", expect(STEER, 204)),
    ("attendance_remove", "post", "session_person", expect(STEER, 204)),
    ("session_end", "post", "session", expect(STEER, 200)),  # HX-Redirect
    ("membership_end", "post", "membership", expect({"organiser"}, 302)),
]


@pytest.fixture
def people(
    organiser: Any,
    facilitator: Any,
    practitioner: Any,
    person: Any,
    carer: Any,
    outsider: Any,
    live_session: Any,
) -> dict[str, Any]:
    # The person and the practitioner are in the room; the carer has not joined.
    AttendanceFactory(session=live_session, user=person)
    AttendanceFactory(session=live_session, user=practitioner)
    return {
        "organiser": organiser,
        "facilitator": facilitator,
        "practitioner": practitioner,
        "person": person,
        "carer": carer,
        "outsider": outsider,
        "anonymous": None,
    }


def url_for(name: str, kind: str, session: Session, person: Any) -> str:
    if kind == "programme":
        return reverse(name, args=[session.programme_id])
    if kind == "session":
        return reverse(name, args=[session.pk])
    if kind == "membership":
        return reverse(name, args=[session.programme_id, person.memberships.get().pk])
    return reverse(name, args=[session.pk, person.pk])


POST_DATA = {
    "session_move": lambda s: {"activity": s.activities.get(title="Ideas").pk},
    "session_admission": lambda s: {"admission": "waiting"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "kind", "statuses"), MATRIX, ids=[m[0] for m in MATRIX])
def test_permission_matrix(
    people: dict[str, Any],
    live_session: Any,
    role: str,
    name: str,
    method: str,
    kind: str,
    statuses: dict[str, int],
) -> None:
    client = Client(headers={"HX-Request": "true"})
    if people[role] is not None:
        client.force_login(people[role])
    url = url_for(name, kind, live_session, people["person"])
    before = Session.objects.values().get(pk=live_session.pk)
    data = POST_DATA.get(name, lambda s: {})(live_session)
    response = getattr(client, method)(url, data)
    assert response.status_code == statuses[role], (role, name, response.status_code)
    allowed = statuses[role] in (200, 204) or (statuses[role] == 302 and role in STEER)
    if not allowed and method == "post":
        # A refused change changes nothing.
        assert Session.objects.values().get(pk=live_session.pk) == before


def test_a_foreign_programme_looks_exactly_like_a_missing_one(
    outsider: Any, programme: Any
) -> None:
    client = Client()
    client.force_login(outsider)
    foreign = client.get(reverse("programme_detail", args=[programme.pk]))
    missing = client.get(reverse("programme_detail", args=[programme.pk + 1000]))
    assert foreign.status_code == missing.status_code == 404
    assert programme.name not in foreign.content.decode()


def test_home_and_join_are_open_to_everyone(db: Any) -> None:
    client = Client()
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("join")).status_code == 200


def _refused_queries(check: Any, user: Any, object_id: int) -> list[str]:
    """The SQL a refusal runs, with numbers taken out."""
    with CaptureQueriesContext(connection) as captured, pytest.raises(Http404):
        check(user, object_id)
    return [re.sub(r"\d+", "N", q["sql"]) for q in captured.captured_queries]


@pytest.mark.parametrize("check", ["programme_or_404", "session_or_404", "form_or_404"])
def test_a_refusal_does_the_same_work_whether_or_not_the_object_exists(
    check: str, outsider: Any, session: Any, django_assert_num_queries: Any
) -> None:
    existing = {
        "programme_or_404": session.programme_id,
        "session_or_404": session.pk,
        "form_or_404": FormFactory(programme=session.programme).pk,
    }[check]
    refuse = getattr(access, check)
    there = _refused_queries(refuse, outsider, existing)
    missing = _refused_queries(refuse, outsider, existing + 1000)
    assert there == missing
    with django_assert_num_queries(len(there)), pytest.raises(Http404):
        refuse(outsider, existing + 2000)
