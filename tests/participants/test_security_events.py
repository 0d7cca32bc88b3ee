"""Security events are recorded once each, with who/what/outcome, and nothing anyone typed."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from participants import security
from participants.models import SecurityEvent

pytestmark = pytest.mark.django_db


def test_denied_access_to_an_existing_programme_is_recorded_once(
    outsider: Any, programme: Any
) -> None:
    client = Client()
    client.force_login(outsider)
    client.get(reverse("programme_detail", args=[programme.pk]))
    event = SecurityEvent.objects.get()
    assert (event.kind, event.actor, event.target) == (
        "access_denied",
        outsider,
        f"programme:{programme.pk}",
    )
    # A programme that does not exist is refused the same way (same work, same record), so
    # neither the answer nor its timing tells whether it exists.
    client.get(reverse("programme_detail", args=[programme.pk + 99]))
    assert SecurityEvent.objects.count() == 2


def test_a_failed_sign_in_is_recorded_without_what_was_typed(facilitator: Any) -> None:
    typed_password = "my-secret-guess-123"
    Client().post("/accounts/login/", {"login": facilitator.email, "password": typed_password})
    event = SecurityEvent.objects.get(kind="signin_failed")
    text = f"{event.target} {event.outcome} {event}"
    assert facilitator.email not in text and typed_password not in text


def test_a_tripped_join_limit_is_recorded(live_session: Any, settings: Any) -> None:
    client = Client()
    for _ in range(settings.JOIN_CODE_RATE_LIMIT):
        client.post(reverse("join"), {"code": "111111"})
    assert not SecurityEvent.objects.filter(kind="rate_limited").exists()
    client.post(reverse("join"), {"code": "111111"})
    assert SecurityEvent.objects.filter(kind="rate_limited", target="join").count() == 1


def test_an_address_that_is_not_an_ip_is_recorded_as_none(db: Any) -> None:
    # PostgreSQL's inet column refuses such a value outright: a 500 on the request.
    security.record(kind="rate_limited", target="join", address="not-an-ip:zz")
    assert SecurityEvent.objects.get().address is None
