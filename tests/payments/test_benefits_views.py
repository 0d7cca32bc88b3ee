"""Benefits-safe payment pages: the statement and who may see it, the assessment period form,
totals on My payments, overdue lines, and bad input that changes nothing."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from participants.models import Membership
from participants.payments import services
from participants.payments.models import PaymentLine, PaymentPreference
from tests.factories import MembershipFactory, ProgrammeFactory, StaffUserFactory
from tests.helpers import session_cookie_for

pytestmark = pytest.mark.django_db


def signed_in(user: Any, method: str = "card") -> Client:
    client = Client()
    name, _, key = session_cookie_for(user, method=method).partition("=")
    client.cookies[name] = key
    return client


def as_user(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def their_lines(programme: Any, person: Any, carer: Any, organiser: Any, rates: Any) -> Any:
    """Jean: £60 of time paid 9 days after, £12.40 of fares; Isla: £30 of time."""
    today = timezone.localdate()
    work = PaymentLine.objects.create(
        programme=programme,
        person=person,
        kind="time",
        worked_on=today - timedelta(days=9),
        amount=Decimal("60.00"),
        status="paid",
        payment_reference="BACS-1",
        paid_on=today,
    )
    fares = services.expense_add(
        programme=programme,
        person=person,
        by=organiser,
        worked_on=today - timedelta(days=9),
        category="fares",
        amount=Decimal("12.40"),
    )
    PaymentLine.objects.create(
        programme=programme,
        person=carer,
        kind="time",
        worked_on=today - timedelta(days=2),
        amount=Decimal("30.00"),
    )
    return work, fares


@pytest.fixture
def rival_organiser(db: Any) -> Any:
    """The organiser of another programme."""
    user = StaffUserFactory(display_name="Rhona Rival")
    MembershipFactory(user=user, programme=ProgrammeFactory(name="Rival"), role="organiser")
    return user


def statement_url(programme: Any, person: Any) -> str:
    membership = Membership.objects.get(user=person, programme=programme)
    return reverse("payment_statement", args=[programme.pk, membership.pk])


def test_another_programmes_organiser_cannot_see_a_statement(
    their_lines: Any, programme: Any, person: Any, rival_organiser: Any
) -> None:
    client = as_user(rival_organiser)
    response = client.get(statement_url(programme, person))
    assert response.status_code == 404 and b"60.00" not in response.content
    rival_programme = Membership.objects.get(user=rival_organiser).programme
    membership = Membership.objects.get(user=person, programme=programme)
    sideways = reverse("payment_statement", args=[rival_programme.pk, membership.pk])
    assert client.get(sideways).status_code == 404


@pytest.mark.parametrize("role", ["facilitator", "practitioner", "carer", "outsider"])
def test_only_organisers_of_the_programme_see_someones_statement(
    their_lines: Any, programme: Any, person: Any, role: str, request: Any
) -> None:
    response = as_user(request.getfixturevalue(role)).get(statement_url(programme, person))
    assert response.status_code == 404 and b"60.00" not in response.content


def test_the_organiser_prints_a_statement_with_expenses_apart(
    their_lines: Any, programme: Any, person: Any, organiser: Any
) -> None:
    page = as_user(organiser).get(statement_url(programme, person)).content.decode()
    assert "Payments for involvement" in page and "Jean Robertson" in page
    assert "£60.00" in page and "£12.40" in page and "£30.00" not in page
    assert "Reimbursed expenses (not income)" in page
    assert "BACS-1" not in page  # finance's reference is not the benefits office's business


def test_a_person_sees_their_own_statement_and_needs_a_card(
    their_lines: Any, person: Any, carer: Any
) -> None:
    url = reverse("my_payments_statement")
    assert signed_in(person, method="name").get(url).status_code == 403
    page = signed_in(person).get(url).content.decode()
    assert "£60.00" in page and "£12.40" in page and "£30.00" not in page
    isla = signed_in(carer).get(url).content.decode()
    assert "£30.00" in isla and "£60.00" not in isla


def test_a_statement_for_chosen_dates(their_lines: Any, person: Any) -> None:
    today = timezone.localdate()
    client = signed_in(person)
    url = reverse("my_payments_statement")
    later = client.get(url, {"start": today.isoformat(), "end": today.isoformat()})
    assert later.status_code == 200 and "£60.00" not in later.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "2026-05-10", "end": "2026-05-01"}, "The end date must be on or after"),
        ({"start": "not a date", "end": "2026-05-01"}, "Enter the first day"),
        ({"start": "2026-05-01"}, "Enter the last day"),
    ],
)
def test_bad_statement_dates_say_what_is_wrong(
    their_lines: Any, person: Any, query: dict[str, str], message: str
) -> None:
    response = signed_in(person).get(reverse("my_payments_statement"), query)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and "£60.00" not in page


def test_my_payments_shows_my_income_totals_and_expenses_apart(
    their_lines: Any, person: Any
) -> None:
    page = signed_in(person).get(reverse("my_payments")).content.decode()
    assert "This tax year" in page and "£60.00" in page
    assert "Expenses paid back this tax year (not income)" in page and "£12.40" in page
    assert reverse("my_payments_statement") in page


def test_my_payments_shows_no_template_comment(their_lines: Any, person: Any) -> None:
    page = signed_in(person).get(reverse("my_payments")).content.decode()
    assert "{#" not in page and "#}" not in page


def test_a_contributor_records_their_assessment_period(
    their_lines: Any, programme: Any, other_programme: Any, person: Any
) -> None:
    MembershipFactory(user=person, programme=other_programme, role="carer")
    client = signed_in(person)
    for bad in ("0", "32", "x"):
        response = client.post(reverse("my_payments"), {"uc_period": "1", "uc_assessment_day": bad})
        assert response.status_code == 400, bad
        assert "between 1 and 31" in response.content.decode()
        assert not PaymentPreference.objects.filter(uc_assessment_day__isnull=False).exists()
    client.post(reverse("my_payments"), {"uc_period": "1", "uc_assessment_day": "3"})
    days = set(
        PaymentPreference.objects.filter(membership__user=person).values_list(
            "uc_assessment_day", flat=True
        )
    )
    assert days == {3}
    page = client.get(reverse("my_payments")).content.decode()
    assert "Universal Credit assessment period" in page
    client.post(reverse("my_payments"), {"uc_period": "1", "uc_assessment_day": ""})
    assert not PaymentPreference.objects.filter(uc_assessment_day__isnull=False).exists()


def test_the_organiser_records_an_assessment_period_and_bad_days_change_nothing(
    programme: Any, person: Any, organiser: Any
) -> None:
    membership = Membership.objects.get(user=person, programme=programme)
    url = reverse("payment_preference", args=[programme.pk, membership.pk])
    client = as_user(organiser)
    bad = client.post(url, {"method": "voucher", "uc_assessment_day": "32"})
    assert bad.status_code == 400 and "between 1 and 31" in bad.content.decode()
    assert not PaymentPreference.objects.exists()
    client.post(url, {"method": "voucher", "uc_assessment_day": "15"})
    pref = PaymentPreference.objects.get(membership=membership)
    assert (pref.method, pref.uc_assessment_day) == ("voucher", 15)


def test_the_payments_page_lists_overdue_lines_with_their_days(
    programme: Any, person: Any, carer: Any, organiser: Any
) -> None:
    today = timezone.localdate()
    late = PaymentLine.objects.create(
        programme=programme,
        person=person,
        kind="time",
        worked_on=today - timedelta(days=20),
        amount=Decimal("60.00"),
        status="sent",
    )
    PaymentLine.objects.create(
        programme=programme,
        person=carer,
        kind="time",
        worked_on=today - timedelta(days=3),
        amount=Decimal("30.00"),
    )
    client = as_user(organiser)
    page = client.get(reverse("payments_home", args=[programme.pk])).content.decode()
    assert "1 line unpaid more than 14 days after its session" in page
    assert "20 days" in page and f'data-overdue-line="{late.pk}"' in page
    rates = reverse("payment_rates", args=[programme.pk])
    bad = client.post(rates, {"thresholds": "1", "overdue_after_days": "0"})
    assert bad.status_code == 400 and "between 1 and 365" in bad.content.decode()
    assert services.policy_for(programme=programme).overdue_after_days == 14
    client.post(
        rates, {"thresholds": "1", "threshold_tax_year": "1000", "overdue_after_days": "30"}
    )
    assert services.policy_for(programme=programme).overdue_after_days == 30
    page = client.get(reverse("payments_home", args=[programme.pk])).content.decode()
    assert "No lines are unpaid more than 30 days after their session" in page


def test_a_line_says_whether_it_is_income_and_how_long_it_took_to_pay(
    their_lines: Any, programme: Any, organiser: Any
) -> None:
    work, fares = their_lines
    client = as_user(organiser)
    work_page = client.get(reverse("payment_line", args=[programme.pk, work.pk])).content.decode()
    assert "Paid 9 days after the session" in work_page
    fares_page = client.get(reverse("payment_line", args=[programme.pk, fares.pk])).content.decode()
    assert "A reimbursed expense: not income" in fares_page
    assert "Waiting 9 days since the session" in fares_page


def test_a_voucher_warning_says_it_still_counts(
    programme: Any, person: Any, organiser: Any
) -> None:
    membership = Membership.objects.get(user=person, programme=programme)
    services.preference_set(membership=membership, by=organiser, method="voucher")
    policy = services.policy_for(programme=programme)
    policy.threshold_tax_year = Decimal("50.00")
    policy.save()
    line = PaymentLine.objects.create(
        programme=programme,
        person=person,
        kind="time",
        worked_on=timezone.localdate(),
        amount=Decimal("60"),
    )
    page = (
        as_user(organiser)
        .get(reverse("payment_line", args=[programme.pk, line.pk]))
        .content.decode()
    )
    assert "Vouchers still count" in page


def test_exports_carry_expenses_marked_as_not_income(
    their_lines: Any, programme: Any, organiser: Any
) -> None:
    _work, fares = their_lines
    services.line_transition(line=fares, by=organiser, action="approve")
    text = (
        as_user(organiser)
        .get(reverse("payments_export", args=[programme.pk, "csv"]) + "?status=approved")
        .content.decode()
    )
    assert "12.40" in text and "expense (not income)" in text
