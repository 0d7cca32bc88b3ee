"""Django's admin: off unless COMHLA_ADMIN=1; when on, its sign-in is allauth's, with its limits."""

import importlib
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import clear_url_caches, reverse

import project.urls
from tests.factories import STAFF_PASSWORD, StaffUserFactory

pytestmark = pytest.mark.django_db


def reload_urls() -> None:
    importlib.reload(project.urls)
    clear_url_caches()


@pytest.fixture
def admin_on(settings: Any) -> Iterator[None]:
    settings.COMHLA_ADMIN = True
    reload_urls()
    yield
    settings.COMHLA_ADMIN = False
    reload_urls()


@pytest.fixture
def superuser() -> Any:
    return StaffUserFactory(is_staff=True, is_superuser=True)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_the_admin_is_off_by_default(superuser: Any) -> None:
    client = Client()
    assert client.get("/admin/").status_code == 404
    response = client.post(
        "/admin/login/", {"username": superuser.email, "password": STAFF_PASSWORD}
    )
    assert response.status_code == 404
    assert not signed_in(client)


def test_the_admin_sign_in_checks_no_password_itself(admin_on: None, superuser: Any) -> None:
    client = Client()
    response = client.post(
        "/admin/login/?next=/admin/", {"username": superuser.email, "password": STAFF_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not signed_in(client)


def test_guessing_an_admin_password_meets_the_sign_in_limit(admin_on: None, superuser: Any) -> None:
    client = Client()
    login_url = client.get("/admin/", follow=True).redirect_chain[-1][0]
    assert login_url.startswith(reverse("account_login"))
    for i in range(10):
        client.post(login_url, {"login": superuser.email, "password": f"guess-{i}"})
    # Even the right password now waits.
    response = client.post(login_url, {"login": superuser.email, "password": STAFF_PASSWORD})
    assert "Too many failed login attempts" in response.content.decode()
    assert not signed_in(client)


def test_staff_signed_in_the_usual_way_reach_the_admin(admin_on: None, superuser: Any) -> None:
    client = Client()
    client.post(reverse("account_login"), {"login": superuser.email, "password": STAFF_PASSWORD})
    assert signed_in(client)
    assert client.get("/admin/").status_code == 200


def test_someone_signed_in_without_admin_rights_is_not_sent_round_in_circles(
    admin_on: None, facilitator: Any
) -> None:
    client = Client()
    client.force_login(facilitator)
    assert client.get("/admin/", follow=True).status_code == 404
