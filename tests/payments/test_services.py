"""Payment services: rates, lines from the register, expenses, the workflow and its audit."""

from datetime import timedelta
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from participants.models import SecurityEvent
from participants.payments import selectors, services
from participants.payments.models import PaymentEvent, PaymentLine, RegisterConfirmation
from tests.helpers import race
from tests.payments.conftest import at

pytestmark = pytest.mark.django_db


def test_confirming_the_register_pays_lived_experience_and_carers_only(
    register: Any, rates: Any, facilitator: Any, person: Any, carer: Any, practitioner: Any
) -> None:
    lines = {
        line.person_id: line for line in services.register_confirm(session=register, by=facilitator)
    }
    assert practitioner.pk not in lines
    # Jean: 130 min + 30 prep = 160 → rounded up to 180 min = 3 h × £20 = £60.00
    jean = lines[person.pk]
    assert (jean.minutes_attended, jean.minutes_paid, jean.amount) == (130, 180, Decimal("60.00"))
    # Isla: 55 + 30 = 85 → 90 min = 1.5 h × £20 = £30.00
    assert lines[carer.pk].amount == Decimal("30.00")
    assert all(isinstance(line.amount, Decimal) for line in lines.values())
    assert PaymentEvent.objects.filter(action="created").count() == 2
    with pytest.raises(ValidationError, match="already been confirmed"):
        services.register_confirm(session=register, by=facilitator)


def test_a_fixed_fee_rate_card(
    register: Any, programme: Any, organiser: Any, facilitator: Any
) -> None:
    services.rate_card_create(
        programme=programme,
        by=organiser,
        starts_on=programme.starts_on,
        basis="fee",
        session_fee=Decimal("45"),
    )
    amounts = {line.amount for line in services.register_confirm(session=register, by=facilitator)}
    assert amounts == {Decimal("45.00")}


def test_a_new_rate_card_never_changes_lines_already_made(
    register: Any, rates: Any, programme: Any, organiser: Any, facilitator: Any
) -> None:
    lines = services.register_confirm(session=register, by=facilitator)
    before = {line.pk: line.amount for line in lines}
    services.rate_card_create(
        programme=programme,
        by=organiser,
        starts_on=timezone.localdate() - timedelta(days=1),
        basis="hourly",
        hourly_rate=Decimal("25"),
    )
    after = dict(PaymentLine.objects.values_list("pk", "amount"))
    assert after == before
    assert {line.rate_card_id for line in PaymentLine.objects.all()} == {rates.pk}


@pytest.mark.parametrize(
    "fields",
    [
        {"basis": "hourly", "hourly_rate": Decimal("0")},
        {"basis": "hourly", "hourly_rate": Decimal("-5")},
        {"basis": "hourly", "hourly_rate": None},
        {"basis": "fee", "session_fee": Decimal("0")},
        {"basis": "hourly", "hourly_rate": Decimal("20"), "rounding_minutes": 0},
        {"basis": "hourly", "hourly_rate": Decimal("20"), "mileage_rate": Decimal("-0.45")},
    ],
)
def test_bad_rates_are_refused(programme: Any, organiser: Any, fields: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        services.rate_card_create(
            programme=programme, by=organiser, starts_on=programme.starts_on, **fields
        )
    assert not programme.rate_cards.exists()


def test_times_must_be_on_the_session_day_and_out_after_in(
    register: Any, rates: Any, facilitator: Any, person: Any
) -> None:
    day = timezone.localtime(register.starts_at).date()
    for start, end in ((at(day, 12), at(day, 11)), (at(day - timedelta(days=1), 10), at(day, 11))):
        with pytest.raises(ValidationError):
            services.attendance_correct(
                session=register,
                by=facilitator,
                user_id=person.pk,
                checked_in_at=start,
                checked_out_at=end,
            )
    services.attendance_correct(
        session=register,
        by=facilitator,
        user_id=person.pk,
        checked_in_at=at(day, 10),
        checked_out_at=at(day, 11),
    )
    line = next(
        line
        for line in services.register_confirm(session=register, by=facilitator)
        if line.person_id == person.pk
    )
    assert line.amount == Decimal("30.00")  # 60 + 30 prep = 90 min


def test_someone_still_checked_in_blocks_confirmation(
    register: Any, rates: Any, facilitator: Any, person: Any
) -> None:
    register.attendances.filter(user=person).update(checked_out_at=None)
    with pytest.raises(ValidationError, match="still checked in"):
        services.register_confirm(session=register, by=facilitator)
    assert not RegisterConfirmation.objects.exists() and not PaymentLine.objects.exists()


def test_expenses_mileage_caps_and_reasons(
    programme: Any, rates: Any, organiser: Any, person: Any, facilitator: Any
) -> None:
    day = timezone.localdate()
    mileage = services.expense_add(
        programme=programme,
        person=person,
        by=organiser,
        worked_on=day,
        category="mileage",
        miles=Decimal("12.5"),
    )
    assert mileage.amount == Decimal("5.63")  # 12.5 × 0.45 = 5.625 → half-up
    with pytest.raises(ValidationError, match="cap"):
        services.expense_add(
            programme=programme,
            person=person,
            by=organiser,
            worked_on=day,
            category="meals",
            amount=Decimal("12.00"),
        )
    meals = services.expense_add(
        programme=programme,
        person=person,
        by=organiser,
        worked_on=day,
        category="meals",
        amount=Decimal("12.00"),
        over_cap_reason="Lunch for two: Jean came with her supporter",
    )
    assert meals.amount == Decimal("12.00")
    for bad in (Decimal("0"), Decimal("-3")):
        with pytest.raises(ValidationError):
            services.expense_add(
                programme=programme,
                person=person,
                by=organiser,
                worked_on=day,
                category="fares",
                amount=bad,
            )
    with pytest.raises(ValidationError):
        services.expense_add(
            programme=programme,
            person=facilitator,
            by=organiser,
            worked_on=day,
            category="fares",
            amount=Decimal("3"),
        )
    assert PaymentLine.objects.count() == 2


@pytest.fixture
def line(register: Any, rates: Any, facilitator: Any, person: Any) -> PaymentLine:
    return next(
        line
        for line in services.register_confirm(session=register, by=facilitator)
        if line.person_id == person.pk
    )


def test_the_whole_workflow_with_its_audit(line: PaymentLine, organiser: Any) -> None:
    services.line_transition(
        line=line, by=organiser, action="query", reason="Did Jean stay to the end?"
    )
    services.line_transition(
        line=line, by=organiser, action="answer", reason="Yes, she helped tidy up"
    )
    services.line_transition(line=line, by=organiser, action="approve")
    services.line_transition(line=line, by=organiser, action="send")
    paid = services.line_transition(
        line=line, by=organiser, action="pay", payment_reference="BACS-2026-114"
    )
    assert paid.status == "paid" and paid.payment_reference == "BACS-2026-114" and paid.paid_on
    trail = list(
        PaymentEvent.objects.filter(line=line)
        .order_by("pk")
        .values_list("action", "from_status", "to_status")
    )
    assert trail == [
        ("created", "", "pending"),
        ("query", "pending", "queried"),
        ("answer", "queried", "pending"),
        ("approve", "pending", "approved"),
        ("send", "approved", "sent"),
        ("pay", "sent", "paid"),
    ]
    assert SecurityEvent.objects.filter(kind="payment_transition").count() == 5


@pytest.mark.parametrize(
    ("status", "action"),
    [
        ("pending", "send"),
        ("pending", "pay"),
        ("approved", "approve"),
        ("approved", "answer"),
        ("sent", "approve"),
        ("paid", "approve"),
        ("paid", "query"),
        ("paid", "decline"),
        ("declined", "approve"),
        ("queried", "approve"),
        ("sent", "decline"),
    ],
)
def test_refused_transitions_change_nothing(
    line: PaymentLine, organiser: Any, status: str, action: str
) -> None:
    PaymentLine.objects.filter(pk=line.pk).update(
        status=status, payment_reference="X" if status == "paid" else ""
    )
    line.refresh_from_db()
    events = PaymentEvent.objects.count()
    with pytest.raises(ValidationError):
        services.line_transition(
            line=line, by=organiser, action=action, reason="because", payment_reference="R1"
        )
    line.refresh_from_db()
    assert line.status == status and PaymentEvent.objects.count() == events


def test_reasons_references_and_own_claims(line: PaymentLine, organiser: Any, person: Any) -> None:
    with pytest.raises(ValidationError):
        services.line_transition(line=line, by=organiser, action="query", reason="  ")
    with pytest.raises(ValidationError, match="own claim"):
        services.line_transition(line=line, by=person, action="approve")
    services.line_transition(line=line, by=organiser, action="approve")
    services.line_transition(line=line, by=organiser, action="send")
    with pytest.raises(ValidationError, match="payment reference"):
        services.line_transition(line=line, by=organiser, action="pay", payment_reference="")
    line.refresh_from_db()
    assert line.status == "sent"


def test_a_correction_is_a_new_line_pointing_at_the_old_one(
    line: PaymentLine, organiser: Any
) -> None:
    with pytest.raises(ValidationError):
        services.adjustment_add(line=line, by=organiser, amount=Decimal("-5"), reason="wrong")
    services.line_transition(line=line, by=organiser, action="approve")
    adjustment = services.adjustment_add(
        line=line, by=organiser, amount=Decimal("-10.00"), reason="Left an hour early"
    )
    assert (
        adjustment.corrects == line
        and adjustment.kind == "adjustment"
        and adjustment.status == "pending"
    )
    line.refresh_from_db()
    assert line.amount == Decimal("60.00") and line.status == "approved"
    with pytest.raises(ValidationError):
        services.adjustment_add(
            line=line, by=organiser, amount=Decimal("-100.00"), reason="too much"
        )


def test_every_line_is_made_with_one_created_event_saying_where_it_came_from(
    line: PaymentLine, programme: Any, organiser: Any, person: Any, facilitator: Any
) -> None:
    services.line_transition(line=line, by=organiser, action="approve")
    expense = services.expense_add(
        programme=programme,
        person=person,
        by=person,
        worked_on=line.worked_on,
        category="fares",
        amount=Decimal("4.20"),
    )
    adjustment = services.adjustment_add(
        line=line, by=organiser, amount=Decimal("-10.00"), reason="Left an hour early"
    )
    created = {
        event.line_id: (event.by_id, event.to_status, event.reason)
        for event in PaymentEvent.objects.filter(action="created")
    }
    assert PaymentEvent.objects.filter(action="created").count() == PaymentLine.objects.count()
    assert created[line.pk] == (facilitator.pk, "pending", "From the confirmed register")
    assert created[expense.pk] == (person.pk, "pending", "Expense: Fares")
    assert created[adjustment.pk] == (
        organiser.pk,
        "pending",
        f"Adjusts line {line.pk}: Left an hour early",
    )
    assert {expense.created_by_id, adjustment.created_by_id} == {person.pk, organiser.pk}


@pytest.mark.django_db(transaction=True)
def test_a_line_whose_event_cannot_be_written_is_not_made(
    programme: Any, rates: Any, person: Any, organiser: Any
) -> None:
    with (
        mock.patch.object(PaymentEvent.objects, "create", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        # Outside any transaction: line_create's own keeps the line and its event together.
        services.line_create(
            programme_id=programme.pk,
            person_id=person.pk,
            kind=PaymentLine.Kind.EXPENSE,
            category="fares",
            worked_on=rates.starts_on,
            amount=Decimal("3.00"),
            by=organiser,
            reason="Expense: Fares",
        )
    assert not PaymentLine.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("action", ["approve", "pay"])
def test_two_organisers_at_once_make_one_transition_and_one_record(
    line: PaymentLine, organiser: Any, facilitator: Any, action: str
) -> None:
    from participants.models import Membership, Role

    second = Membership.objects.get(user=facilitator)
    second.role = Role.ORGANISER
    second.save()
    if action == "pay":
        PaymentLine.objects.filter(pk=line.pk).update(status="sent")
        line.refresh_from_db()
    outcomes = race(
        *(
            lambda by=by: services.line_transition(
                line=line, by=by, action=action, payment_reference="REF-1"
            )
            for by in (organiser, facilitator)
        )
    )
    assert outcomes == ["done", "refused"]
    assert PaymentEvent.objects.filter(line=line, action=action).count() == 1


def test_totals_by_week_month_and_uk_tax_year(
    programme: Any, person: Any, rates: Any, organiser: Any
) -> None:
    from datetime import date

    services.rate_card_create(
        programme=programme,
        by=organiser,
        starts_on=date(2026, 1, 1),
        basis="hourly",
        hourly_rate=Decimal("20"),
    )
    for day, amount in (
        (date(2026, 4, 5), "100"),
        (date(2026, 4, 6), "200"),
        (date(2026, 4, 8), "50"),
    ):
        # Time lines: reimbursed expenses are not income and are left out of these totals.
        PaymentLine.objects.create(
            programme=programme, person=person, kind="time", worked_on=day, amount=Decimal(amount)
        )
    totals = selectors.person_totals(person_id=person.pk, day=date(2026, 4, 8))
    assert totals.tax_year == Decimal("250.00")  # 5 April belongs to the tax year before
    assert totals.month == Decimal("350.00")
    assert totals.week == Decimal("250.00")  # Mon 6 April – Sun 12 April
    assert selectors.tax_year_start(date(2027, 1, 10)) == date(2026, 4, 6)


def test_a_warning_before_approving_a_line_that_crosses_a_threshold(
    line: PaymentLine, programme: Any
) -> None:
    policy = services.policy_for(programme=programme)
    policy.threshold_tax_year = Decimal("50.00")
    policy.save()
    warnings = selectors.warnings_for(line)
    assert warnings and "over the £50.00 threshold" in warnings[0]


def test_a_co_facilitator_is_still_paid_as_a_contributor_and_keeps_no_register(
    programme: Any, rates: Any, facilitator: Any, person: Any, carer: Any
) -> None:
    """Marking changes what Jean may do in the room, never her role: her attendance still
    makes her time line, exactly as Isla's (not marked) does; and she cannot touch the register."""
    from django.test import Client
    from django.urls import reverse

    from tests.factories import AttendanceFactory, LiveSessionFactory
    from workshops import services as workshop_services
    from workshops.models import Attendance

    now = timezone.now()
    session = LiveSessionFactory(programme=programme, starts_at=now - timedelta(hours=2))
    for user in (person, carer):
        AttendanceFactory(session=session, user=user, checked_in_at=now - timedelta(minutes=100))
    workshop_services.attendance_set_co_facilitator(
        session=session, user_id=person.pk, co_facilitator=True, by=facilitator
    )
    jean = Client()
    jean.force_login(person)
    url = reverse("session_register", args=[session.pk])
    early = timezone.localtime(now - timedelta(hours=2)).time().strftime("%H:%M")
    response = jean.post(
        url, {"person": person.pk, "checked_in_at": early, "checked_out_at": early}
    )
    assert response.status_code == 404
    assert jean.post(url, {"confirm": "1"}).status_code == 404
    assert not RegisterConfirmation.objects.filter(session=session).exists()

    workshop_services.session_end(session=session)
    assert Attendance.objects.get(session=session, user=person).co_facilitator  # on record
    lines = {
        line.person_id: line for line in services.register_confirm(session=session, by=facilitator)
    }
    # 100 min + 30 prep = 130 → rounded up to 150 min = 2.5 h × £20 = £50.00, for both.
    assert lines[person.pk].kind == PaymentLine.Kind.TIME
    assert lines[person.pk].amount == lines[carer.pk].amount == Decimal("50.00")
