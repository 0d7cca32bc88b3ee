"""Consent and access needs: asked at a person's first join, changeable any time, theirs only."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from participants import selectors
from participants.identity import ROOM_SCOPE_KEY
from participants.models import Consent, Membership, Role, User
from tests.factories import MembershipFactory, UserFactory
from tests.helpers import session_cookie_for

pytestmark = pytest.mark.django_db

ALL_YES = {"take_part": "yes", "quotes": "yes", "contact": "yes", "photos": "yes"}


def client_for(user: Any, *, method: str = "card", scope: int | None = None) -> Client:
    client = Client()
    name, _, key = session_cookie_for(user, method=method).partition("=")
    client.cookies[name] = key
    if scope is not None:
        store = client.session
        store[ROOM_SCOPE_KEY] = scope
        store.save()
    return client


@pytest.fixture
def newcomer(programme: Any) -> Any:
    """Someone with lived experience who has not answered the consent page yet."""
    user = UserFactory(display_name="Nan Newcomer")
    MembershipFactory(user=user, programme=programme, role=Role.LIVED_EXPERIENCE, consented=False)
    return user


def _url(programme: Any) -> str:
    return reverse("consent", args=[programme.pk])


# Who may see and change it ----------------------------------------------------------------


def test_a_picked_name_can_neither_see_nor_change_the_persons_consent_or_needs(
    live_session: Any, person: Any
) -> None:
    before = list(Consent.objects.values_list())
    client = client_for(person, method="name", scope=live_session.pk)
    page = client.get(_url(live_session.programme))
    assert page.status_code == 403
    assert "Can we take photos" not in page.content.decode()
    response = client.post(
        _url(live_session.programme),
        {**{k: "no" for k in ALL_YES}, "needs_bsl": "on", "other_needs": "Changed by someone"},
    )
    assert response.status_code == 403
    assert list(Consent.objects.values_list()) == before
    person.refresh_from_db()
    assert not person.needs_bsl and person.other_needs == ""


def test_a_walk_in_cannot_reach_the_consent_page_either(live_session: Any) -> None:
    walk_in = UserFactory()
    MembershipFactory(user=walk_in, programme=live_session.programme, consented=False)
    client = client_for(walk_in, method="walk_in", scope=live_session.pk)
    assert client.get(_url(live_session.programme)).status_code == 403
    assert client.post(_url(live_session.programme), ALL_YES).status_code == 403
    assert not Consent.objects.filter(membership__user=walk_in).exists()


def test_another_programmes_people_get_a_404_and_change_nothing(
    programme: Any, outsider: Any, other_programme: Any
) -> None:
    client = client_for(outsider, method="account")
    assert client.get(_url(programme)).status_code == 404
    assert client.post(_url(programme), ALL_YES).status_code == 404
    assert not Consent.objects.filter(membership__programme=programme).exists()
    assert client.get(reverse("consent", args=[999_999])).status_code == 404


def test_an_invitation_not_yet_accepted_gives_no_consent_page(programme: Any) -> None:
    invited = UserFactory(email="new@example.org")
    MembershipFactory(user=invited, programme=programme, invited=True, consented=False)
    client = client_for(invited, method="account")
    assert client.get(_url(programme)).status_code == 404
    assert client.post(_url(programme), ALL_YES).status_code == 404
    assert not Consent.objects.exists()


# Answering --------------------------------------------------------------------------------


def test_the_page_is_easy_read_and_asks_yes_or_no_for_each_use(
    programme: Any, newcomer: Any
) -> None:
    html = client_for(newcomer).get(_url(programme)).content.decode()
    for words in (
        "What we write down",
        "Who sees it",
        "Being paid",
        "You can stop at any time",
        "Do you want to take part?",
        "Can we use your words in reports?",
        "Can we contact you later?",
        "Can we take photos of you?",
        "A supporter helped me answer",
        "British Sign Language",
        "Hearing loop",
    ):
        assert words in html, words


def test_answers_are_recorded_per_person_per_programme_with_the_time(
    programme: Any, other_programme: Any, newcomer: Any
) -> None:
    MembershipFactory(user=newcomer, programme=other_programme, consented=False)
    client = client_for(newcomer)
    response = client.post(
        _url(programme),
        {"take_part": "yes", "quotes": "no", "contact": "yes", "photos": "no", "supported": "on"},
    )
    assert response.status_code == 302
    (answer,) = Consent.objects.filter(membership__user=newcomer)
    assert answer.membership.programme == programme
    assert (answer.take_part, answer.quotes, answer.contact, answer.photos) == (
        True,
        False,
        True,
        False,
    )
    assert answer.with_supporter
    assert answer.answered_at is not None
    assert selectors.consent_for(person=newcomer, programme=other_programme) is None


def test_changing_an_answer_adds_a_new_record_and_the_newest_counts(
    programme: Any, newcomer: Any
) -> None:
    client = client_for(newcomer)
    client.post(_url(programme), ALL_YES)
    client.post(_url(programme), {**ALL_YES, "supported": "on"})  # same answers: nothing new
    assert Consent.objects.filter(membership__user=newcomer).count() == 1
    client.post(_url(programme), {**ALL_YES, "photos": "no"})
    assert Consent.objects.filter(membership__user=newcomer).count() == 2
    current = selectors.consent_for(person=newcomer, programme=programme)
    assert current is not None and not current.photos and current.quotes
    page = client.get(_url(programme)).content.decode()
    assert 'id="photos-no" name="photos" type="radio" value="no" checked' in page


def test_a_missing_answer_is_a_clear_error_and_records_nothing(
    programme: Any, newcomer: Any
) -> None:
    response = client_for(newcomer).post(_url(programme), {"take_part": "yes", "quotes": "yes"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose yes or no: can we contact you later?" in html
    assert "Choose yes or no: can we take photos of you?" in html
    assert not Consent.objects.exists()


def test_access_needs_are_saved_and_cleaned(programme: Any, newcomer: Any) -> None:
    response = client_for(newcomer).post(
        _url(programme),
        {
            **ALL_YES,
            "large_text": "on",
            "needs_bsl": "on",
            "needs_hearing_loop": "on",
            "needs_transport": "on",
            "dietary_needs": "  No gluten  ",
            "other_needs": "A quiet seat\nnear the door",
        },
    )
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.large_text and newcomer.needs_bsl and newcomer.needs_hearing_loop
    assert newcomer.needs_transport and not newcomer.read_aloud and not newcomer.needs_supporter
    assert newcomer.dietary_needs == "No gluten"
    assert newcomer.other_needs == "A quiet seat\nnear the door"
    assert newcomer.access_needs_updated_at is not None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("other_needs", "x" * 301, "Ensure this value has at most 300 characters"),
        ("other_needs", "bad\x00text", "Remove the hidden control characters"),
        ("dietary_needs", "two\nlines", "Keep this to one line"),
    ],
)
def test_bad_needs_text_is_refused_and_changes_nothing(
    programme: Any, newcomer: Any, field: str, value: str, message: str
) -> None:
    response = client_for(newcomer).post(_url(programme), {**ALL_YES, field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    newcomer.refresh_from_db()
    assert getattr(newcomer, field) == ""
    assert not Consent.objects.exists()


# Asked at the first join --------------------------------------------------------------------


def test_a_card_sign_in_to_a_live_session_asks_for_consent_first(
    live_session: Any, newcomer: Any
) -> None:
    client = Client()
    response = client.post(reverse("card_signin", args=[newcomer.signin_secret]), follow=True)
    room = reverse("room", args=[live_session.pk])
    assert response.redirect_chain[-1][0] == f"{_url(live_session.programme)}?next={room}"
    assert "Do you want to take part?" in response.content.decode()
    done = client.post(f"{_url(live_session.programme)}?next={room}", ALL_YES)
    assert done.status_code == 302 and done.url == room


def test_joining_a_live_session_from_its_room_page_asks_for_consent_first(
    live_session: Any, newcomer: Any
) -> None:
    client = client_for(newcomer)
    response = client.post(reverse("room_join", args=[live_session.pk]), follow=True)
    assert "Do you want to take part?" in response.content.decode()
    client.post(_url(live_session.programme), ALL_YES)
    assert client.get(reverse("room", args=[live_session.pk])).status_code == 200


def test_saying_no_to_taking_part_keeps_the_room_closed_until_they_change_it(
    live_session: Any, newcomer: Any, admitted: Any
) -> None:
    admitted(newcomer)
    client = client_for(newcomer)
    client.post(_url(live_session.programme), {**ALL_YES, "take_part": "no"})
    response = client.get(reverse("room", args=[live_session.pk]), follow=True)
    assert "You said no to taking part" in response.content.decode()
    client.post(_url(live_session.programme), ALL_YES)
    assert client.get(reverse("room", args=[live_session.pk])).status_code == 200


def test_staff_and_room_identities_are_not_stopped_at_the_consent_page(
    live_session: Any, facilitator: Any, admitted: Any
) -> None:
    Consent.objects.filter(membership__user=facilitator).delete()
    assert (
        client_for(facilitator, method="account")
        .get(reverse("room", args=[live_session.pk]))
        .status_code
        == 200
    )
    picked = UserFactory()
    MembershipFactory(user=picked, programme=live_session.programme, consented=False)
    admitted(picked)
    room = client_for(picked, method="name", scope=live_session.pk).get(
        reverse("room", args=[live_session.pk])
    )
    assert room.status_code == 200


def test_accepting_an_invitation_goes_to_the_consent_page(programme: Any) -> None:
    invited = UserFactory(email="ivy@example.org")
    membership = MembershipFactory(
        user=invited, programme=programme, invited=True, role=Role.CARER, consented=False
    )
    client = client_for(invited, method="account")
    response = client.post(reverse("invitation_answer", args=[membership.pk]), {"answer": "accept"})
    assert response.url.startswith(_url(programme))


def test_next_must_be_a_path_of_this_site(programme: Any, newcomer: Any) -> None:
    response = client_for(newcomer).post(f"{_url(programme)}?next=https://evil.example/", ALL_YES)
    assert response.url == reverse("home")


def test_the_start_page_and_my_data_link_to_the_consent_page(programme: Any, newcomer: Any) -> None:
    client = client_for(newcomer)
    assert _url(programme) in client.get(reverse("home")).content.decode()
    assert _url(programme) in client.get(reverse("my_data")).content.decode()


# Consent respected --------------------------------------------------------------------------


def test_may_quote_and_may_contact_follow_the_newest_answer_in_that_programme(
    programme: Any, other_programme: Any, newcomer: Any
) -> None:
    assert not selectors.may_quote(person=newcomer, programme=programme)
    assert not selectors.may_contact(person=newcomer, programme=programme)
    client = client_for(newcomer)
    client.post(_url(programme), ALL_YES)
    assert selectors.may_quote(person=newcomer, programme=programme)
    assert selectors.may_contact(person=newcomer, programme=programme)
    assert selectors.may_photograph(person=newcomer, programme=programme)
    MembershipFactory(user=newcomer, programme=other_programme, consented=False)
    assert not selectors.may_quote(person=newcomer, programme=other_programme)
    client.post(_url(programme), {**ALL_YES, "quotes": "no", "contact": "no"})
    assert not selectors.may_quote(person=newcomer, programme=programme)
    assert not selectors.may_contact(person=newcomer, programme=programme)


def test_saying_no_to_taking_part_withdraws_quotes_and_contact(
    programme: Any, newcomer: Any
) -> None:
    client_for(newcomer).post(_url(programme), {**ALL_YES, "take_part": "no"})
    assert not selectors.may_quote(person=newcomer, programme=programme)
    assert not selectors.may_contact(person=newcomer, programme=programme)


def test_quotable_people_reads_a_whole_programme_in_one_query(
    programme: Any, newcomer: Any, django_assert_num_queries: Any
) -> None:
    client_for(newcomer).post(_url(programme), ALL_YES)
    other = UserFactory()
    MembershipFactory(user=other, programme=programme, consented=False)
    with django_assert_num_queries(1):
        quotable = selectors.quotable_people(programme=programme)
    assert newcomer.pk in quotable and other.pk not in quotable


def test_a_factory_member_has_answered_yes_unless_told_otherwise(programme: Any) -> None:
    member = MembershipFactory(programme=programme)
    assert isinstance(member, Membership)
    assert selectors.may_quote(person=member.user, programme=programme)
    assert User.objects.filter(pk=member.user.pk).exists()


# The services on their own -------------------------------------------------------------------


def test_only_a_member_taking_part_can_answer(programme: Any) -> None:
    from django.core.exceptions import ValidationError

    from participants import services

    left = MembershipFactory(programme=programme, left_on="2026-01-01", consented=False)
    invited = MembershipFactory(programme=programme, invited=True)
    for membership in (left, invited):
        with pytest.raises(ValidationError):
            services.consent_record(
                membership=membership,
                take_part=True,
                quotes=True,
                contact=True,
                photos=True,
                with_supporter=False,
            )
    assert not Consent.objects.exists()


def test_needs_text_handed_to_the_service_is_checked_too(newcomer: Any) -> None:
    from django.core.exceptions import ValidationError

    from participants import services

    needs = dict.fromkeys(
        (
            "large_text",
            "read_aloud",
            "needs_supporter",
            "needs_bsl",
            "needs_hearing_loop",
            "needs_transport",
        ),
        True,
    )
    with pytest.raises(ValidationError) as caught:
        services.access_needs_set(
            user=newcomer, **needs, dietary_needs="ok", other_needs="\u0007bell"
        )
    assert "other_needs" in caught.value.message_dict
    newcomer.refresh_from_db()
    assert not newcomer.needs_bsl and newcomer.access_needs_updated_at is None


def test_larger_text_as_a_need_shows_larger_text_until_the_device_says_otherwise(
    programme: Any, newcomer: Any
) -> None:
    client = client_for(newcomer)
    assert "comhla-large-text" not in client.get(reverse("home")).content.decode()
    client.post(_url(programme), {**ALL_YES, "large_text": "on"})
    assert "comhla-large-text" in client.get(reverse("home")).content.decode()
    client.post(reverse("text_size"), {"large_text": "0", "next": "/"})
    assert "comhla-large-text" not in client.get(reverse("home")).content.decode()
    # A name picked in the room is not the person's own device: its own choice only.
    picked = client_for(newcomer, method="name", scope=0)
    assert "comhla-large-text" not in picked.get(reverse("join")).content.decode()


def _paper_url(programme: Any, membership: Any) -> str:
    return reverse("consent_on_paper", args=[programme.pk, membership.pk])


PAPER = {
    "take_part": "yes",
    "quotes": "yes",
    "contact": "no",
    "photos": "no",
    "have_paper": "on",
}


def test_a_facilitator_types_in_answers_given_on_paper(
    programme: Any, newcomer: Any, facilitator: Any
) -> None:
    membership = Membership.objects.get(user=newcomer, programme=programme)
    client = client_for(facilitator, method="account")
    page = client.get(_paper_url(programme, membership))
    assert page.status_code == 200 and "answers from the paper form" in page.content.decode()
    missing = client.post(_paper_url(programme, membership), {**PAPER, "have_paper": ""})
    assert missing.status_code == 400
    assert "Tick to say you have their signed paper form" in missing.content.decode()
    assert not Consent.objects.filter(membership=membership).exists()
    assert client.post(_paper_url(programme, membership), PAPER).status_code == 302
    consent = Consent.objects.get(membership=membership)
    assert (consent.take_part, consent.quotes, consent.contact, consent.photos) == (
        True,
        True,
        False,
        False,
    )
    assert consent.recorded_by == facilitator
    assert selectors.may_quote(person=newcomer, programme=programme)


def test_nobody_outside_the_programmes_staff_types_in_paper_answers(
    programme: Any, other_programme: Any, newcomer: Any, person: Any, live_session: Any
) -> None:
    membership = Membership.objects.get(user=newcomer, programme=programme)
    stranger = UserFactory(display_name="Other Facilitator")
    MembershipFactory(user=stranger, programme=other_programme, role=Role.FACILITATOR)
    url = _paper_url(programme, membership)
    assert client_for(stranger, method="account").post(url, PAPER).status_code == 404
    # Their own programme's id with this person's membership: still 404.
    own = reverse("consent_on_paper", args=[other_programme.pk, membership.pk])
    assert client_for(stranger, method="account").post(own, PAPER).status_code == 404
    # A contributor of the same programme cannot answer for someone else.
    assert client_for(person).post(url, PAPER).status_code == 404
    # A picked name in the room cannot either.
    picked = client_for(person, method="name", scope=live_session.pk)
    assert picked.post(url, PAPER).status_code == 403
    assert not Consent.objects.filter(membership=membership).exists()
