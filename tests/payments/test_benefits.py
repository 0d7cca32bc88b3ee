"""Benefits-safe payments: expenses are not income, Universal Credit assessment periods,
vouchers and cash told apart, a person's statement, and lines overdue for payment."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from participants.models import Membership
from participants.payments import selectors, services
from participants.payments.models import PaymentLine, PaymentPreference

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_rates(programme: Any, organiser: Any) -> Any:
    """Rates from 1 January 2026, so lines can be made on any day of the year."""
    return services.rate_card_create(
        programme=programme,
        by=organiser,
        starts_on=date(2026, 1, 1),
        basis="hourly",
        hourly_rate=Decimal("20"),
    )


def time_line(programme: Any, person: Any, day: date, amount: str, **extra: Any) -> PaymentLine:
    """A time line as the register makes it (amounts chosen by the test)."""
    return PaymentLine.objects.create(
        programme=programme,
        person=person,
        kind=PaymentLine.Kind.TIME,
        worked_on=day,
        amount=Decimal(amount),
        **extra,
    )


def expense(programme: Any, person: Any, by: Any, day: date, amount: str) -> PaymentLine:
    return services.expense_add(
        programme=programme,
        person=person,
        by=by,
        worked_on=day,
        category="fares",
        amount=Decimal(amount),
    )


# 1. Reimbursed expenses are not income.


def test_expenses_are_left_out_of_every_total(
    programme: Any, person: Any, organiser: Any, year_rates: Any
) -> None:
    time_line(programme, person, date(2026, 4, 8), "60.00")
    fares = expense(programme, person, organiser, date(2026, 4, 8), "12.40")
    totals = selectors.person_totals(person_id=person.pk, day=date(2026, 4, 8))
    assert (totals.week, totals.month, totals.tax_year) == (Decimal("60.00"),) * 3
    assert totals.expenses_tax_year == Decimal("12.40")
    # An expense still goes to finance: approve, send, pay and export it like any line.
    for action in ("approve", "send", "pay"):
        services.line_transition(line=fares, by=organiser, action=action, payment_reference="R1")
    fares.refresh_from_db()
    assert fares.status == "paid"


def test_an_adjustment_follows_the_line_it_corrects(
    programme: Any, person: Any, organiser: Any, year_rates: Any
) -> None:
    work = time_line(programme, person, date(2026, 4, 8), "60.00", status="approved")
    fares = expense(programme, person, organiser, date(2026, 4, 8), "10.00")
    services.line_transition(line=fares, by=organiser, action="approve")
    services.adjustment_add(line=work, by=organiser, amount=Decimal("5"), reason="Late start")
    services.adjustment_add(line=fares, by=organiser, amount=Decimal("2"), reason="Return fare")
    totals = selectors.person_totals(person_id=person.pk, day=date(2026, 4, 8))
    assert totals.tax_year == Decimal("65.00")
    assert totals.expenses_tax_year == Decimal("12.00")


def test_an_expense_gives_no_threshold_warning(
    programme: Any, person: Any, organiser: Any, year_rates: Any
) -> None:
    policy = services.policy_for(programme=programme)
    policy.threshold_week = Decimal("10.00")
    policy.save()
    fares = expense(programme, person, organiser, date(2026, 4, 8), "40.00")
    assert selectors.warnings_for(fares) == []
    work = time_line(programme, person, date(2026, 4, 8), "9.00")
    assert selectors.warnings_for(work) == []  # the £40 of fares does not count
    more = time_line(programme, person, date(2026, 4, 9), "2.00")
    assert "£11.00 this week" in selectors.warnings_for(more)[0]


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    amounts=st.lists(
        st.tuples(
            st.booleans(),
            st.decimals(min_value=Decimal("0.01"), max_value=Decimal("500"), places=2),
        ),
        max_size=8,
    )
)
def test_income_and_expenses_always_add_up_to_everything(
    amounts: list[tuple[bool, Decimal]], programme: Any, person: Any
) -> None:
    PaymentLine.objects.all().delete()
    for is_expense, amount in amounts:
        PaymentLine.objects.create(
            programme=programme,
            person=person,
            kind=PaymentLine.Kind.EXPENSE if is_expense else PaymentLine.Kind.TIME,
            category="fares" if is_expense else "",
            worked_on=date(2026, 5, 5),
            amount=amount,
        )
    totals = selectors.person_totals(person_id=person.pk, day=date(2026, 5, 5))
    income = sum((a for e, a in amounts if not e), Decimal("0.00"))
    spent = sum((a for e, a in amounts if e), Decimal("0.00"))
    assert totals.tax_year == income == totals.month == totals.week
    assert totals.expenses_tax_year == spent


# 2. Universal Credit assessment periods.


@pytest.mark.parametrize(
    ("day", "start_day", "start", "end"),
    [
        (date(2026, 3, 10), 3, date(2026, 3, 3), date(2026, 4, 2)),
        (date(2026, 3, 2), 3, date(2026, 2, 3), date(2026, 3, 2)),
        (date(2026, 3, 3), 3, date(2026, 3, 3), date(2026, 4, 2)),
        # The 31st: the last day of each month.
        (date(2026, 3, 1), 31, date(2026, 2, 28), date(2026, 3, 30)),
        (date(2026, 4, 30), 31, date(2026, 4, 30), date(2026, 5, 30)),
        # The 29th or 30th: the 27th of February, or the 28th in a leap year.
        (date(2026, 2, 27), 30, date(2026, 2, 27), date(2026, 3, 29)),
        (date(2026, 2, 26), 29, date(2026, 1, 29), date(2026, 2, 26)),
        (date(2028, 2, 28), 29, date(2028, 2, 28), date(2028, 3, 28)),
    ],
)
def test_uc_assessment_periods_follow_the_regulations(
    day: date, start_day: int, start: date, end: date
) -> None:
    period = selectors.uc_period(day, start_day)
    assert (period.start, period.end) == (start, end)


@given(day=st.dates(date(2020, 1, 1), date(2035, 12, 31)), start_day=st.integers(1, 31))
def test_uc_periods_hold_the_day_and_follow_on_from_each_other(day: date, start_day: int) -> None:
    period = selectors.uc_period(day, start_day)
    assert period.start <= day <= period.end
    assert 27 <= (period.end - period.start).days <= 31
    following = selectors.uc_period(period.end + timedelta(days=1), start_day)
    assert following.start == period.end + timedelta(days=1)
    earlier = selectors.uc_period(period.start - timedelta(days=1), start_day)
    assert earlier.end == period.start - timedelta(days=1)


def test_a_persons_monthly_total_uses_their_assessment_period(
    programme: Any, person: Any, organiser: Any, year_rates: Any
) -> None:
    membership = Membership.objects.get(user=person, programme=programme)
    for day, amount in (
        (date(2026, 3, 2), "10"),
        (date(2026, 3, 3), "20"),
        (date(2026, 4, 1), "40"),
    ):
        time_line(programme, person, day, amount)
    assert selectors.person_totals(person_id=person.pk, day=date(2026, 3, 20)).month == Decimal(
        "30.00"
    )
    services.uc_period_set(membership=membership, by=person, day=3)
    totals = selectors.person_totals(person_id=person.pk, day=date(2026, 3, 20))
    assert totals.month == Decimal("60.00")  # 3 March to 2 April
    assert totals.month_label == "Universal Credit assessment period (3 March to 2 April 2026)"


@pytest.mark.parametrize("bad", [0, 32, -1])
def test_a_bad_assessment_day_is_refused_and_changes_nothing(
    programme: Any, person: Any, bad: int
) -> None:
    membership = Membership.objects.get(user=person, programme=programme)
    services.uc_period_set(membership=membership, by=person, day=12)
    with pytest.raises(ValidationError) as caught:
        services.uc_period_set(membership=membership, by=person, day=bad)
    assert "between 1 and 31" in str(caught.value)
    assert PaymentPreference.objects.get(membership=membership).uc_assessment_day == 12


def test_an_assessment_day_alone_chooses_no_payment_method(
    programme: Any, person: Any, year_rates: Any
) -> None:
    membership = Membership.objects.get(user=person, programme=programme)
    services.uc_period_set(membership=membership, by=person, day=12)
    assert PaymentPreference.objects.get(membership=membership).method == ""
    time_line(programme, person, date(2026, 4, 8), "60")
    assert selectors.totals_by_method(PaymentLine.objects.all(), programme_id=programme.pk) == [
        ("Not chosen yet", Decimal("60.00"), 1)
    ]
    assert "not recorded yet" in selectors.method_words(
        person_id=person.pk, programme_id=programme.pk, name="Jean"
    )
    services.preference_set(membership=membership, by=person, method="cash")
    pref = PaymentPreference.objects.get(membership=membership)
    assert (pref.method, pref.uc_assessment_day) == ("cash", 12)


def test_clearing_the_assessment_day_goes_back_to_calendar_months(
    programme: Any, person: Any
) -> None:
    membership = Membership.objects.get(user=person, programme=programme)
    services.uc_period_set(membership=membership, by=person, day=12)
    services.uc_period_set(membership=membership, by=person, day=None)
    assert PaymentPreference.objects.get(membership=membership).uc_assessment_day is None
    assert selectors.person_totals(person_id=person.pk, day=date(2026, 3, 20)).month_label == (
        "calendar month (March 2026)"
    )


def test_a_month_warning_names_the_assessment_period(
    programme: Any, person: Any, year_rates: Any
) -> None:
    membership = Membership.objects.get(user=person, programme=programme)
    services.uc_period_set(membership=membership, by=person, day=3)
    policy = services.policy_for(programme=programme)
    policy.threshold_month = Decimal("50.00")
    policy.threshold_tax_year = None
    policy.save()
    time_line(programme, person, date(2026, 3, 10), "30")
    line = time_line(programme, person, date(2026, 4, 1), "30")
    (warning,) = selectors.warnings_for(line)
    assert "£60.00 in this Universal Credit assessment period (3 March to 2 April 2026)" in warning


# 3. Vouchers and cash told apart.


@pytest.mark.parametrize(
    ("method", "words"),
    [
        ("voucher", "paid in vouchers. Vouchers still count: report them"),
        ("cash", "paid in cash. Cash counts: report it"),
        ("bank", "paid by bank transfer"),
    ],
)
def test_warnings_say_how_someone_is_paid(
    programme: Any, person: Any, year_rates: Any, method: str, words: str
) -> None:
    membership = Membership.objects.get(user=person, programme=programme)
    services.preference_set(membership=membership, by=person, method=method)
    policy = services.policy_for(programme=programme)
    policy.threshold_tax_year = Decimal("50.00")
    policy.save()
    line = time_line(programme, person, date(2026, 4, 8), "60")
    (warning,) = selectors.warnings_for(line)
    assert words in warning


# 4. A statement of payments for involvement.


def test_a_statement_lists_lines_in_the_range_with_expenses_apart(
    programme: Any, other_programme: Any, person: Any, organiser: Any, year_rates: Any
) -> None:
    time_line(programme, person, date(2026, 3, 31), "99")  # before the range
    paid = time_line(
        programme,
        person,
        date(2026, 4, 8),
        "60",
        status="paid",
        payment_reference="B1",
        paid_on=date(2026, 4, 20),
    )
    expense(programme, person, organiser, date(2026, 4, 8), "12.40")
    time_line(programme, person, date(2026, 4, 9), "5", status="declined")
    Membership.objects.create(user=person, programme=other_programme, role="lived_experience")
    time_line(other_programme, person, date(2026, 4, 10), "25")
    statement = selectors.statement(
        person_id=person.pk, start=date(2026, 4, 1), end=date(2026, 4, 30)
    )
    assert [line.amount for line in statement.lines] == [
        Decimal("60.00"),
        Decimal("12.40"),
        Decimal("25.00"),
    ]
    assert statement.income == Decimal("85.00")
    assert statement.expenses == Decimal("12.40")
    assert statement.income_paid == Decimal("60.00")
    assert statement.lines[0] == paid
    only_ours = selectors.statement(
        person_id=person.pk,
        start=date(2026, 4, 1),
        end=date(2026, 4, 30),
        programme_id=programme.pk,
    )
    assert only_ours.income == Decimal("60.00")


# 5. Days from the session to paid, and overdue lines.


def test_days_to_paid_and_lines_overdue(
    programme: Any, person: Any, carer: Any, year_rates: Any
) -> None:
    today = date(2026, 5, 30)
    paid = time_line(
        programme,
        person,
        date(2026, 5, 1),
        "60",
        status="paid",
        payment_reference="B1",
        paid_on=date(2026, 5, 10),
    )
    late = time_line(programme, person, date(2026, 5, 1), "60", status="sent")
    just = time_line(programme, carer, date(2026, 5, 16), "30", status="approved")
    time_line(programme, carer, date(2026, 5, 15), "30", status="declined")
    fresh = time_line(programme, carer, date(2026, 5, 20), "30")
    assert selectors.days_waiting(paid, today) == 9
    assert selectors.days_waiting(late, today) == 29
    assert selectors.days_waiting(fresh, today) == 10
    overdue = selectors.overdue(programme_id=programme.pk, today=today, after_days=14)
    assert [(o.line, o.days) for o in overdue] == [(late, 29)]
    overdue = selectors.overdue(programme_id=programme.pk, today=today, after_days=13)
    assert [(o.line, o.days) for o in overdue] == [(late, 29), (just, 14)]


def test_the_overdue_setting_defaults_to_14_days_and_refuses_nonsense(
    programme: Any, organiser: Any
) -> None:
    policy = services.policy_for(programme=programme)
    assert policy.overdue_after_days == 14
    with pytest.raises(ValidationError):
        services.thresholds_set(
            programme=programme,
            by=organiser,
            threshold_week=None,
            threshold_month=None,
            threshold_tax_year=None,
            overdue_after_days=0,
        )
    assert services.policy_for(programme=programme).overdue_after_days == 14


def test_my_three_figures_are_waiting_approved_and_paid_never_declined_nor_anyone_elses(
    programme: Any, person: Any, carer: Any
) -> None:
    day = date(2026, 5, 5)
    for status, amount in (
        ("pending", "10.00"),
        ("queried", "1.50"),
        ("approved", "20.00"),
        ("sent", "2.25"),
        ("paid", "40.00"),
        ("declined", "99.00"),
    ):
        time_line(programme, person, day, amount, status=status, payment_reference="BACS-1")
    time_line(programme, carer, day, "7.00", status="paid", payment_reference="BACS-1")

    mine = selectors.status_totals(person_id=person.pk)

    assert (mine.owed, mine.approved, mine.paid) == (
        Decimal("11.50"),
        Decimal("22.25"),
        Decimal("40.00"),
    )
    nothing = selectors.status_totals(person_id=carer.pk + person.pk + 1000)
    assert (str(nothing.owed), str(nothing.approved), str(nothing.paid)) == ("0.00",) * 3
