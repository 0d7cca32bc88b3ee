"""Staff sessions end after STAFF_IDLE_MINUTES without a request; contributors' cards remember."""

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session as StoredSession
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from participants import services
from participants.models import Role
from tests.factories import STAFF_PASSWORD, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
YEAR = 60 * 60 * 24 * 365


def stored_expiry_seconds(client: Client) -> float:
    """How long the server keeps this browser's session from now."""
    row = StoredSession.objects.get(
        session_key=client.cookies[django_settings.SESSION_COOKIE_NAME].value
    )
    return (row.expire_date - timezone.now()).total_seconds()


def test_a_password_sign_in_lasts_only_the_idle_time(facilitator: Any, settings: Any) -> None:
    idle = settings.STAFF_IDLE_MINUTES * 60
    client = Client()
    response = client.post(
        reverse("account_login"), {"login": facilitator.email, "password": STAFF_PASSWORD}
    )
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert int(cookie["max-age"]) == idle
    assert idle - 60 < stored_expiry_seconds(client) <= idle


def test_each_request_starts_the_idle_time_again(facilitator: Any, settings: Any) -> None:
    client = Client()
    client.post(reverse("account_login"), {"login": facilitator.email, "password": STAFF_PASSWORD})
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    # As if the last request had been ten minutes ago.
    StoredSession.objects.filter(session_key=key).update(
        expire_date=timezone.now() + timedelta(minutes=settings.STAFF_IDLE_MINUTES - 10)
    )
    session = client.session
    session["comhla_idle_touched"] = 0
    session.save()
    assert client.get(reverse("home")).status_code == 200
    assert stored_expiry_seconds(client) > settings.STAFF_IDLE_MINUTES * 60 - 60


def test_the_idle_time_is_a_setting(facilitator: Any, settings: Any) -> None:
    settings.STAFF_IDLE_MINUTES = 15
    client = Client()
    client.post(reverse("account_login"), {"login": facilitator.email, "password": STAFF_PASSWORD})
    assert 14 * 60 < stored_expiry_seconds(client) <= 15 * 60


def test_a_contributor_signed_in_by_card_stays_remembered(person: Any) -> None:
    services.signin_card_renew(user=person)
    person.refresh_from_db()
    client = Client()
    client.post(reverse("card_signin", args=[person.signin_secret]))
    assert "_auth_user_id" in client.session
    assert stored_expiry_seconds(client) > YEAR - 60


def test_a_facilitator_signed_in_without_a_password_is_still_staff(
    programme: Any, settings: Any
) -> None:
    helper = UserFactory(display_name="Hamish Helper")
    MembershipFactory(user=helper, programme=programme, role=Role.FACILITATOR)
    services.signin_card_renew(user=helper)
    helper.refresh_from_db()
    client = Client()
    client.post(reverse("card_signin", args=[helper.signin_secret]))
    assert "_auth_user_id" in client.session
    assert stored_expiry_seconds(client) <= settings.STAFF_IDLE_MINUTES * 60
