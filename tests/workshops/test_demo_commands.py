"""`make run`'s commands say only what a person needs: the address, the sign-ins, the code."""

import io
import logging
from typing import Any

import pytest
from django.core.management import call_command

from workshops.management.demo import DEMO_PASSWORD
from workshops.models import Session

pytestmark = pytest.mark.django_db


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def test_loading_the_demo_is_quiet() -> None:
    collected = _Collect()
    security = logging.getLogger("comhla.security")
    security.addHandler(collected)
    out = io.StringIO()
    try:
        call_command("load_demo", verbosity=0, stdout=out)
    finally:
        security.removeHandler(collected)
    assert out.getvalue() == ""
    assert not [line for line in collected.lines if line.startswith("security ")]
    # The audit trail of the demo's payments is still kept as data.
    from participants.models import SecurityEvent

    assert SecurityEvent.objects.filter(kind="payment_transition").exists()
    assert logging.getLogger("comhla.security").isEnabledFor(logging.INFO)


def test_the_sign_ins_are_set_apart_and_complete(capsys: Any) -> None:
    call_command("load_demo", verbosity=0)
    out = io.StringIO()
    call_command("demo_logins", url="http://127.0.0.1:8765", stdout=out)
    text = out.getvalue()
    lines = text.splitlines()
    rules = [i for i, line in enumerate(lines) if set(line.strip()) == {"─"}]
    assert len(rules) == 2, text
    inside = "\n".join(lines[rules[0] : rules[1]])
    for needed in (
        "http://127.0.0.1:8765",
        "http://127.0.0.1:8765/accounts/login/",
        DEMO_PASSWORD,
        "morag@example.org",
        "fiona@example.org",
        "priya@example.org",
    ):
        assert needed in inside, needed
    # Each programme's live session, with its own join code and a name to pick.
    live = Session.objects.filter(status="live").select_related("programme")
    assert live.count() == 2
    for session in live:
        assert f"Live now: {session.programme.name}, session 5" in inside
        assert session.formatted_join_code in inside
    assert "such as Jean Robertson" in inside and "such as Bill Anderson" in inside


def test_the_demo_has_answers_needs_and_one_person_still_to_answer() -> None:
    from participants import selectors
    from participants.models import Membership, User
    from workshops.selectors import session_briefing

    call_command("load_demo", verbosity=0)
    live = Session.objects.get(status="live", programme__site="North West Glasgow")
    agnes = Membership.objects.get(user__display_name="Agnes Murray", programme=live.programme)
    assert selectors.needs_consent(membership=agnes)
    jean = User.objects.get(display_name="Jean Robertson")
    assert selectors.may_quote(person=jean, programme=live.programme)
    briefing = session_briefing(session=live)
    names = {p.membership.user.display_name for p in briefing["with_needs"]}
    assert {"Jean Robertson", "Tam Wilson", "Isla Robertson"} <= names
    assert "Davie Stewart" in {p.membership.user.display_name for p in briefing["no_quotes"]}
