"""Staff sign in with a password; anyone with an email can sign in with an emailed code."""

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from tests.factories import STAFF_PASSWORD

pytestmark = pytest.mark.django_db


def test_staff_sign_in_with_email_and_password(facilitator: Any) -> None:
    client = Client()
    response = client.post(
        "/accounts/login/", {"login": facilitator.email, "password": STAFF_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/").context["user"] == facilitator


def test_a_wrong_password_gets_a_clear_error(facilitator: Any) -> None:
    response = Client().post("/accounts/login/", {"login": facilitator.email, "password": "nope"})
    assert response.status_code == 200
    assert "not correct" in response.content.decode()


def test_sign_in_by_emailed_code(facilitator: Any) -> None:
    client = Client()
    response = client.post("/accounts/login/code/", {"email": facilitator.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", mail.outbox[0].body, re.MULTILINE)
    assert code, mail.outbox[0].body
    response = client.post(response["Location"], {"code": code.group(1)})
    assert response.status_code == 302
    assert client.get("/").context["user"] == facilitator


def test_signing_out_needs_a_post(facilitator: Any) -> None:
    client = Client()
    client.force_login(facilitator)
    assert client.get("/sign-out/").status_code == 405
    client.post("/sign-out/")
    assert not client.get("/").context["user"].is_authenticated


def test_staff_can_sign_up_with_a_name_where_sign_up_is_open(db: Any, settings: Any) -> None:
    from participants.models import User

    settings.COMHLA_OPEN_SIGNUP = True
    client = Client()
    response = client.post(
        "/accounts/signup/",
        {
            "display_name": "Nora New",
            "email": "nora@example.org",
            "password1": "a-long-enough-passphrase-42",
            "password2": "a-long-enough-passphrase-42",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.get(email="nora@example.org").display_name == "Nora New"
