"""Payment pages: who sees what, exports, and forms with bad input."""

import csv
import io
from datetime import timedelta
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from participants.models import Membership, Role
from participants.payments import services
from participants.payments.models import PaymentEvent, PaymentLine, RegisterConfirmation
from tests.factories import (
    AttendanceFactory,
    MembershipFactory,
    ProgrammeFactory,
    SessionFactory,
)
from tests.helpers import session_cookie_for
from tests.payments.conftest import at

pytestmark = pytest.mark.django_db

ROLES = ["organiser", "facilitator", "practitioner", "person", "carer", "outsider"]


@pytest.fixture
def lines(register: Any, rates: Any, facilitator: Any) -> list[PaymentLine]:
    return services.register_confirm(session=register, by=facilitator)


@pytest.fixture
def everyone(
    organiser: Any, facilitator: Any, practitioner: Any, person: Any, carer: Any, outsider: Any
) -> dict[str, Any]:
    return {
        "organiser": organiser,
        "facilitator": facilitator,
        "practitioner": practitioner,
        "person": person,
        "carer": carer,
        "outsider": outsider,
    }


def as_user(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("role", [*ROLES, "anonymous"])
def test_only_organisers_see_payment_pages_and_exports(
    role: str, everyone: dict[str, Any], lines: list[PaymentLine], programme: Any, register: Any
) -> None:
    client = as_user(everyone.get(role))
    membership = Membership.objects.get(user=everyone["person"])
    urls = [
        reverse("payments_home", args=[programme.pk]),
        reverse("payment_rates", args=[programme.pk]),
        reverse("payment_line", args=[programme.pk, lines[0].pk]),
        reverse("payments_audit", args=[programme.pk]),
        reverse("payment_expense_new", args=[programme.pk]),
        reverse("payment_preference", args=[programme.pk, membership.pk]),
        reverse("payments_export", args=[programme.pk, "csv"]),
        reverse("payments_export", args=[programme.pk, "xlsx"]),
    ]
    expected = {"organiser": 200, "anonymous": 302}.get(role, 404)
    for url in urls:
        response = client.get(url)
        assert response.status_code == expected, (role, url)
        if expected != 200:
            assert b"60.00" not in response.content
    register_status = {"organiser": 200, "facilitator": 200, "anonymous": 302}.get(role, 404)
    assert (
        client.get(reverse("session_register", args=[register.pk])).status_code == register_status
    )


def test_my_payments_shows_only_my_own_lines_and_needs_a_card(
    lines: list[PaymentLine], person: Any, carer: Any
) -> None:
    picked = Client()
    name, _, key = session_cookie_for(person, method="name").partition("=")
    picked.cookies[name] = key
    assert picked.get(reverse("my_payments")).status_code == 403
    client = Client()
    name, _, key = session_cookie_for(person).partition("=")
    client.cookies[name] = key
    page = client.get(reverse("my_payments")).content.decode()
    assert "£60.00" in page and "£30.00" not in page  # Isla's line is hers alone
    assert "180 minutes" in page


def test_a_contributor_chooses_how_to_be_paid(lines: list[PaymentLine], person: Any) -> None:
    client = Client()
    name, _, key = session_cookie_for(person).partition("=")
    client.cookies[name] = key
    response = client.post(reverse("my_payments"), {"method": "reduced"})
    assert response.status_code == 400 and "reduced amount" in response.content.decode()
    client.post(reverse("my_payments"), {"method": "voucher"})
    assert Membership.objects.get(user=person).payment_preference.method == "voucher"


def test_exports_are_recorded_and_open_as_spreadsheets(
    lines: list[PaymentLine], organiser: Any, programme: Any
) -> None:
    for line in lines:
        services.line_transition(line=line, by=organiser, action="approve")
    client = as_user(organiser)
    csv_text = client.get(
        reverse("payments_export", args=[programme.pk, "csv"]) + "?status=approved"
    ).content.decode()
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    assert {r["amount"] for r in rows} == {"60.00", "30.00"}
    assert list(rows[0].keys())[:4] == ["line_id", "person", "payee_reference", "method"]
    book = load_workbook(
        io.BytesIO(client.get(reverse("payments_export", args=[programme.pk, "xlsx"])).content)
    )
    assert book.active.max_row == 3
    assert PaymentEvent.objects.filter(action="exported").count() == 4


def test_marking_paid_without_a_reference_is_refused(
    lines: list[PaymentLine], organiser: Any, programme: Any
) -> None:
    client = as_user(organiser)
    line = lines[0]
    for action in ("approve", "send"):
        client.post(reverse("payment_line", args=[programme.pk, line.pk]), {"action": action})
    response = client.post(
        reverse("payment_line", args=[programme.pk, line.pk]),
        {"action": "pay", "payment_reference": ""},
    )
    assert response.status_code == 400 and "payment reference" in response.content.decode()
    line.refresh_from_db()
    assert line.status == "sent"


def test_bad_rates_show_errors_and_save_nothing(organiser: Any, programme: Any) -> None:
    response = as_user(organiser).post(
        reverse("payment_rates", args=[programme.pk]),
        {
            "starts_on": "2026-01-01",
            "basis": "hourly",
            "hourly_rate": "-3",
            "mileage_rate": "0.45",
            "preparation_minutes": "0",
            "rounding_minutes": "30",
        },
    )
    assert response.status_code == 400 and "govuk-error-summary" in response.content.decode()
    assert not programme.rate_cards.exists()


def test_bulk_approve_a_session(
    lines: list[PaymentLine], organiser: Any, programme: Any, register: Any
) -> None:
    client = as_user(organiser)
    url = reverse("payments_bulk", args=[programme.pk])
    preview = client.post(url, {"action": "approve", "session": register.pk}).content.decode()
    assert "Confirm: approve 2 lines (£90.00)" in preview
    assert set(PaymentLine.objects.values_list("status", flat=True)) == {"pending"}
    client.post(url, {"action": "approve", "confirm": "1", "line": [line.pk for line in lines]})
    assert set(PaymentLine.objects.values_list("status", flat=True)) == {"approved"}


def test_organisers_set_the_warning_thresholds(organiser: Any, programme: Any) -> None:
    client = as_user(organiser)
    bad = client.post(
        reverse("payment_rates", args=[programme.pk]),
        {"thresholds": "1", "threshold_tax_year": "-1"},
    )
    assert bad.status_code == 400
    client.post(
        reverse("payment_rates", args=[programme.pk]),
        {"thresholds": "1", "threshold_tax_year": "1500", "threshold_week": "100"},
    )
    policy = services.policy_for(programme=programme)
    assert (policy.threshold_tax_year, policy.threshold_week, policy.threshold_month) == (
        Decimal("1500.00"),
        Decimal("100.00"),
        None,
    )
    assert PaymentEvent.objects.filter(action="thresholds_changed").exists()


def test_a_contributor_claims_their_own_expense(rates: Any, person: Any, carer: Any) -> None:
    client = Client()
    name, _, key = session_cookie_for(person).partition("=")
    client.cookies[name] = key
    bad = client.post(
        reverse("my_payments"),
        {"claim": "1", "worked_on": "2026-11-20", "category": "fares", "amount": "-2"},
    )
    assert bad.status_code == 400 and not PaymentLine.objects.exists()
    client.post(
        reverse("my_payments"),
        {
            "claim": "1",
            "worked_on": rates.starts_on.isoformat(),
            "category": "fares",
            "amount": "4.20",
            "receipt_note": "Bus there and back",
        },
    )
    line = PaymentLine.objects.get()
    assert (line.person, line.amount, line.status, line.created_by) == (
        person,
        Decimal("4.20"),
        "pending",
        person,
    )


def test_confirming_with_someone_still_checked_in_says_who_and_changes_nothing(
    register: Any, rates: Any, facilitator: Any, person: Any, carer: Any
) -> None:
    register.attendances.filter(user__in=[person, carer]).update(checked_out_at=None)
    client = as_user(facilitator)
    response = client.post(reverse("session_register", args=[register.pk]), {"confirm": "1"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert "still checked in" in html and "Jean Robertson" in html and "Isla Carer" in html
    assert not RegisterConfirmation.objects.exists() and not PaymentLine.objects.exists()


def test_a_time_out_in_the_future_is_refused_and_changes_nothing(
    programme: Any, rates: Any, facilitator: Any, person: Any
) -> None:
    # "Now" is yesterday at 11:00: earlier than the real now, so the staff sign-in's idle
    # expiry (counted from the real now) has not passed.
    today = timezone.localdate() - timedelta(days=1)
    session = SessionFactory(
        programme=programme, starts_at=at(today, 9), ends_at=at(today, 17), status="live"
    )
    AttendanceFactory(session=session, user=person, checked_in_at=at(today, 10))
    client = as_user(facilitator)
    with mock.patch("django.utils.timezone.now", return_value=at(today, 11)):
        response = client.post(
            reverse("session_register", args=[session.pk]),
            {"person": person.pk, "checked_in_at": "10:00", "checked_out_at": "12:30"},
        )
    assert response.status_code == 400
    assert "The time out cannot be later than now" in response.content.decode()
    attendance = session.attendances.get(user=person)
    assert attendance.checked_in_at == at(today, 10) and attendance.checked_out_at is None


def test_a_person_in_two_programmes_claims_against_the_one_they_choose(
    rates: Any, person: Any, other_programme: Any, organiser: Any
) -> None:
    MembershipFactory(user=person, programme=other_programme, role=Role.LIVED_EXPERIENCE)
    services.rate_card_create(
        programme=other_programme,
        by=organiser,
        starts_on=rates.starts_on,
        basis="hourly",
        hourly_rate=Decimal("15.00"),
    )
    client = Client()
    name, _, key = session_cookie_for(person).partition("=")
    client.cookies[name] = key
    claim = {
        "claim": "1",
        "worked_on": rates.starts_on.isoformat(),
        "category": "fares",
        "amount": "3.10",
    }
    page = client.get(reverse("my_payments")).content.decode()
    assert "Which programme is it for" in page
    missing = client.post(reverse("my_payments"), claim)
    assert missing.status_code == 400 and not PaymentLine.objects.exists()
    assert "Choose which programme the expense is for" in missing.content.decode()
    stranger = ProgrammeFactory(name="Not theirs")
    refused = client.post(reverse("my_payments"), {**claim, "programme": stranger.pk})
    assert refused.status_code == 400 and not PaymentLine.objects.exists()
    client.post(reverse("my_payments"), {**claim, "programme": other_programme.pk})
    assert PaymentLine.objects.get().programme == other_programme
