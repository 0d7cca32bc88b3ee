"""Who may set up a new programme: staff (an organiser or facilitator somewhere, or a new
staff account with no programme yet), never a contributor."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from participants.models import Role
from tests.factories import MembershipFactory, StaffUserFactory
from tests.helpers import session_cookie_for
from workshops import access
from workshops.models import Programme

pytestmark = pytest.mark.django_db

NEW_PROGRAMME = {
    "name": "Taken over",
    "site": "Nowhere",
    "starts_on": "2027-01-01",
    "ends_on": "2027-12-31",
}


def signed_in(user: Any, *, method: str = "card") -> Client:
    client = Client()
    name, _, value = session_cookie_for(user, method=method).partition("=")
    client.cookies[name] = value
    return client


@pytest.mark.parametrize("who", ["person", "carer", "practitioner"])
def test_a_contributor_cannot_set_up_a_programme(who: str, request: Any) -> None:
    user = request.getfixturevalue(who)
    client = signed_in(user)

    home = client.get(reverse("home"))
    page = client.get(reverse("programme_create"))
    post = client.post(reverse("programme_create"), NEW_PROGRAMME)

    assert "Set up a new programme" not in home.content.decode()
    assert page.status_code == 404 and post.status_code == 404
    assert not Programme.objects.filter(name="Taken over").exists()
    assert not access.may_set_up_programmes(user)


@pytest.mark.parametrize("who", ["organiser", "facilitator"])
def test_staff_of_a_programme_may_set_up_another(who: str, request: Any) -> None:
    client = signed_in(request.getfixturevalue(who), method="account")

    assert "Set up a new programme" in client.get(reverse("home")).content.decode()
    assert client.get(reverse("programme_create")).status_code == 200


def test_a_new_staff_account_with_no_programme_may_set_up_its_first() -> None:
    client = signed_in(StaffUserFactory(), method="account")

    assert "Set up a new programme" in client.get(reverse("home")).content.decode()
    response = client.post(reverse("programme_create"), NEW_PROGRAMME)

    assert response.status_code == 302
    assert Programme.objects.filter(name="Taken over").exists()


def test_a_contributor_who_is_staff_elsewhere_may(person: Any, organiser: Any) -> None:
    MembershipFactory(user=person, role=Role.FACILITATOR)

    assert access.may_set_up_programmes(person)
