"""A sweep over every URL pattern: people of programme A against programme B's objects.

Each URL's object arguments are filled from programme B by the name of the argument
(`session_id` → B's session, …). A pattern with an argument nobody has classified fails this
test, so a new page cannot slip past it. For every role in A, by GET and POST, B's objects
must answer exactly as a missing object does (404 for every object page), show nothing of B,
and change no row.
"""

import hashlib
import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from boards import services as board_services
from boards.models import Card, Group
from participants.models import Role
from participants.payments.models import PaymentLine
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    LiveSessionFactory,
    MembershipFactory,
    ProgrammeFactory,
    StaffUserFactory,
    UserFactory,
)
from workshops.evaluation import services as services_eval
from workshops.models import JoinClaim

pytestmark = pytest.mark.django_db

# URLs about no programme's objects: open pages, sign-in, health checks.
PUBLIC = {
    "home",
    "healthz",
    "readyz",
    "javascript_catalog",
    "join",
    "programme_create",
    "card_signin",
    "sign_out",
    "sign_out_everywhere",
    "text_size",
    # About the signed-in person only: there is no other programme's object to reach.
    "my_data",
    "my_payments",
    "my_payments_statement",
}
PUBLIC_PREFIXES = ("account_",)
# Join steps for a session are reached only with a code: without one, a foreign session and a
# missing one both send the visitor back to type the code.
CODE_GATED = {"join_who", "join_waiting", "join_claim"}

SECRET_BOX = "B-SECRET-PROGRAMME"


def walk(patterns: list[Any], ns: str | None = None) -> Iterator[tuple[str | None, URLPattern]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from walk(p.url_patterns, p.namespace or ns)
        else:
            yield ns, p


def url_patterns() -> list[URLPattern]:
    return [p for ns, p in walk(get_resolver().url_patterns) if ns != "admin" and p.name]


# Refusals are themselves recorded (security events), and sign-in sessions are not content.
NOT_CONTENT = {"participants.securityevent", "sessions.session"}


def fingerprint() -> str:
    """A hash of every row of every model holding content: any change shows."""
    digest = hashlib.sha256()
    for model in apps.get_models():
        if model._meta.label_lower in NOT_CONTENT:
            continue
        for row in model.objects.order_by("pk").values_list():
            digest.update(repr(row).encode())
    return digest.hexdigest()


@pytest.fixture
def world() -> dict[str, Any]:
    """Programme A with a person in every role; programme B with objects of every kind."""
    a = ProgrammeFactory(name="Programme A")
    b = ProgrammeFactory(name=SECRET_BOX, site=SECRET_BOX)
    people = {}
    for role in Role:
        factory = StaffUserFactory if role in {Role.ORGANISER, Role.FACILITATOR} else UserFactory
        people[role.value] = factory()
        MembershipFactory(user=people[role.value], programme=a, role=role)
    session_a = LiveSessionFactory(programme=a, title="A session")
    for user in people.values():
        AttendanceFactory(session=session_a, user=user)
    b_person = UserFactory(display_name=f"{SECRET_BOX} person")
    b_membership = MembershipFactory(user=b_person, programme=b, role=Role.CARER)
    b_session = LiveSessionFactory(programme=b, title=f"{SECRET_BOX} session")
    b_activity = ActivityFactory(session=b_session, kind="board", title=f"{SECRET_BOX} activity")
    AttendanceFactory(session=b_session, user=b_person)
    board = board_services.board_create(activity=b_activity, by=None, prompt=f"{SECRET_BOX} prompt")
    column = board.columns.first()
    card = Card.objects.create(
        board=board,
        column=column,
        author=b_person,
        text=f"{SECRET_BOX} idea",
        client_id=uuid.uuid4(),
    )
    group = Group.objects.create(board=board, column=column, name=f"{SECRET_BOX} group")
    services_eval.licence_record(
        programme=b,
        instrument="wemwbs",
        licence_holder=SECRET_BOX,
        reference="x",
        licensed_on=b.starts_on,
        by=b_person,
    )
    measure = services_eval.instrument_form_create(
        programme=b, instrument="wemwbs", timepoint="baseline"
    )
    outcome = services_eval.outcome_create(programme=b, title=f"{SECRET_BOX} outcome")
    indicator = services_eval.indicator_create(
        outcome=outcome, title=f"{SECRET_BOX} indicator", kind="attendance"
    )
    claim = JoinClaim.objects.create(session=b_session, user=b_person, number=42)
    line = PaymentLine.objects.create(
        programme=b,
        person=b_person,
        kind="expense",
        category="other",
        worked_on=b.starts_on,
        amount=Decimal("12.34"),
        receipt_note=SECRET_BOX,
    )
    return {
        "people": people,
        "a_session_id": session_a.pk,
        "b": {
            "programme_id": b.pk,
            "session_id": b_session.pk,
            "user_id": b_person.pk,
            "membership_id": b_membership.pk,
            "activity_id": b_activity.pk,
            "board_id": board.pk,
            "column_id": column.pk,
            "card_uid": card.uid,
            "group_id": group.pk,
            "line_id": line.pk,
            "claim_id": claim.pk,
            "file_format": "csv",
            "form_id": measure.pk,
            "question_id": measure.questions.values_list("pk", flat=True)[0],
            "outcome_id": outcome.pk,
            "indicator_id": indicator.pk,
        },
    }


# How to fill each URL argument with programme B's object, and with a missing one.
ARGUMENT_FROM_B: dict[str, Callable[[dict[str, Any]], Any]] = {
    "programme_id": lambda b: b["programme_id"],
    "session_id": lambda b: b["session_id"],
    "user_id": lambda b: b["user_id"],
    "membership_id": lambda b: b["membership_id"],
    "activity_id": lambda b: b["activity_id"],
    "board_id": lambda b: b["board_id"],
    "column_id": lambda b: b["column_id"],
    "card_uid": lambda b: b["card_uid"],
    "group_id": lambda b: b["group_id"],
    "line_id": lambda b: b["line_id"],
    "claim_id": lambda b: b["claim_id"],
    "file_format": lambda b: b["file_format"],
    "panel": lambda b: "change",
    "form_id": lambda b: b["form_id"],
    "question_id": lambda b: b["question_id"],
    "outcome_id": lambda b: b["outcome_id"],
    "indicator_id": lambda b: b["indicator_id"],
}
# Pages every member may read (programme B's own members would get 200): still 404 for us.
MISSING = 987654


def missing_value(name: str) -> Any:
    if name == "file_format":
        return "csv"
    if name == "panel":
        return "change"
    return uuid.UUID(int=MISSING) if name.endswith("uid") else MISSING


def classify(pattern: URLPattern) -> str:
    name = pattern.name or ""
    if name in PUBLIC or name.startswith(PUBLIC_PREFIXES):
        return "public"
    if name in CODE_GATED:
        return "code-gated"
    return "object"


def test_every_url_pattern_is_classified() -> None:
    unknown = []
    for pattern in url_patterns():
        if classify(pattern) == "public":
            continue
        args = set(pattern.pattern.converters)
        if not args or not args <= set(ARGUMENT_FROM_B):
            unknown.append((pattern.name, sorted(args - set(ARGUMENT_FROM_B))))
    assert not unknown, f"classify these URL patterns in tests/test_access_sweep.py: {unknown}"


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_programme_a_cannot_see_or_touch_programme_b(world: dict[str, Any], role: str) -> None:
    client = Client(headers={"HX-Request": "true"})
    client.force_login(world["people"][role])
    checked = 0
    for pattern in url_patterns():
        kind = classify(pattern)
        if kind == "public":
            continue
        args = pattern.pattern.converters
        foreign = reverse(pattern.name, kwargs={k: ARGUMENT_FROM_B[k](world["b"]) for k in args})
        missing = reverse(pattern.name, kwargs={k: missing_value(k) for k in args})
        for method in ("get", "post"):
            before = fingerprint()
            response = getattr(client, method)(foreign, {})
            expected = getattr(client, method)(missing, {}).status_code
            assert response.status_code == expected, (role, method, pattern.name)
            if kind == "object":
                assert response.status_code in (404, 405), (role, method, pattern.name)
            assert SECRET_BOX not in response.content.decode(errors="replace"), (role, pattern.name)
            assert fingerprint() == before, (role, method, pattern.name)
            checked += 1
    assert checked >= 20


@pytest.mark.parametrize("role", ["organiser", "facilitator", "lived_experience"])
def test_programme_bs_objects_cannot_be_reached_through_our_own_session(
    world: dict[str, Any], role: str
) -> None:
    """Our own session in the URL, another programme's board, card or group after it."""
    client = Client(headers={"HX-Request": "true"})
    client.force_login(world["people"][role])
    checked = 0
    for pattern in url_patterns():
        args = set(pattern.pattern.converters)
        if classify(pattern) != "object" or "session_id" not in args or len(args) < 2:
            continue
        kwargs = {k: ARGUMENT_FROM_B[k](world["b"]) for k in args}
        kwargs["session_id"] = world["a_session_id"]
        for method in ("get", "post"):
            before = fingerprint()
            response = getattr(client, method)(reverse(pattern.name, kwargs=kwargs), {})
            assert response.status_code in (404, 405), (role, method, pattern.name)
            assert SECRET_BOX not in response.content.decode(errors="replace")
            assert fingerprint() == before, (role, method, pattern.name)
            checked += 1
    assert checked >= 10


# The only pages a room identity (a picked name, a walk-in) may open; everything else answers
# "please sign in with your card". Adding to this list is a decision about personal data.
ROOM_IDENTITY_PAGES = {
    "home", "healthz", "readyz", "javascript_catalog", "join", "join_who", "join_waiting", "join_claim",
    "room", "room_snapshot", "card_signin", "sign_out", "text_size",
    "board_page", "board_mine", "card_panel", "card_add", "card_edit", "card_delete",
    "card_restore", "card_move", "card_group", "group_create", "group_rename", "group_dissolve",
    "vote_add", "vote_remove", "hand_raise", "hand_lower", "turn_end", "turn_pass", "round_skip",
    "session_feedback",
}  # fmt: skip


def test_only_room_pages_are_open_to_a_room_identity() -> None:
    opened = {p.name for p in url_patterns() if getattr(p.callback, "room_identity_allowed", False)}
    assert opened == ROOM_IDENTITY_PAGES


def test_a_room_identity_is_refused_everywhere_else(world: dict[str, Any]) -> None:
    from tests.helpers import session_cookie_for

    person = world["people"]["lived_experience"]
    client = Client()
    cookie = session_cookie_for(person, method="name").split("=", 1)[1]
    client.cookies["sessionid"] = cookie
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore(session_key=cookie)
    store["comhla_room_scope"] = world["a_session_id"]
    store.save()
    own = {"session_id": world["a_session_id"]}
    checked = 0
    for pattern in url_patterns():
        if pattern.name in ROOM_IDENTITY_PAGES or pattern.name.startswith("account_"):
            continue
        args = pattern.pattern.converters
        kwargs = {k: own.get(k, missing_value(k)) for k in args}
        before = fingerprint()
        response = client.post(reverse(pattern.name, kwargs=kwargs), {})
        assert response.status_code == 403, (pattern.name, response.status_code)
        assert fingerprint() == before, pattern.name
        checked += 1
    assert checked >= 40
