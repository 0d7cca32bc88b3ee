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

from tests.factories import AttendanceFactory, FormFactory, UserFactory
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


# Co-facilitators: a contributor marked in one live session steers that session only ------


def _room_identity(user: Any, session: Any) -> Any:
    """The user as a device signed in by picking their name in this session's room."""
    from participants import identity

    identity.limit_to_room(
        user, {identity.SIGNIN_METHOD_KEY: "name", identity.ROOM_SCOPE_KEY: session.pk}
    )
    return user


@pytest.fixture
def co_facilitator(live_session: Any, person: Any) -> Any:
    """Jean, with lived experience, in the room and marked co-facilitator of it."""
    AttendanceFactory(session=live_session, user=person, co_facilitator=True)
    return person


def test_a_co_facilitator_steers_their_own_live_session(
    co_facilitator: Any, live_session: Any
) -> None:
    assert access.can_on_session(co_facilitator, access.Action.STEER, live_session)
    groups = access.room_audiences(co_facilitator, live_session.pk)
    assert f"session.{live_session.pk}.facilitators" in groups
    assert access.steering(co_facilitator, live_session) == (True, False)


def test_a_co_facilitator_gets_no_programme_wide_or_paying_powers(
    co_facilitator: Any, live_session: Any
) -> None:
    for action in (
        access.Action.MANAGE,
        access.Action.EVALUATE,
        access.Action.PERSONAL,
        access.Action.STEER,
    ):
        assert not access.can(co_facilitator, action, live_session.programme_id), action
    for action in (access.Action.MANAGE, access.Action.EVALUATE, access.Action.PERSONAL):
        assert not access.can_on_session(co_facilitator, action, live_session), action


def test_a_co_facilitator_of_one_session_cannot_steer_another_of_the_same_programme(
    co_facilitator: Any, live_session: Any, programme: Any
) -> None:
    from tests.factories import LiveSessionFactory

    other = LiveSessionFactory(programme=programme, number=2)
    AttendanceFactory(session=other, user=co_facilitator)  # in its room, not marked there
    assert not access.can_on_session(co_facilitator, access.Action.STEER, other)
    assert f"session.{other.pk}.facilitators" not in access.room_audiences(co_facilitator, other.pk)


def test_a_co_facilitator_reaches_nothing_of_another_programme(
    co_facilitator: Any, other_programme: Any
) -> None:
    from tests.factories import LiveSessionFactory

    foreign = LiveSessionFactory(programme=other_programme)
    # Even an attendance row marked there (which no service would make) gives nothing.
    AttendanceFactory(session=foreign, user=co_facilitator, co_facilitator=True)
    assert not access.can_on_session(co_facilitator, access.Action.STEER, foreign)
    assert access.room_audiences(co_facilitator, foreign.pk) == []
    with pytest.raises(Http404):
        access.session_or_404(co_facilitator, foreign.pk, access.Action.STEER)


def test_a_contributor_not_marked_cannot_steer(live_session: Any, carer: Any) -> None:
    AttendanceFactory(session=live_session, user=carer)
    assert not access.can_on_session(carer, access.Action.STEER, live_session)
    assert f"session.{live_session.pk}.facilitators" not in access.room_audiences(
        carer, live_session.pk
    )


def test_a_picked_name_marked_co_facilitator_cannot_steer_and_is_told_to_sign_in(
    co_facilitator: Any, live_session: Any
) -> None:
    picked = _room_identity(co_facilitator, live_session)
    assert not access.can_on_session(picked, access.Action.STEER, live_session)
    assert access.steering(picked, live_session) == (False, False)
    groups = access.room_audiences(picked, live_session.pk)
    assert groups and f"session.{live_session.pk}.facilitators" not in groups
    assert access.co_facilitator_needs_proof(picked, live_session)


def test_only_a_marked_room_identity_is_told_to_sign_in(
    co_facilitator: Any, live_session: Any, carer: Any
) -> None:
    assert not access.co_facilitator_needs_proof(co_facilitator, live_session)  # proven
    AttendanceFactory(session=live_session, user=carer)
    assert not access.co_facilitator_needs_proof(_room_identity(carer, live_session), live_session)


def test_co_facilitating_ends_with_the_session_and_with_removal(
    co_facilitator: Any, live_session: Any
) -> None:
    from workshops.models import Attendance

    live_session.status = Session.Status.ENDED
    live_session.save()
    assert not access.can_on_session(co_facilitator, access.Action.STEER, live_session)
    live_session.status = Session.Status.LIVE
    live_session.save()
    Attendance.objects.filter(user=co_facilitator).update(admission=Attendance.Admission.REMOVED)
    assert not access.can_on_session(co_facilitator, access.Action.STEER, live_session)


def test_only_contributors_co_facilitate_even_if_a_row_says_so(
    live_session: Any, practitioner: Any
) -> None:
    AttendanceFactory(session=live_session, user=practitioner, co_facilitator=True)
    assert not access.can_on_session(practitioner, access.Action.STEER, live_session)


def _post(user: Any, name: str, *args: Any, data: dict[str, Any] | None = None) -> Any:
    client = Client(headers={"HX-Request": "true"})
    client.force_login(user)
    return client.post(reverse(name, args=args), data or {})


def test_over_http_a_co_facilitator_moves_their_room_and_nothing_else(
    co_facilitator: Any, live_session: Any, programme: Any, other_programme: Any
) -> None:
    from tests.factories import LiveSessionFactory

    ideas = live_session.activities.get(title="Ideas")
    response = _post(co_facilitator, "session_move", live_session.pk, data={"activity": ideas.pk})
    assert response.status_code == 204
    live_session.refresh_from_db()
    assert live_session.current_activity_id == ideas.pk
    for session in (
        LiveSessionFactory(programme=programme, number=2),
        LiveSessionFactory(programme=other_programme),
    ):
        before = Session.objects.values().get(pk=session.pk)
        assert _post(co_facilitator, "session_end", session.pk).status_code == 404
        assert Session.objects.values().get(pk=session.pk) == before
    client = Client()
    client.force_login(co_facilitator)
    # Others' access needs, consent, paid times and answers stay with staff.
    for name in ("session_register", "session_report", "session_briefing"):
        assert client.get(reverse(name, args=[live_session.pk])).status_code == 404, name
    assert client.get(reverse("person_add", args=[programme.pk])).status_code == 404
    assert client.get(reverse("signin_cards", args=[programme.pk])).status_code == 404


def test_marking_needs_steer_on_that_session(
    live_session: Any, facilitator: Any, person: Any, carer: Any, outsider: Any
) -> None:
    from workshops.models import Attendance

    for user in (person, carer):
        AttendanceFactory(session=live_session, user=user)
    url_args = ("attendance_co_facilitator", live_session.pk, person.pk)
    # A contributor cannot mark themselves, nor anyone else; nor can another programme.
    for who, target in ((person, person), (carer, person), (outsider, person)):
        response = _post(
            who, url_args[0], live_session.pk, target.pk, data={"co_facilitator": "yes"}
        )
        assert response.status_code == 404
    assert not Attendance.objects.filter(co_facilitator=True).exists()
    # A picked name cannot either, even after being marked.
    response = _post(facilitator, *url_args, data={"co_facilitator": "yes"})
    assert response.status_code == 204
    assert Attendance.objects.get(user=person).co_facilitator
    from participants.identity import ROOM_SCOPE_KEY
    from tests.helpers import session_cookie_for

    picked = Client(headers={"HX-Request": "true"})
    name, _, key = session_cookie_for(person, method="name").partition("=")
    picked.cookies[name] = key
    store = picked.session
    store[ROOM_SCOPE_KEY] = live_session.pk
    store.save()
    response = picked.post(
        reverse("attendance_co_facilitator", args=[live_session.pk, carer.pk]),
        {"co_facilitator": "yes"},
    )
    assert response.status_code in (403, 404)
    assert not Attendance.objects.get(user=carer).co_facilitator


def test_bad_input_when_marking_changes_nothing(
    live_session: Any, facilitator: Any, person: Any
) -> None:
    from workshops.models import Attendance

    AttendanceFactory(session=live_session, user=person)
    for data in ({}, {"co_facilitator": "maybe"}):
        response = _post(
            facilitator, "attendance_co_facilitator", live_session.pk, person.pk, data=data
        )
        assert response.status_code == 400
        assert "Choose whether they co-facilitate" in response.content.decode()
    assert not Attendance.objects.get(user=person).co_facilitator


def test_a_steering_check_costs_one_query_for_staff_co_facilitators_and_everyone_else(
    live_session: Any,
    facilitator: Any,
    co_facilitator: Any,
    carer: Any,
    django_assert_num_queries: Any,
) -> None:
    AttendanceFactory(session=live_session, user=carer)
    for user, steers in ((facilitator, True), (co_facilitator, True), (carer, False)):
        with django_assert_num_queries(1):
            assert access.can_on_session(user, access.Action.STEER, live_session) is steers
        with django_assert_num_queries(1):
            assert access.steering(user, live_session)[0] is steers


def test_a_co_facilitator_cannot_say_a_picked_name_is_that_person(
    co_facilitator: Any, live_session: Any, carer: Any, facilitator: Any
) -> None:
    """A yes would sign a device in as Isla, with her payments and data: a co-facilitator
    (who could pick Isla's name on a second phone) is told only staff can."""
    from workshops.models import JoinClaim

    claim = JoinClaim.objects.create(session=live_session, user=carer, number=42)
    url = ("join_claim_decide", live_session.pk, claim.pk)
    response = _post(co_facilitator, *url, data={"answer": "yes"})
    assert response.status_code == 403
    assert "Only a facilitator or organiser can confirm who someone is" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == JoinClaim.Status.PENDING
    assert _post(facilitator, *url, data={"answer": "yes"}).status_code == 204
    claim.refresh_from_db()
    assert claim.status == JoinClaim.Status.CONFIRMED


@pytest.mark.parametrize("who", ["facilitator", "person", "co_facilitator"])
def test_a_handshake_decides_who_is_in_the_room_in_one_query(
    request: Any, who: str, live_session: Any, person: Any
) -> None:
    user = request.getfixturevalue(who)
    if who == "person":
        AttendanceFactory(session=live_session, user=user)
    with CaptureQueriesContext(connection) as queries:
        groups = access.room_audiences(user, live_session.pk)
    assert f"session.{live_session.pk}" in groups
    assert (f"session.{live_session.pk}.facilitators" in groups) == (who != "person")
    assert len(queries) == 1, [q["sql"] for q in queries]


@pytest.mark.parametrize(
    ("who", "action", "allowed"),
    [
        ("facilitator", "STEER", True),
        ("person", "VIEW", True),
        ("person", "STEER", False),
        ("co_facilitator", "STEER", True),
        ("stranger", "VIEW", False),
    ],
)
def test_every_change_finds_its_session_and_the_persons_standing_in_one_query(
    request: Any, who: str, action: str, allowed: bool, live_session: Any, person: Any
) -> None:
    # Each press of a button in the room asks this first: its cost is paid on every change.
    user = UserFactory() if who == "stranger" else request.getfixturevalue(who)
    with CaptureQueriesContext(connection) as queries:
        try:
            found = access.session_or_404(user, live_session.pk, access.Action[action])
        except Http404:
            found = None
    assert (found == live_session) is allowed
    # A refusal also writes its security event.
    reads = [q["sql"] for q in queries if q["sql"].startswith("SELECT")]
    assert len(reads) == 1, reads
