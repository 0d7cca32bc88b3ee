"""The "sectors working together" indicator, against a programme worked out by hand; another
programme's memberships never count."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from participants.models import Role, Sector
from tests.factories import AttendanceFactory, MembershipFactory, SessionFactory, UserFactory
from workshops.evaluation import selectors, services
from workshops.evaluation.models import Indicator
from workshops.models import Attendance

pytestmark = pytest.mark.django_db


def member(programme: Any, name: str, role: str, sector: str) -> Any:
    user = UserFactory(display_name=name)
    MembershipFactory(user=user, programme=programme, role=role, sector=sector)
    return user


def sectors_evidence(programme: Any) -> Any:
    if not programme.outcomes.exists():
        outcome = services.outcome_create(programme=programme, title="Sectors collaborate")
        services.indicator_create(outcome=outcome, title="Together", kind=Indicator.Kind.SECTORS)
    report = selectors.programme_report(programme=programme, with_payments=False)
    [(_outcome, [(_indicator, found)])] = report["outcomes"]
    return found


@pytest.fixture
def held(programme: Any, other_programme: Any) -> dict[str, Any]:
    """Three sessions held, one planned, one cancelled:

    1 (ended): Sam statutory, Tara third, Una unpaid         → 3 sectors, both
    2 (ended): Sam statutory, Una unpaid, Quinn (not ours)   → 2 sectors, not both
    3 (live):  Tara third, Ian independent, Ned (no sector),
               Sam waiting at the door (never checked in)    → 2 sectors, not both
    Both statutory and third sector: 1 of 3 sessions (33%).
    """
    sam = member(programme, "Sam", Role.PRACTITIONER, Sector.STATUTORY)
    # In the other programme Sam is third sector: that membership must never count here.
    MembershipFactory(user=sam, programme=other_programme, role="practitioner", sector="third")
    tara = member(programme, "Tara", Role.PRACTITIONER, Sector.THIRD)
    una = member(programme, "Una", Role.LIVED_EXPERIENCE, Sector.UNPAID)
    ian = member(programme, "Ian", Role.PRACTITIONER, Sector.INDEPENDENT)
    ned = member(programme, "Ned", Role.CARER, "")
    quinn = member(other_programme, "Quinn", Role.PRACTITIONER, Sector.THIRD)
    one = SessionFactory(programme=programme, number=1, status="ended")
    two = SessionFactory(programme=programme, number=2, status="ended")
    three = SessionFactory(programme=programme, number=3, status="live")
    SessionFactory(programme=programme, number=4)  # planned
    five = SessionFactory(programme=programme, number=5, status="cancelled")
    for session, people in (
        (one, [sam, tara, una]),
        (two, [sam, una, quinn]),
        (three, [tara, ian, ned]),
    ):
        for person in people:
            AttendanceFactory(session=session, user=person)
    AttendanceFactory(
        session=three, user=sam, admission=Attendance.Admission.WAITING, checked_in_at=None
    )
    AttendanceFactory(session=five, user=sam)
    AttendanceFactory(session=five, user=tara)
    return {"one": one, "two": two, "three": three}


def test_sectors_at_each_session_and_the_share_where_statutory_and_third_both_came(
    programme: Any, held: dict[str, Any]
) -> None:
    together = selectors.sectors_together(programme_id=programme.pk)
    assert [(s.number, sorted(sectors)) for s, sectors in together.by_session] == [
        (1, ["statutory", "third", "unpaid"]),
        (2, ["statutory", "unpaid"]),
        (3, ["independent", "third"]),
    ]
    assert together.both == 1
    found = sectors_evidence(programme)
    assert found.figure == (
        "Statutory and third sector people both attended 1 of 3 sessions held (33%). "
        "Sectors present at each: session 1: 3; session 2: 2; session 3: 2"
    )


def test_the_other_programme_sees_only_its_own(other_programme: Any, held: dict[str, Any]) -> None:
    # Sam and Quinn are its members, but it has held no session: nothing of ours shows.
    assert selectors.sectors_together(programme_id=other_programme.pk).by_session == []
    assert sectors_evidence(other_programme).missing == "No session has been held yet"


def test_without_sessions_or_sectors_there_is_no_evidence_yet(programme: Any) -> None:
    assert sectors_evidence(programme).missing == "No session has been held yet"
    session = SessionFactory(programme=programme, number=1, status="ended")
    AttendanceFactory(session=session, user=member(programme, "Ned", Role.CARER, ""))
    found = sectors_evidence(programme)
    assert found.figure is None
    assert found.missing == "Nobody who attended has a sector recorded"


def test_the_indicator_is_offered_on_the_plan_and_shown_in_the_report(
    programme: Any, organiser: Any, held: dict[str, Any]
) -> None:
    client = Client()
    client.force_login(organiser)
    outcome = services.outcome_create(programme=programme, title="Sectors collaborate")
    plan = client.get(reverse("evaluation_plan", args=[programme.pk])).content.decode()
    assert 'value="sectors"' in plan and "Sectors working together" in plan
    services.indicator_create(outcome=outcome, title="Together", kind=Indicator.Kind.SECTORS)
    report = client.get(reverse("programme_report", args=[programme.pk])).content.decode()
    assert "both attended 1 of 3 sessions held (33%)" in report
