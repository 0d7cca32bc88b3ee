"""Who you are is proven, not picked: the takeover and impersonation paths stay closed.

Each test here plays an attacker with only what they already have: their own programme,
the room's join code, or an old card.
"""

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from participants.identity import SIGNIN_METHOD_KEY
from participants.models import Membership, Role, User
from tests.factories import AttendanceFactory, LiveSessionFactory, MembershipFactory, UserFactory
from tests.helpers import captured_broadcasts
from workshops.models import Attendance, JoinClaim, Session

pytestmark = pytest.mark.django_db


def _join(client: Client, session: Session) -> None:
    response = client.post(reverse("join"), {"code": session.join_code})
    assert response.status_code == 302, response.content.decode()[:500]


def _pick(client: Client, session: Session, person: Any) -> Any:
    _join(client, session)
    return client.post(reverse("join_who", args=[session.pk]), {"person": person.pk})


# 1. Takeover across programmes -------------------------------------------------------------


@pytest.fixture
def victim(programme: Any) -> Any:
    """A carer with an email address, in our programme."""
    user = UserFactory(display_name="Victoria Victim", email="victoria@example.org")
    MembershipFactory(user=user, programme=programme, role=Role.CARER)
    return user


@pytest.fixture
def stranger(other_programme: Any) -> Any:
    """Someone who made their own programme and so organises it."""
    from tests.factories import StaffUserFactory

    user = StaffUserFactory(display_name="Sam Stranger")
    MembershipFactory(user=user, programme=other_programme, role=Role.ORGANISER)
    return user


def test_adding_someone_elses_email_invites_them_and_reveals_nothing(
    victim: Any, stranger: Any, other_programme: Any
) -> None:
    client = Client()
    client.force_login(stranger)
    response = client.post(
        reverse("person_add", args=[other_programme.pk]),
        {"display_name": "Anyone", "email": "VICTORIA@example.org", "role": "carer"},
        follow=True,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Victoria" not in html
    assert "invitation" in html.lower()
    membership = Membership.objects.get(user=victim, programme=other_programme)
    assert membership.invited
    # Nothing of theirs is printable, replaceable or visible from the stranger's programme.
    cards = client.get(reverse("signin_cards", args=[other_programme.pk]))
    assert "Victoria" not in cards.content.decode()
    assert (
        client.get(
            reverse("signin_cards", args=[other_programme.pk]) + f"?person={victim.pk}"
        ).status_code
        == 404
    )
    old_secret = victim.signin_secret
    renew = client.post(reverse("signin_card_renew", args=[other_programme.pk, victim.pk]))
    assert renew.status_code == 404
    victim.refresh_from_db()
    assert victim.signin_secret == old_secret
    everywhere = client.post(
        reverse("person_sign_out_everywhere", args=[other_programme.pk, victim.pk])
    )
    assert everywhere.status_code == 404
    detail = client.get(reverse("programme_detail", args=[other_programme.pk])).content.decode()
    assert "Victoria" not in detail


def test_an_invitation_is_emailed_and_takes_effect_only_when_accepted(
    victim: Any, stranger: Any, other_programme: Any, django_capture_on_commit_callbacks: Any
) -> None:
    organiser = Client()
    organiser.force_login(stranger)
    with django_capture_on_commit_callbacks(execute=True):
        organiser.post(
            reverse("person_add", args=[other_programme.pk]),
            {"display_name": "Anyone", "email": "victoria@example.org", "role": "carer"},
        )
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["victoria@example.org"]
    membership = Membership.objects.get(user=victim, programme=other_programme)
    me = Client()
    me.force_login(victim)
    home = me.get(reverse("home")).content.decode()
    assert other_programme.name in home and "invited" in home.lower()
    assert me.get(reverse("programme_detail", args=[other_programme.pk])).status_code == 404
    me.post(reverse("invitation_answer", args=[membership.pk]), {"answer": "accept"})
    membership.refresh_from_db()
    assert not membership.invited
    assert me.get(reverse("programme_detail", args=[other_programme.pk])).status_code == 200


def test_declining_an_invitation_removes_it(
    victim: Any, stranger: Any, other_programme: Any
) -> None:
    membership = MembershipFactory(
        user=victim, programme=other_programme, role=Role.CARER, invited=True
    )
    me = Client()
    me.force_login(victim)
    me.post(reverse("invitation_answer", args=[membership.pk]), {"answer": "decline"})
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_nobody_else_can_answer_an_invitation(
    victim: Any, stranger: Any, other_programme: Any
) -> None:
    membership = MembershipFactory(
        user=victim, programme=other_programme, role=Role.CARER, invited=True
    )
    client = Client()
    client.force_login(stranger)
    response = client.post(reverse("invitation_answer", args=[membership.pk]), {"answer": "accept"})
    assert response.status_code == 404
    membership.refresh_from_db()
    assert membership.invited


def test_a_new_email_is_invited_too_so_nobody_can_claim_an_address_first(
    organiser: Any, programme: Any
) -> None:
    client = Client()
    client.force_login(organiser)
    client.post(
        reverse("person_add", args=[programme.pk]),
        {"display_name": "Nina New", "email": "nina@example.org", "role": "carer"},
    )
    membership = Membership.objects.get(user__email="nina@example.org")
    assert membership.invited
    assert membership.user.display_name == "Nina New"


def test_someone_without_an_email_is_added_at_once(organiser: Any, programme: Any) -> None:
    client = Client()
    client.force_login(organiser)
    client.post(
        reverse("person_add", args=[programme.pk]), {"display_name": "Nan", "role": "carer"}
    )
    assert not Membership.objects.get(user__display_name="Nan").invited


def test_staff_sign_up_is_closed_unless_a_setting_opens_it(db: Any, settings: Any) -> None:
    data = {
        "display_name": "Nora New",
        "email": "nora@example.org",
        "password1": "a-long-enough-passphrase-42",
        "password2": "a-long-enough-passphrase-42",
    }
    Client().post("/accounts/signup/", data)
    assert not User.objects.filter(email="nora@example.org").exists()
    settings.COMHLA_OPEN_SIGNUP = True
    Client().post("/accounts/signup/", data)
    assert User.objects.filter(email="nora@example.org").exists()


# 2. A picked name is a room identity --------------------------------------------------------


def test_a_picked_name_takes_part_in_that_session_only(
    live_session: Any, person: Any, programme: Any
) -> None:
    client = Client()
    response = _pick(client, live_session, person)
    assert response["Location"] == reverse("room", args=[live_session.pk])
    assert client.session[SIGNIN_METHOD_KEY] == "name"
    assert client.get(reverse("room", args=[live_session.pk])).status_code == 200
    assert client.get(reverse("session_feedback", args=[live_session.pk])).status_code == 200
    refused = [
        reverse("my_data"),
        reverse("my_payments"),
        reverse("programme_detail", args=[programme.pk]),
        reverse("programme_create"),
        reverse("actions", args=[programme.pk]),
        reverse("forms", args=[programme.pk]),
        reverse("account_set_password"),
        reverse("account_email"),
    ]
    for url in refused:
        got = client.get(url)
        assert got.status_code == 403, (url, got.status_code)
        assert "sign-in card" in got.content.decode()
    created = client.post(
        reverse("programme_create"),
        {
            "name": "Mine now",
            "site": "x",
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
        },
    )
    assert created.status_code == 403
    assert not Membership.objects.filter(user=person, role=Role.ORGANISER).exists()


def test_a_picked_name_cannot_open_that_persons_wellbeing_answers(
    live_session: Any, person: Any, programme: Any
) -> None:
    from datetime import date

    from workshops.evaluation.models import InstrumentLicence
    from workshops.evaluation.services import instrument_form_create

    InstrumentLicence.objects.create(
        programme=programme,
        instrument="wemwbs",
        licence_holder="NHS Board",
        reference="L-1",
        licensed_on=date(2026, 1, 1),
    )
    measure = instrument_form_create(programme=programme, instrument="wemwbs", timepoint="baseline")
    client = Client()
    _pick(client, live_session, person)
    response = client.get(reverse("measure", args=[measure.pk]))
    assert response.status_code == 403


def test_a_picked_name_does_not_reach_another_live_session(
    live_session: Any, person: Any, programme: Any
) -> None:
    other = LiveSessionFactory(programme=programme, number=9)
    AttendanceFactory(session=other, user=person)
    client = Client()
    _pick(client, live_session, person)
    assert client.get(reverse("room", args=[other.pk])).status_code in (403, 404)
    assert client.get(reverse("session_feedback", args=[other.pk])).status_code in (403, 404)


def test_a_card_sign_in_reaches_everything_again(live_session: Any, person: Any) -> None:
    client = Client()
    _pick(client, live_session, person)
    client.post(reverse("card_signin", args=[person.signin_secret]))
    assert client.session[SIGNIN_METHOD_KEY] == "card"
    assert client.get(reverse("my_data")).status_code == 200


@pytest.fixture
def jean_with_answers(person: Any, programme: Any) -> Any:
    """Jean has personal data: an email address Comhla holds."""
    person.email = "jean@example.org"
    person.save()
    return person


def test_picking_the_name_of_someone_with_personal_data_asks_the_facilitator(
    live_session: Any,
    jean_with_answers: Any,
    facilitator: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    jean = jean_with_answers
    device = Client()
    with captured_broadcasts(django_capture_on_commit_callbacks) as pushes:
        response = _pick(device, live_session, jean)
    claim = JoinClaim.objects.get(session=live_session, user=jean)
    assert response["Location"] == reverse("join_claim", args=[live_session.pk])
    # Not signed in as Jean while the facilitator has not said so.
    assert "_auth_user_id" not in device.session
    assert not Attendance.objects.filter(session=live_session, user=jean).exists()
    page = device.get(response["Location"]).content.decode()
    assert str(claim.number) in page
    assert any("people-panel" in f["content"] for f in pushes.frames())
    staff = Client()
    staff.force_login(facilitator)
    room = staff.get(reverse("room", args=[live_session.pk])).content.decode()
    assert "Jean Robertson" in room and str(claim.number) in room
    staff.post(reverse("join_claim_decide", args=[live_session.pk, claim.pk]), {"answer": "yes"})
    poll = device.get(reverse("join_claim", args=[live_session.pk]), headers={"HX-Request": "true"})
    assert poll["HX-Redirect"] == reverse("room", args=[live_session.pk])
    assert device.session[SIGNIN_METHOD_KEY] == "confirmed"
    assert device.get(reverse("room", args=[live_session.pk])).status_code == 200


def test_a_name_picked_last_session_and_confirmed_now_enters_the_new_room(
    live_session: Any, person: Any, programme: Any, facilitator: Any
) -> None:
    device = Client()
    _pick(device, live_session, person)  # nothing is kept about them yet: straight in
    assert device.session[SIGNIN_METHOD_KEY] == "name"
    Session.objects.filter(pk=live_session.pk).update(status=Session.Status.ENDED)
    person.email = "jean@example.org"  # now Comhla keeps something of theirs
    person.save()
    second = LiveSessionFactory(programme=programme, number=2)
    response = _pick(device, second, person)
    assert response["Location"] == reverse("join_claim", args=[second.pk])
    claim = JoinClaim.objects.get(session=second, user=person)
    staff = Client()
    staff.force_login(facilitator)
    staff.post(reverse("join_claim_decide", args=[second.pk, claim.pk]), {"answer": "yes"})
    poll = device.get(reverse("join_claim", args=[second.pk]), headers={"HX-Request": "true"})
    assert poll["HX-Redirect"] == reverse("room", args=[second.pk])
    assert device.session[SIGNIN_METHOD_KEY] == "confirmed"
    assert device.get(reverse("room", args=[second.pk])).status_code == 200


def test_picking_a_name_never_weakens_a_card_sign_in(live_session: Any, person: Any) -> None:
    device = Client()
    device.post(reverse("card_signin", args=[person.signin_secret]))
    _pick(device, live_session, person)
    assert device.session[SIGNIN_METHOD_KEY] == "card"
    assert device.get(reverse("my_data")).status_code == 200


def test_a_refused_pick_never_becomes_that_person(
    live_session: Any, jean_with_answers: Any, facilitator: Any
) -> None:
    device = Client()
    _pick(device, live_session, jean_with_answers)
    claim = JoinClaim.objects.get()
    staff = Client()
    staff.force_login(facilitator)
    staff.post(reverse("join_claim_decide", args=[live_session.pk, claim.pk]), {"answer": "no"})
    page = device.get(reverse("join_claim", args=[live_session.pk])).content.decode()
    assert "did not confirm" in page
    assert "_auth_user_id" not in device.session


def test_a_claim_cannot_be_decided_from_another_programme(
    live_session: Any, jean_with_answers: Any, outsider: Any
) -> None:
    device = Client()
    _pick(device, live_session, jean_with_answers)
    claim = JoinClaim.objects.get()
    staff = Client()
    staff.force_login(outsider)
    response = staff.post(
        reverse("join_claim_decide", args=[live_session.pk, claim.pk]), {"answer": "yes"}
    )
    assert response.status_code == 404
    claim.refresh_from_db()
    assert claim.status == JoinClaim.Status.PENDING


def test_a_claim_page_belongs_to_the_device_that_asked(
    live_session: Any, jean_with_answers: Any, facilitator: Any
) -> None:
    device = Client()
    _pick(device, live_session, jean_with_answers)
    claim = JoinClaim.objects.get()
    staff = Client()
    staff.force_login(facilitator)
    staff.post(reverse("join_claim_decide", args=[live_session.pk, claim.pk]), {"answer": "yes"})
    thief = Client()
    _join(thief, live_session)
    thief.get(reverse("join_claim", args=[live_session.pk]))
    assert "_auth_user_id" not in thief.session


def test_a_walk_in_leaves_the_programme_when_the_session_ends(
    live_session: Any, facilitator: Any
) -> None:
    from workshops import services

    client = Client()
    _join(client, live_session)
    client.post(
        reverse("join_who", args=[live_session.pk]), {"new_name": "Wally Walkin", "role": "carer"}
    )
    walk_in = User.objects.get(display_name="Wally Walkin")
    assert client.session[SIGNIN_METHOD_KEY] == "walk_in"
    assert client.get(reverse("my_data")).status_code == 403
    services.session_end(session=live_session)
    assert Membership.objects.get(user=walk_in).left_on is not None


# 4. Replacing a card ends its sessions; sign out everywhere ------------------------------


def test_replacing_a_card_signs_out_every_device_and_closes_its_sockets(
    live_session: Any, person: Any, facilitator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    AttendanceFactory(session=live_session, user=person)
    old_card = Client()
    old_card.post(reverse("card_signin", args=[person.signin_secret]))
    assert old_card.get(reverse("my_data")).status_code == 200
    staff = Client()
    staff.force_login(facilitator)
    with captured_broadcasts(django_capture_on_commit_callbacks) as pushes:
        staff.post(reverse("signin_card_renew", args=[live_session.programme_id, person.pk]))
    assert old_card.get(reverse("my_data")).status_code == 302  # signed out: sign in again
    assert any(m["type"] == "room.close" for _, m in pushes.messages)


def test_a_person_can_sign_out_everywhere(live_session: Any, person: Any) -> None:
    phone, tablet = Client(), Client()
    for device in (phone, tablet):
        device.post(reverse("card_signin", args=[person.signin_secret]))
    phone.post(reverse("sign_out_everywhere"))
    assert tablet.get(reverse("my_data")).status_code == 302
    assert phone.get(reverse("my_data")).status_code == 302


def test_an_organiser_can_sign_someone_out_everywhere(
    programme: Any, person: Any, organiser: Any
) -> None:
    phone = Client()
    phone.post(reverse("card_signin", args=[person.signin_secret]))
    staff = Client()
    staff.force_login(organiser)
    response = staff.post(reverse("person_sign_out_everywhere", args=[programme.pk, person.pk]))
    assert response.status_code == 302
    assert phone.get(reverse("my_data")).status_code == 302
    assert staff.get(reverse("home")).status_code == 200  # the organiser stays signed in


@pytest.mark.django_db(transaction=True)
async def test_a_room_identity_socket_opens_only_its_own_session(
    live_session: Any, person: Any, programme: Any
) -> None:
    from asgiref.sync import sync_to_async

    from tests.helpers import room_communicator

    other = await sync_to_async(LiveSessionFactory)(programme=programme, number=9)
    await sync_to_async(AttendanceFactory)(session=other, user=person)
    client = Client()
    await sync_to_async(_pick)(client, live_session, person)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    own = room_communicator(live_session.pk, cookie)
    connected, _ = await own.connect()
    assert connected
    assert "snapshot" in (await own.receive_from())
    await own.disconnect()
    foreign = room_communicator(other.pk, cookie)
    await foreign.connect()
    closed = await foreign.receive_output()
    assert closed == {"type": "websocket.close", "code": 4403}
    await foreign.disconnect()


def test_adding_a_person_preselects_no_role(organiser: Any, programme: Any) -> None:
    client = Client()
    client.force_login(organiser)
    html = client.get(reverse("person_add", args=[programme.pk])).content.decode()
    roles = [line for line in html.splitlines() if 'name="role"' in line]
    assert roles and not any("checked" in line for line in roles)
    assert html.index("Person with lived experience") < html.index("Organiser</label>")


def test_picking_a_name_again_on_one_device_makes_one_request(
    live_session: Any, jean_with_answers: Any
) -> None:
    device = Client()
    _pick(device, live_session, jean_with_answers)
    _pick(device, live_session, jean_with_answers)
    assert JoinClaim.objects.count() == 1


def test_many_devices_asking_for_one_name_are_stopped(
    live_session: Any, jean_with_answers: Any
) -> None:
    for _ in range(3):
        _pick(Client(), live_session, jean_with_answers)
    response = _pick(Client(), live_session, jean_with_answers)
    assert response.status_code == 400
    assert "speak to the facilitator" in response.content.decode()
    assert JoinClaim.objects.count() == 3
