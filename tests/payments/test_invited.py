"""Someone only invited is not in the programme yet: its payments pages neither list them by
their own account's name nor open their payment details, and their own "My payments" does not
show a programme they have not accepted."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from participants.models import Role
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory
from tests.helpers import session_cookie_for

pytestmark = pytest.mark.django_db

PRIVATE = "Private Account Name"


def as_user(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def invitation(programme: Any) -> Any:
    return MembershipFactory(
        user=UserFactory(display_name=PRIVATE),
        programme=programme,
        role=Role.CARER,
        invited=True,
        invited_name="Typed",
    )


def test_the_organisers_payments_and_the_register_do_not_list_an_invitation(
    programme: Any, organiser: Any, facilitator: Any, person: Any, session: Any, invitation: Any
) -> None:
    home = as_user(organiser).get(reverse("payments_home", args=[programme.pk]))
    assert home.status_code == 200
    assert "Jean Robertson" in home.content.decode() and PRIVATE not in home.content.decode()
    register = as_user(facilitator).get(reverse("session_register", args=[session.pk]))
    assert register.status_code == 200
    assert "Jean Robertson" in register.content.decode()
    assert PRIVATE not in register.content.decode()
    preference = reverse("payment_preference", args=[programme.pk, invitation.pk])
    assert as_user(organiser).get(preference).status_code == 404


def test_my_payments_shows_only_programmes_accepted(
    programme: Any, other_programme: Any, invitation: Any
) -> None:
    # Two programmes accepted, so the claim form asks which one (by name).
    third: Any = ProgrammeFactory(name="A third programme")
    for accepted in (other_programme, third):
        MembershipFactory(user=invitation.user, programme=accepted, role=Role.CARER)
    client = Client()
    name, key = session_cookie_for(invitation.user, method="card").split("=", 1)
    client.cookies[name] = key
    page = client.get(reverse("my_payments"))
    assert page.status_code == 200
    assert other_programme.name in page.content.decode() and third.name in page.content.decode()
    assert programme.name not in page.content.decode()
