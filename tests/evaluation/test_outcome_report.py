"""The report by outcome: each indicator's evidence, worked out by hand here, or plainly none."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from participants.models import Role
from participants.payments.models import PaymentLine
from tests.factories import AttendanceFactory, MembershipFactory, SessionFactory, UserFactory
from workshops.evaluation import selectors, services
from workshops.evaluation.models import Form, Indicator, Outcome
from workshops.floor.models import BalanceRecord
from workshops.models import Session

pytestmark = pytest.mark.django_db


def as_user(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def one_outcome_with_every_kind(programme: Any) -> Outcome:
    outcome = services.outcome_create(programme=programme, title="People are heard")
    for title, kind, question in (
        ("Listened to", Indicator.Kind.FEEDBACK_QUESTION, "I felt listened to"),
        ("Wellbeing", Indicator.Kind.WELLBEING_CHANGE, ""),
        ("Short wellbeing", Indicator.Kind.SWEMWBS_CHANGE, ""),
        ("Keep coming", Indicator.Kind.ATTENDANCE, ""),
        ("Equal voice", Indicator.Kind.BALANCE, ""),
        ("Paid on time", Indicator.Kind.PAYMENTS_ON_TIME, ""),
    ):
        services.indicator_create(outcome=outcome, title=title, kind=kind, question_text=question)
    return outcome


def evidence(programme: Any, *, with_payments: bool = True) -> dict[str, Any]:
    report = selectors.programme_report(programme=programme, with_payments=with_payments)
    [(_outcome, rows)] = report["outcomes"]
    return {indicator.title: found for indicator, found in rows}


def people(programme: Any, n: int) -> list[Any]:
    made = []
    for i in range(n):
        user = UserFactory(display_name=f"Person {i}")
        MembershipFactory(user=user, programme=programme, role=Role.CARER)
        made.append(user)
    return made


def measure(programme: Any, instrument: str, timepoint: str) -> Form:
    return services.instrument_form_create(
        programme=programme, instrument=instrument, timepoint=timepoint
    )


def answer_all(form: Form, person: Any, value: int) -> None:
    services.response_submit(
        form=form, person=person, answers={q.field_name: str(value) for q in form.questions.all()}
    )


def test_every_kind_of_indicator_knows_where_its_evidence_is() -> None:
    from workshops.evaluation.selectors.evidence import EVIDENCE

    assert sorted(EVIDENCE) == sorted(Indicator.Kind.values)


def test_with_nothing_collected_every_indicator_has_no_evidence(programme: Any) -> None:
    one_outcome_with_every_kind(programme)
    found = evidence(programme)
    assert [e.figure for e in found.values()] == [None] * 6
    assert all(e.missing for e in found.values())


def test_each_indicator_against_figures_worked_out_by_hand(programme: Any, organiser: Any) -> None:
    one_outcome_with_every_kind(programme)
    a, b, c = people(programme, 3)
    # Two sessions held: 3 people then 2; balance 80.0 then 70.0.
    first = SessionFactory(programme=programme, number=1, status=Session.Status.ENDED)
    second = SessionFactory(programme=programme, number=2, status=Session.Status.ENDED)
    for session, attended in ((first, [a, b, c]), (second, [a, b])):
        for person in attended:
            AttendanceFactory(session=session, user=person)
    BalanceRecord.objects.create(session=first, balance_index=Decimal("80.0"))
    BalanceRecord.objects.create(session=second, balance_index=Decimal("70.0"))
    # "I felt listened to": 5 and 2 in session feedback, 4 on a custom form → 11 / 3 = 3.67.
    feedback = services.feedback_form_for(session=first)
    listened = feedback.questions.get(text="I felt listened to")
    for person, value in ((a, "5"), (b, "2")):
        services.response_submit(
            form=feedback,
            person=person,
            answers={
                q.field_name: (value if q == listened else "3")
                for q in feedback.questions.filter(kind="rating")
            },
        )
    custom = services.form_create(programme=programme, title="Later on")
    question = services.question_add(form=custom, kind="rating", text="I felt listened to")
    services.response_submit(form=custom, person=c, answers={question.field_name: "4"})
    # WEMWBS: a 42 → 56 (+14), b 42 → 42 (0): mean change +7.0, 1 of 2 up by 3 or more.
    for instrument in ("wemwbs", "swemwbs"):
        services.licence_record(
            programme=programme,
            instrument=instrument,
            licence_holder="The partnership",
            reference="L-1",
            licensed_on=date(2026, 1, 1),
            by=organiser,
        )
    base, follow = (
        measure(programme, "wemwbs", "baseline"),
        measure(programme, "wemwbs", "follow_up"),
    )
    answer_all(base, a, 3)
    answer_all(follow, a, 4)
    answer_all(base, b, 3)
    answer_all(follow, b, 3)
    answer_all(base, c, 3)  # no follow-up: not paired
    # SWEMWBS: a raw 21 → 28, metric 19.25 → 25.03: change +5.78.
    short_base = measure(programme, "swemwbs", "baseline")
    short_follow = measure(programme, "swemwbs", "follow_up")
    answer_all(short_base, a, 3)
    answer_all(short_follow, a, 4)
    # Payments: one paid in 9 days, one paid in 29, one unpaid after 30 days, one unpaid
    # but only 3 days old (not due yet), one declined (never counted) → 1 of 3 on time.
    today = timezone.localdate()
    for worked, paid, status in (
        (today - timedelta(days=20), today - timedelta(days=11), PaymentLine.Status.PAID),
        (today - timedelta(days=40), today - timedelta(days=11), PaymentLine.Status.PAID),
        (today - timedelta(days=30), None, PaymentLine.Status.APPROVED),
        (today - timedelta(days=3), None, PaymentLine.Status.PENDING),
        (today - timedelta(days=30), None, PaymentLine.Status.DECLINED),
    ):
        PaymentLine.objects.create(
            programme=programme,
            person=a,
            kind=PaymentLine.Kind.TIME,
            status=status,
            worked_on=worked,
            paid_on=paid,
            amount=Decimal("25.00"),
            payment_reference="BACS-1" if paid else "",
        )

    found = evidence(programme)
    assert found["Listened to"].figure == "Average 3.67 out of 5, from 3 answers"
    # c answered the WEMWBS baseline only: not in the change, but said.
    assert found["Wellbeing"].figure == (
        "Average change +7.0 (42.0 at baseline, 49.0 at follow-up) for 2 people; "
        "1 of 2 improved by 3 or more; 1 more answered at the start and has no follow-up yet"
    )
    assert found["Short wellbeing"].figure == (
        "Average change +5.8 (19.3 at baseline, 25.0 at follow-up) for 1 person; "
        "1 of 1 improved by 3 or more"
    )
    assert found["Keep coming"].figure == "Average 2.5 people per session, over 2 sessions held"
    assert found["Equal voice"].figure == "Average balance index 75.0 out of 100, over 2 sessions"
    assert found["Paid on time"].figure == "1 of 3 payments made on time (within 14 days)"
    # Facilitators do not see payments: the figure is withheld, not missing.
    hidden = evidence(programme, with_payments=False)["Paid on time"]
    assert hidden.figure == "Shown to organisers only"


def test_the_report_page_shows_each_outcome_and_says_no_evidence_yet(
    programme: Any, organiser: Any, facilitator: Any
) -> None:
    outcome = services.outcome_create(programme=programme, title="Ideas lead to change")
    services.indicator_create(
        outcome=outcome, title="Ideas made a difference", kind=Indicator.Kind.ATTENDANCE
    )
    services.outcome_create(programme=programme, title="An outcome still to evidence")
    html = as_user(facilitator).get(reverse("programme_report", args=[programme.pk]))
    text = html.content.decode()
    assert "Ideas lead to change" in text and "Ideas made a difference" in text
    assert "No evidence yet" in text
    assert "No indicators yet" in text
    assert "SWEMWBS" in text


def test_the_csv_says_no_evidence_yet_too(programme: Any, organiser: Any) -> None:
    outcome = services.outcome_create(programme=programme, title="Ideas lead to change")
    services.indicator_create(outcome=outcome, title="Equal voice", kind=Indicator.Kind.BALANCE)
    body = as_user(organiser).get(reverse("programme_report_csv", args=[programme.pk]))
    assert "Outcome: Ideas lead to change,Equal voice,No evidence yet" in body.content.decode()


def test_people_with_a_baseline_and_no_follow_up_are_counted_apart_from_the_change(
    programme: Any, organiser: Any
) -> None:
    outcome = services.outcome_create(programme=programme, title="Wellbeing improves")
    services.indicator_create(
        outcome=outcome, title="Short wellbeing", kind=Indicator.Kind.SWEMWBS_CHANGE
    )
    services.licence_record(
        programme=programme,
        instrument="swemwbs",
        licence_holder="The partnership",
        reference="L-1",
        licensed_on=date(2026, 1, 1),
        by=organiser,
    )
    a, b, c = people(programme, 3)
    base = measure(programme, "swemwbs", "baseline")
    follow = measure(programme, "swemwbs", "follow_up")
    # Nobody paired yet: b and c answered at the start.
    answer_all(base, b, 3)
    answer_all(base, c, 2)
    found = evidence(programme)["Short wellbeing"]
    assert found.figure is None
    assert found.missing == (
        "Nobody has answered both the baseline and the follow-up; "
        "2 answered at the start and have no follow-up yet"
    )
    # a answers the follow-up first: not paired, and not waiting for a follow-up.
    answer_all(follow, a, 4)
    assert evidence(programme)["Short wellbeing"].missing == found.missing
    answer_all(base, a, 3)
    # a raw 21 → 28: 19.25 → 25.03 (+5.78); b and c are still waiting.
    found = evidence(programme)["Short wellbeing"]
    assert found.figure == (
        "Average change +5.8 (19.3 at baseline, 25.0 at follow-up) for 1 person; "
        "1 of 1 improved by 3 or more; 2 more answered at the start and have no follow-up yet"
    )
    html = as_user(organiser).get(reverse("programme_report", args=[programme.pk])).content
    assert "2 more answered at the start and have no follow-up yet" in html.decode()
    body = as_user(organiser).get(reverse("programme_report_csv", args=[programme.pk]))
    assert 'Wellbeing (SWEMWBS),"baseline only, no follow-up yet",2' in body.content.decode()


def test_sessions_where_nobody_took_the_floor_are_said_and_left_out_of_the_average(
    programme: Any, organiser: Any
) -> None:
    outcome = services.outcome_create(programme=programme, title="Everyone is heard")
    services.indicator_create(outcome=outcome, title="Equal voice", kind=Indicator.Kind.BALANCE)
    first, quiet, third, untold = (
        SessionFactory(programme=programme, number=n, status=Session.Status.ENDED)
        for n in (1, 2, 3, 4)
    )
    BalanceRecord.objects.create(session=quiet, balance_index=None, turns_taken=0)
    found = evidence(programme)["Equal voice"]
    assert (found.figure, found.missing) == (None, "Nobody took the floor in 1 session")
    BalanceRecord.objects.create(session=first, balance_index=Decimal("80.0"), turns_taken=4)
    BalanceRecord.objects.create(session=third, balance_index=Decimal("65.0"), turns_taken=2)
    # Kept before turns were counted, with no index: neither averaged nor counted as quiet.
    BalanceRecord.objects.create(session=untold, balance_index=None)
    # (80.0 + 65.0) / 2 = 72.5; the quiet session is not averaged in as 100 (that gave 81.7).
    assert evidence(programme)["Equal voice"].figure == (
        "Average balance index 72.5 out of 100, over 2 sessions; "
        "nobody took the floor in 1 other session"
    )
    client = as_user(organiser)
    html = client.get(reverse("programme_report", args=[programme.pk])).content.decode()
    assert "Nobody took the floor in 1 session: it has no balance index" in html
    assert f"Session 2, {quiet.title}: no turns taken" in " ".join(html.split())
    body = client.get(reverse("programme_report_csv", args=[programme.pk])).content.decode()
    assert f"Equal voice,Session 2: {quiet.title},no turns taken" in body
    assert "Equal voice,sessions where nobody took the floor,1" in body
    page = client.get(reverse("session_report", args=[quiet.pk])).content.decode()
    assert "No turns taken: nobody took the floor" in page
