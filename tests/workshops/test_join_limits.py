"""Join-code limits: a room on one Wi-Fi with typos still joins; a guesser is stopped."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import LiveSessionFactory

pytestmark = pytest.mark.django_db

VENUE = "192.0.2.10"


def join(code: str, address: str, client: Client | None = None) -> int:
    """POST a code from an address; the status code."""
    response = (client or Client()).post(reverse("join"), {"code": code}, REMOTE_ADDR=address)
    return response.status_code


def wrong(code: str) -> str:
    """A code that is not `code`."""
    return f"{(int(code) + 1) % 10**6:06d}"


def test_a_room_on_shared_wifi_with_a_few_typos_still_joins(live_session: Any) -> None:
    # Thirty people behind the venue's one address; a dozen of them mistype the code once.
    for _ in range(12):
        assert join(wrong(live_session.join_code), VENUE) == 400
    assert join(live_session.join_code, VENUE) == 302


def test_a_guesser_at_one_address_is_stopped(live_session: Any, settings: Any) -> None:
    for i in range(settings.JOIN_CODE_RATE_LIMIT):
        assert join(f"{i:06d}", "203.0.113.5") == 400
    assert join(live_session.join_code, "203.0.113.5") == 429
    assert join(live_session.join_code, VENUE) == 302  # someone else is not held up


def test_a_guesser_rotating_addresses_in_one_ipv6_network_is_stopped(
    live_session: Any, settings: Any
) -> None:
    for i in range(settings.JOIN_CODE_RATE_LIMIT):
        assert join(f"{i:06d}", f"2001:db8:1:2::{i + 1:x}") == 400
    assert join(live_session.join_code, "2001:db8:1:2::ffff") == 429


def test_a_slow_guesser_at_one_address_is_stopped_for_the_day(
    live_session: Any, settings: Any
) -> None:
    # Someone who knows one session's code (so the total spent does not stop them) ...
    assert join(live_session.join_code, "203.0.113.5") == 302
    settings.JOIN_CODE_RATE_LIMIT = 10**6  # ... and waits out each short window.
    for i in range(settings.JOIN_CODE_DAILY_LIMIT):
        assert join(f"{i:06d}", "203.0.113.5") == 400
    assert join(live_session.join_code, "203.0.113.5") == 429


def test_a_guesser_from_many_addresses_is_stopped_in_total(
    live_session: Any, settings: Any
) -> None:
    for i in range(settings.JOIN_CODE_GLOBAL_LIMIT):
        assert join(f"{i:06d}", f"10.{i // 250}.{i % 250}.1") == 400
    # A new address, even with the right code, now waits: guessing is spread over time.
    assert join(live_session.join_code, "198.51.100.99") == 429


def test_a_venue_already_in_keeps_joining_when_the_total_is_spent(
    live_session: Any, settings: Any
) -> None:
    assert join(live_session.join_code, VENUE) == 302  # the first person in the room
    for i in range(settings.JOIN_CODE_GLOBAL_LIMIT):
        join(f"{i:06d}", f"10.{i // 250}.{i % 250}.1")
    assert join(wrong(live_session.join_code), VENUE) == 400
    assert join(live_session.join_code, VENUE) == 302


def test_the_venue_where_a_facilitator_shows_the_code_keeps_joining(
    live_session: Any, facilitator: Any, settings: Any
) -> None:
    staff = Client()
    staff.force_login(facilitator)
    poster = staff.get(reverse("session_join_poster", args=[live_session.pk]), REMOTE_ADDR=VENUE)
    assert poster.status_code == 200
    for i in range(settings.JOIN_CODE_GLOBAL_LIMIT):
        join(f"{i:06d}", f"10.{i // 250}.{i % 250}.1")
    assert join(live_session.join_code, VENUE) == 302


def test_right_codes_count_against_nothing(settings: Any) -> None:
    # The limit counts wrong codes, not right ones: a busy room joining fills nothing.
    session = LiveSessionFactory(join_code="123456")
    for i in range(settings.JOIN_CODE_RATE_LIMIT + 5):
        assert join(session.join_code, VENUE, Client()) == 302, i
