"""Bulk payment actions are previewed and confirmed; sent lines stay downloadable; a queried
line says why, who asked, when, and what to do next."""

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from participants.payments import services
from participants.payments.models import PaymentLine
from tests.factories import AttendanceFactory, SessionFactory
from tests.payments.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def lines(register: Any, rates: Any, facilitator: Any) -> list[PaymentLine]:
    return services.register_confirm(session=register, by=facilitator)


@pytest.fixture
def two_sessions_sent(
    lines: list[PaymentLine], programme: Any, person: Any, facilitator: Any, organiser: Any
) -> list[PaymentLine]:
    """Jean and Isla's lines from session 7, and Jean's from session 8, all sent to finance."""
    day = timezone.localdate() - timedelta(days=1)
    second = SessionFactory(
        programme=programme,
        number=8,
        title="Sharing the learning",
        starts_at=at(day, 10),
        ends_at=at(day, 12),
        status="ended",
    )
    AttendanceFactory(
        session=second, user=person, checked_in_at=at(day, 10), checked_out_at=at(day, 12)
    )
    everything = lines + services.register_confirm(session=second, by=facilitator)
    for action in ("approve", "send"):
        for line in everything:
            services.line_transition(line=line, by=organiser, action=action)
    return everything


def as_user(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_mark_paid_shows_a_preview_and_changes_nothing_until_confirmed(
    two_sessions_sent: list[PaymentLine], organiser: Any, programme: Any
) -> None:
    client = as_user(organiser)
    url = reverse("payments_bulk", args=[programme.pk])
    response = client.post(url, {"action": "pay", "payment_reference": "BACS-1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Jean Robertson" in page and "Isla Carer" in page
    assert "Ideas for better support" in page and "Sharing the learning" in page
    total = sum(line.amount for line in two_sessions_sent)
    assert f"Confirm: mark 3 lines paid (£{total})" in page
    assert "2 sessions" in page and "2 people" in page
    assert "one payment reference" in page and "BACS-1" in page
    assert "Cancel" in page
    assert set(PaymentLine.objects.values_list("status", flat=True)) == {"sent"}

    ids = [str(line.pk) for line in two_sessions_sent]
    client.post(url, {"action": "pay", "payment_reference": "BACS-1", "confirm": "1", "line": ids})
    assert set(PaymentLine.objects.values_list("payment_reference", flat=True)) == {"BACS-1"}
    assert set(PaymentLine.objects.values_list("status", flat=True)) == {"paid"}


def test_confirming_moves_only_the_lines_that_were_shown(
    two_sessions_sent: list[PaymentLine], organiser: Any, programme: Any
) -> None:
    shown = two_sessions_sent[0]
    as_user(organiser).post(
        reverse("payments_bulk", args=[programme.pk]),
        {"action": "pay", "payment_reference": "BACS-2", "confirm": "1", "line": [shown.pk]},
    )
    assert list(PaymentLine.objects.filter(status="paid").values_list("pk", flat=True)) == [
        shown.pk
    ]


def test_one_session_one_person_gives_no_spanning_warning(
    two_sessions_sent: list[PaymentLine], organiser: Any, programme: Any
) -> None:
    second = two_sessions_sent[-1].session
    page = (
        as_user(organiser)
        .post(
            reverse("payments_bulk", args=[programme.pk]),
            {"action": "pay", "payment_reference": "BACS-3", "session": second.pk},
        )
        .content.decode()
    )
    assert "Confirm: mark 1 line paid" in page
    assert "one payment reference" not in page


def test_a_preview_with_nothing_to_do_says_so(
    lines: list[PaymentLine], organiser: Any, programme: Any
) -> None:
    response = as_user(organiser).post(
        reverse("payments_bulk", args=[programme.pk]), {"action": "send"}, follow=True
    )
    assert "No approved lines to send to finance" in response.content.decode()


def test_the_lines_just_sent_stay_downloadable(
    lines: list[PaymentLine], organiser: Any, programme: Any
) -> None:
    for line in lines:
        services.line_transition(line=line, by=organiser, action="approve")
    client = as_user(organiser)
    response = client.post(
        reverse("payments_bulk", args=[programme.pk]),
        {"action": "send", "confirm": "1", "line": [line.pk for line in lines]},
        follow=True,
    )
    page = response.content.decode()
    assert "Download the lines you just sent (CSV)" in page
    today = timezone.localdate().isoformat()
    csv_url = reverse("payments_export", args=[programme.pk, "csv"]) + f"?sent_on={today}"
    assert csv_url in page
    rows = list(csv.DictReader(io.StringIO(client.get(csv_url).content.decode())))
    assert sorted(int(r["line_id"]) for r in rows) == sorted(line.pk for line in lines)
    xlsx = client.get(reverse("payments_export", args=[programme.pk, "xlsx"]) + f"?sent_on={today}")
    assert load_workbook(io.BytesIO(xlsx.content)).active.max_row == len(lines) + 1
    # Still there once paid, and the home page offers the sent lines too.
    services.line_transition(line=lines[0], by=organiser, action="pay", payment_reference="R1")
    rows = list(csv.DictReader(io.StringIO(client.get(csv_url).content.decode())))
    assert len(rows) == len(lines)
    home = client.get(reverse("payments_home", args=[programme.pk])).content.decode()
    assert "?status=sent" in home and "Lines sent to finance on" in home


def test_a_bad_sent_on_date_is_a_clear_error(organiser: Any, programme: Any) -> None:
    response = as_user(organiser).get(
        reverse("payments_export", args=[programme.pk, "csv"]) + "?sent_on=yesterday"
    )
    assert response.status_code == 400
    assert "date" in response.content.decode()


def test_a_queried_line_says_why_who_when_and_what_next(
    lines: list[PaymentLine], organiser: Any, programme: Any
) -> None:
    line = lines[0]
    services.line_transition(
        line=line, by=organiser, action="query", reason="Left at 11:00, not 12:10?"
    )
    client = as_user(organiser)
    for url in (
        reverse("payment_line", args=[programme.pk, line.pk]),
        reverse("payments_home", args=[programme.pk]),
    ):
        page = client.get(url).content.decode()
        assert "Left at 11:00, not 12:10?" in page, url
        assert "Queried by Morag Organiser" in page, url
        assert timezone.localdate().strftime("%-d %b") in page, url
        assert "Answer the query" in page, url
    answered = client.post(
        reverse("payment_line", args=[programme.pk, line.pk]),
        {"action": "answer", "reason": "Checked the sign-in sheet: 12:10 is right"},
        follow=True,
    ).content.decode()
    line.refresh_from_db()
    assert line.status == "pending"
    assert "Queried by" not in answered


def test_chosen_lines_are_previewed_and_others_left_out(
    two_sessions_sent: list[PaymentLine], lines: list[PaymentLine], organiser: Any, programme: Any
) -> None:
    first, _second, third = two_sessions_sent
    services.line_transition(line=third, by=organiser, action="pay", payment_reference="R0")
    page = (
        as_user(organiser)
        .post(
            reverse("payments_bulk", args=[programme.pk]),
            {"action": "pay", "payment_reference": "BACS-4", "line": [first.pk, third.pk]},
        )
        .content.decode()
    )
    assert f"Confirm: mark 1 line paid (£{first.amount})" in page
    assert f'data-line-id="{first.pk}"' in page and f'data-line-id="{third.pk}"' not in page
    assert "1 of the lines you chose is not sent to finance: it is left out" in page
    assert PaymentLine.objects.filter(status="paid").count() == 1


def test_checking_with_nothing_ticked_says_so(
    lines: list[PaymentLine], organiser: Any, programme: Any
) -> None:
    response = as_user(organiser).post(
        reverse("payments_bulk", args=[programme.pk]),
        {"action": "approve", "chosen": "1"},
        follow=True,
    )
    page = response.content.decode()
    assert "Tick the lines you want first" in page and "Confirm:" not in page
