"""Organisation and sector on each membership: set when adding someone, changed by an
organiser on the people list, shown where it helps; nobody else reaches it."""

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from participants import services
from participants.models import Membership, Role
from tests.factories import AttendanceFactory, MembershipFactory, SessionFactory

pytestmark = pytest.mark.django_db


def as_user(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_adding_a_person_records_their_organisation_and_sector(
    programme: Any, organiser: Any
) -> None:
    client = as_user(organiser)
    response = client.post(
        reverse("person_add", args=[programme.pk]),
        {
            "display_name": "Tara Third",
            "role": "practitioner",
            "organisation": "  Fife Carers Centre ",
            "sector": "third",
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user__display_name="Tara Third")
    assert (membership.organisation, membership.sector) == ("Fife Carers Centre", "third")
    page = client.get(reverse("programme_detail", args=[programme.pk])).content.decode()
    assert "Fife Carers Centre · Third sector (charity, community group)" in page


def test_the_add_form_offers_the_sectors_in_words_people_understand(
    programme: Any, organiser: Any
) -> None:
    page = as_user(organiser).get(reverse("person_add", args=[programme.pk])).content.decode()
    for label in (
        "Statutory (NHS, council)",
        "Third sector (charity, community group)",
        "Independent (private provider)",
        "Unpaid (person or carer)",
        "Not known",
    ):
        assert label in page
    assert "Organisation (optional)" in page


def test_an_invitation_keeps_organisation_and_sector(programme: Any, organiser: Any) -> None:
    client = as_user(organiser)
    client.post(
        reverse("person_add", args=[programme.pk]),
        {
            "display_name": "Sam Statutory",
            "email": "sam@example.org",
            "role": "practitioner",
            "organisation": "NHS Fife",
            "sector": "statutory",
        },
    )
    invited = Membership.objects.get(user__email="sam@example.org")
    assert invited.invited and invited.sector == "statutory"
    page = client.get(reverse("programme_detail", args=[programme.pk])).content.decode()
    assert "NHS Fife · Statutory (NHS, council)" in page


@pytest.mark.parametrize(
    "data",
    [
        {"sector": "nhs"},
        {"organisation": "x" * 121},
        {"organisation": "two\nlines"},
    ],
    ids=["unknown sector", "too long", "a line break"],
)
def test_bad_organisation_or_sector_adds_nobody(
    programme: Any, organiser: Any, data: dict[str, str]
) -> None:
    before = Membership.objects.count()
    response = as_user(organiser).post(
        reverse("person_add", args=[programme.pk]),
        {"display_name": "Ann", "role": "carer", **data},
    )
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    assert Membership.objects.count() == before


def test_the_service_refuses_an_unknown_sector(programme: Any, carer: Any) -> None:
    membership = Membership.objects.get(user=carer)
    with pytest.raises(ValidationError, match="Choose a sector"):
        services.membership_describe(membership=membership, organisation="", sector="nhs")
    with pytest.raises(ValidationError):
        services.person_add_to_programme(
            programme=programme, display_name="Ann", role="carer", sector="private"
        )
    membership.refresh_from_db()
    assert membership.sector == ""


def test_an_organiser_changes_organisation_and_sector_from_the_people_list(
    programme: Any, organiser: Any, practitioner: Any
) -> None:
    membership = Membership.objects.get(user=practitioner)
    url = reverse("membership_organisation", args=[programme.pk, membership.pk])
    client = as_user(organiser)
    people = client.get(reverse("programme_detail", args=[programme.pk])).content.decode()
    assert url in people
    form = client.get(url)
    assert form.status_code == 200 and practitioner.display_name in form.content.decode()
    response = client.post(url, {"organisation": "Fife Council", "sector": "statutory"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.organisation, membership.sector) == ("Fife Council", "statutory")
    # "Not known" clears it again.
    client.post(url, {"organisation": "", "sector": ""})
    membership.refresh_from_db()
    assert (membership.organisation, membership.sector) == ("", "")


def test_bad_input_on_the_change_page_changes_nothing(
    programme: Any, organiser: Any, practitioner: Any
) -> None:
    membership = Membership.objects.get(user=practitioner)
    services.membership_describe(membership=membership, organisation="NHS", sector="statutory")
    url = reverse("membership_organisation", args=[programme.pk, membership.pk])
    response = as_user(organiser).post(url, {"organisation": "Fife", "sector": "nhs"})
    assert response.status_code == 400
    assert "Choose a sector from the list" in response.content.decode()
    membership.refresh_from_db()
    assert (membership.organisation, membership.sector) == ("NHS", "statutory")


def test_only_this_programmes_organisers_change_it(
    programme: Any,
    other_programme: Any,
    facilitator: Any,
    person: Any,
    practitioner: Any,
    outsider: Any,
) -> None:
    membership = Membership.objects.get(user=practitioner)
    url = reverse("membership_organisation", args=[programme.pk, membership.pk])
    # The other programme's organiser, even through their own programme's address.
    foreign_organiser = MembershipFactory(programme=other_programme, role=Role.ORGANISER).user
    through_theirs = reverse("membership_organisation", args=[other_programme.pk, membership.pk])
    for user, target in (
        (facilitator, url),
        (person, url),
        (practitioner, url),
        (outsider, url),
        (foreign_organiser, url),
        (foreign_organiser, through_theirs),
    ):
        client = as_user(user)
        assert client.get(target).status_code == 404
        assert (
            client.post(target, {"organisation": "Hacked", "sector": "independent"}).status_code
            == 404
        )
    membership.refresh_from_db()
    assert (membership.organisation, membership.sector) == ("", "")
    # Staff who are not organisers see the sector but have no link to change it.
    page = as_user(facilitator).get(reverse("programme_detail", args=[programme.pk]))
    assert url not in page.content.decode()


def test_the_register_and_the_briefing_show_sectors(
    programme: Any, facilitator: Any, person: Any, practitioner: Any
) -> None:
    services.membership_describe(
        membership=Membership.objects.get(user=practitioner),
        organisation="Fife Council",
        sector="statutory",
    )
    services.membership_describe(
        membership=Membership.objects.get(user=person), organisation="", sector="unpaid"
    )
    person.needs_bsl = True
    person.save()
    session = SessionFactory(
        programme=programme, status="ended", starts_at=timezone.now() - timedelta(hours=3)
    )
    AttendanceFactory(session=session, user=practitioner)
    client = as_user(facilitator)
    register = client.get(reverse("session_register", args=[session.pk])).content.decode()
    assert "Fife Council · Statutory (NHS, council)" in register
    briefing = client.get(reverse("session_briefing", args=[session.pk])).content.decode()
    assert "Person with lived experience · Unpaid (person or carer)" in briefing


def test_erasing_a_person_clears_their_organisation_but_keeps_the_sector(
    programme: Any, person: Any
) -> None:
    from participants import personal_data

    membership = Membership.objects.get(user=person)
    services.membership_describe(membership=membership, organisation="Fife Carers", sector="unpaid")
    personal_data.person_erase(user=person, by=None)
    membership.refresh_from_db()
    assert (membership.organisation, membership.sector) == ("", "unpaid")
