"""A facilitator's "Before the session" briefing: who needs what, and who said no."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from participants import services
from participants.models import Consent, Membership, Role
from tests.factories import MembershipFactory, UserFactory
from tests.helpers import session_cookie_for

pytestmark = pytest.mark.django_db


def client_for(user: Any, *, method: str = "account") -> Client:
    client = Client()
    name, _, key = session_cookie_for(user, method=method).partition("=")
    client.cookies[name] = key
    return client


def _answer(user: Any, programme: Any, **answers: bool) -> None:
    membership = Membership.objects.get(user=user, programme=programme)
    values = {"take_part": True, "quotes": True, "contact": True, "photos": True, **answers}
    services.consent_record(membership=membership, with_supporter=False, **values)


@pytest.fixture
def expected(programme: Any, person: Any, carer: Any) -> dict[str, Any]:
    """Jean needs BSL and a gluten-free lunch and said no to photos; Isla has not answered."""
    services.access_needs_set(
        user=person,
        large_text=True,
        read_aloud=False,
        needs_supporter=True,
        needs_bsl=True,
        needs_hearing_loop=False,
        needs_transport=True,
        dietary_needs="No gluten",
        other_needs="A seat near the door",
    )
    _answer(person, programme, photos=False)
    Consent.objects.filter(membership__user=carer).delete()
    return {"person": person, "carer": carer}


def _url(session: Any) -> str:
    return reverse("session_briefing", args=[session.pk])


def test_a_facilitator_sees_needs_and_who_has_not_agreed(
    session: Any, facilitator: Any, expected: dict[str, Any]
) -> None:
    response = client_for(facilitator).get(_url(session))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Before the session" in html
    for words in (
        "Jean Robertson",
        "British Sign Language",
        "Larger text",
        "A supporter with them",
        "Transport",
        "No gluten",
        "A seat near the door",
    ):
        assert words in html, words
    photos = html.split('id="no-photos"')[1].split("</section>")[0]
    assert "Jean Robertson" in photos and "Isla Carer" in photos
    quotes = html.split('id="no-quotes"')[1].split("</section>")[0]
    assert "Isla Carer" in quotes and "Jean Robertson" not in quotes


def test_an_organiser_sees_it_too(session: Any, organiser: Any, expected: Any) -> None:
    assert client_for(organiser).get(_url(session)).status_code == 200


def test_other_people_get_a_404(
    session: Any, person: Any, carer: Any, practitioner: Any, outsider: Any, expected: Any
) -> None:
    for who, method in ((person, "card"), (carer, "card"), (practitioner, "account")):
        assert client_for(who, method=method).get(_url(session)).status_code == 404
    page = client_for(outsider).get(_url(session))
    assert page.status_code == 404
    assert "No gluten" not in page.content.decode()
    assert client_for(outsider).get(reverse("session_briefing", args=[999_999])).status_code == 404


def test_a_room_identity_is_refused(live_session: Any, facilitator: Any) -> None:
    client = client_for(facilitator, method="name")
    store = client.session
    store["comhla_room_scope"] = live_session.pk
    store.save()
    assert client.get(_url(live_session)).status_code == 403


def test_only_this_programmes_people_are_listed(
    session: Any, facilitator: Any, other_programme: Any, expected: Any
) -> None:
    stranger = UserFactory(display_name="Stella Stranger", needs_bsl=True)
    MembershipFactory(user=stranger, programme=other_programme, consented=False)
    left = UserFactory(display_name="Lenny Left")
    MembershipFactory(user=left, programme=session.programme, left_on="2026-01-01")
    invited = UserFactory(display_name="Ivy Invited", email="ivy@example.org")
    MembershipFactory(user=invited, programme=session.programme, invited=True)
    html = client_for(facilitator).get(_url(session)).content.decode()
    for name in ("Stella Stranger", "Lenny Left", "Ivy Invited"):
        assert name not in html


def test_the_session_page_links_to_the_briefing_for_staff_only(
    session: Any, facilitator: Any, person: Any
) -> None:
    assert (
        _url(session)
        in client_for(facilitator)
        .get(reverse("session_detail", args=[session.pk]))
        .content.decode()
    )
    assert (
        _url(session)
        not in client_for(person, method="card")
        .get(reverse("session_detail", args=[session.pk]))
        .content.decode()
    )


def test_the_briefing_takes_a_fixed_number_of_queries(
    session: Any, facilitator: Any, expected: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(facilitator)
    client.get(_url(session))
    for _ in range(5):
        user = UserFactory()
        MembershipFactory(user=user, programme=session.programme, role=Role.CARER)
    with django_assert_max_num_queries(12):
        client.get(_url(session))
