"""Pages and actions: joining by code, sign-in cards, forms with bad input, query counts."""

from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from participants.models import Membership, User
from tests.factories import ActivityFactory, AttendanceFactory, SessionFactory, UserFactory
from workshops.models import Attendance, Programme, Session
from workshops.room import presence
from workshops.room import render as room_render

pytestmark = pytest.mark.django_db


def join(client: Client, code: str) -> Any:
    return client.post(reverse("join"), {"code": code})


def test_joining_by_code_then_name_lands_in_the_room(live_session: Any, person: Any) -> None:
    client = Client()
    response = join(client, live_session.join_code)
    assert response.status_code == 302
    assert response["Location"] == reverse("join_who", args=[live_session.pk])
    page = client.get(response["Location"])
    assert person.display_name in page.content.decode()
    response = client.post(response["Location"], {"person": person.pk})
    assert response["Location"] == reverse("room", args=[live_session.pk])
    room_page = client.get(response["Location"])
    assert room_page.status_code == 200
    assert f'hx-ws:connect="/ws/sessions/{live_session.pk}/"' in room_page.content.decode()
    assert Attendance.objects.get(user=person).admission == "admitted"


def test_the_name_step_needs_the_code_first(live_session: Any, person: Any) -> None:
    response = Client().post(reverse("join_who", args=[live_session.pk]), {"person": person.pk})
    assert response["Location"] == reverse("join")
    assert not Attendance.objects.exists()


def test_a_wrong_code_gets_a_clear_message_and_repeated_wrong_codes_are_slowed(
    live_session: Any, settings: Any
) -> None:
    client = Client()
    response = join(client, "000000")
    assert response.status_code == 400
    assert "does not match a session that is on now" in response.content.decode()
    for _ in range(settings.JOIN_CODE_RATE_LIMIT):
        join(client, "111111")
    response = join(client, live_session.join_code)  # even the right code waits now
    assert response.status_code == 429
    assert "Too many tries" in response.content.decode()


def test_a_new_name_without_a_role_is_refused_and_nothing_saved(live_session: Any) -> None:
    client = Client()
    join(client, live_session.join_code)
    response = client.post(reverse("join_who", args=[live_session.pk]), {"new_name": "Davie"})
    assert response.status_code == 400
    assert "Choose how you are taking part" in response.content.decode()
    assert not User.objects.filter(display_name="Davie").exists()


def test_a_waiting_list_sends_people_to_a_waiting_page_that_moves_on(
    live_session: Any, person: Any, facilitator: Any
) -> None:
    live_session.admission = Session.Admission.WAITING_LIST
    live_session.save()
    client = Client()
    join(client, live_session.join_code)
    response = client.post(reverse("join_who", args=[live_session.pk]), {"person": person.pk})
    assert response["Location"] == reverse("join_waiting", args=[live_session.pk])
    assert "will let you in shortly" in client.get(response["Location"]).content.decode()
    assert client.get(reverse("room", args=[live_session.pk])).status_code == 302
    Attendance.objects.filter(user=person).update(admission="admitted")
    poll = client.get(response["Location"], headers={"HX-Request": "true"})
    assert poll["HX-Redirect"] == reverse("room", args=[live_session.pk])


def test_a_name_picked_sign_in_is_weaker_than_a_card(live_session: Any, person: Any) -> None:
    from participants.identity import SIGNIN_METHOD_KEY

    client = Client()
    join(client, live_session.join_code)
    client.post(reverse("join_who", args=[live_session.pk]), {"person": person.pk})
    assert client.session[SIGNIN_METHOD_KEY] == "name"
    card = client.get(reverse("card_signin", args=[person.signin_secret]))
    assert card.status_code == 200
    client.post(reverse("card_signin", args=[person.signin_secret]))
    assert client.session[SIGNIN_METHOD_KEY] == "card"


def test_a_sign_in_card_brings_someone_back_on_a_new_device(live_session: Any, person: Any) -> None:
    AttendanceFactory(session=live_session, user=person)
    client = Client()
    response = client.post(reverse("card_signin", args=[person.signin_secret]))
    assert response["Location"] == reverse("room", args=[live_session.pk])
    assert client.get(response["Location"]).status_code == 200


def test_a_replaced_card_stops_working(live_session: Any, person: Any, facilitator: Any) -> None:
    old = person.signin_secret
    client = Client()
    client.force_login(facilitator)
    client.post(reverse("signin_card_renew", args=[live_session.programme_id, person.pk]))
    person.refresh_from_db()
    assert person.signin_secret != old
    assert Client().get(reverse("card_signin", args=[old])).status_code == 404


def test_a_staff_members_card_link_never_signs_in(facilitator: Any) -> None:
    response = Client().post(reverse("card_signin", args=[facilitator.signin_secret]))
    assert response.status_code == 404


def test_sign_in_cards_show_a_qr_code_per_person(
    programme: Any, facilitator: Any, person: Any, carer: Any
) -> None:
    client = Client()
    client.force_login(facilitator)
    html = client.get(reverse("signin_cards", args=[programme.pk])).content.decode()
    assert html.count("<svg") == 2
    assert person.display_name in html and carer.display_name in html
    assert person.signin_secret not in html  # only inside the QR code, never as text


def test_adding_a_person_without_a_name_shows_an_error_and_adds_nobody(
    programme: Any, organiser: Any
) -> None:
    client = Client()
    client.force_login(organiser)
    before = Membership.objects.count()
    response = client.post(
        reverse("person_add", args=[programme.pk]), {"display_name": "", "role": "carer"}
    )
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    assert Membership.objects.count() == before


def test_adding_a_person_with_email_twice_is_refused(programme: Any, organiser: Any) -> None:
    client = Client()
    client.force_login(organiser)
    data = {"display_name": "Ann", "email": "ann@example.org", "role": "carer"}
    client.post(reverse("person_add", args=[programme.pk]), data)
    response = client.post(reverse("person_add", args=[programme.pk]), data)
    assert "already in the programme" in response.content.decode()
    assert Membership.objects.filter(user__email="ann@example.org").count() == 1


def test_scheduling_a_session_that_ends_before_it_starts_is_refused(
    programme: Any, organiser: Any
) -> None:
    client = Client()
    client.force_login(organiser)
    response = client.post(
        reverse("session_create", args=[programme.pk]),
        {
            "title": "x",
            "date": timezone.localdate().isoformat(),
            "start_time": "14:00",
            "end_time": "13:00",
        },
    )
    assert "must end after it starts" in response.content.decode()
    assert not Session.objects.exists()


def test_creating_a_programme(organiser: Any) -> None:
    client = Client()
    client.force_login(organiser)
    response = client.post(
        reverse("programme_create"),
        {"name": "New", "site": "Fife", "starts_on": "2027-01-01", "ends_on": "2027-12-31"},
    )
    programme = Programme.objects.get(name="New")
    assert response["Location"] == reverse("programme_detail", args=[programme.pk])


def test_moving_to_a_missing_activity_returns_an_error_fragment_to_the_sender(
    live_session: Any, facilitator: Any
) -> None:
    client = Client(headers={"HX-Request": "true"})
    client.force_login(facilitator)
    response = client.post(reverse("session_move", args=[live_session.pk]), {"activity": 99999})
    assert response.status_code == 422
    assert response["HX-Retarget"] == "#page-errors"
    assert "not on this session" in response.content.decode()


def test_larger_text_is_a_choice_for_this_device_and_can_be_turned_off(person: Any) -> None:
    phone, laptop = Client(), Client()
    phone.force_login(person)
    laptop.force_login(person)
    phone.post(reverse("text_size"), {"large_text": "1", "next": "/"})
    assert "comhla-large-text" in phone.get("/").content.decode()
    assert "comhla-large-text" not in laptop.get("/").content.decode()
    person.refresh_from_db()
    assert not person.large_text
    phone.post(reverse("text_size"), {"large_text": "0", "next": "/"})
    page = phone.get("/").content.decode()
    assert "comhla-large-text" not in page and "Use larger text" in page
    # It stays with the device when the person signs out.
    phone.post(reverse("text_size"), {"large_text": "1", "next": "/"})
    phone.post(reverse("sign_out"))
    assert "comhla-large-text" in phone.get("/").content.decode()
    response = phone.post(
        reverse("text_size"), {"large_text": "1", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
    response = phone.post(reverse("text_size"), {"large_text": "huge", "next": "/"}, follow=True)
    assert "Choose a text size" in response.content.decode()
    assert "comhla-large-text" in response.content.decode()


def test_healthz_and_readyz() -> None:
    client = Client()
    assert client.get("/healthz").content == b"ok"
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json() == {"ready": True, "failing": []}


def test_readyz_says_when_the_channel_layer_cannot_answer() -> None:
    unreachable = {
        "default": {
            "BACKEND": "workshops.room.layer.NoticingPubSubChannelLayer",
            "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]},
        }
    }
    with override_settings(CHANNEL_LAYERS=unreachable):
        ready = Client().get("/readyz")
    assert ready.status_code == 503
    assert ready.json() == {"ready": False, "failing": ["channel layer"]}


def test_every_page_sends_a_content_security_policy(live_session: Any, facilitator: Any) -> None:
    client = Client()
    client.force_login(facilitator)
    response = client.get(reverse("room", args=[live_session.pk]))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp
    assert "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp


def _grow_programme(programme: Any, sessions: int, people: int) -> None:
    start = programme.sessions.count()
    for n in range(sessions):
        s = SessionFactory(programme=programme, number=100 + start + n)
        for i in range(3):
            ActivityFactory(session=s, order=i)
    for _ in range(people):
        Membership.objects.create(user=UserFactory(), programme=programme, role="carer")


def test_the_programme_page_uses_the_same_queries_however_big(
    programme: Any, facilitator: Any, django_assert_num_queries: Any
) -> None:
    client = Client()
    client.force_login(facilitator)
    _grow_programme(programme, 2, 2)
    client.get(reverse("programme_detail", args=[programme.pk]))
    with django_assert_num_queries(9) as small:
        client.get(reverse("programme_detail", args=[programme.pk]))
    _grow_programme(programme, 10, 40)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(reverse("programme_detail", args=[programme.pk]))


def test_the_room_snapshot_uses_the_same_queries_however_full(
    live_session: Any, facilitator: Any, django_assert_num_queries: Any
) -> None:
    def fill(n: int) -> None:
        for _ in range(n):
            user = UserFactory()
            Membership.objects.create(user=user, programme=live_session.programme, role="carer")
            AttendanceFactory(session=live_session, user=user)
            presence.store().touch(live_session.pk, user.pk, f"chan-{user.pk}")

    fill(2)
    with django_assert_num_queries(12) as small:
        room_render.render_snapshot(live_session, viewer=facilitator)
    fill(40)
    with django_assert_num_queries(len(small.captured_queries)):
        html, _ = room_render.render_snapshot(live_session, viewer=facilitator)
    assert html.count('<li data-user-id="') == 42


def test_ending_a_session_from_the_room_posts_through_htmx(
    live_session: Any, facilitator: Any
) -> None:
    client = Client(headers={"HX-Request": "true"}, enforce_csrf_checks=True)
    client.force_login(facilitator)
    page = client.get(reverse("room", args=[live_session.pk])).content.decode()
    token = page.split('data-csrf-token="')[1].split('"')[0]
    url = reverse("session_end", args=[live_session.pk])
    response = client.post(url, headers={"X-CSRFToken": token})
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("session_detail", args=[live_session.pk])
    assert Session.objects.get(pk=live_session.pk).status == "ended"
    again = client.post(url, headers={"X-CSRFToken": token})
    assert again.status_code == 422 and "Only a live session can be ended" in again.content.decode()


def _room_client(user: Any, *, picked_in: Any = None) -> Client:
    """A signed-in client: by card, or (picked_in=a session) by picking a name in its room."""
    from participants.identity import ROOM_SCOPE_KEY
    from tests.helpers import session_cookie_for

    client = Client()
    method = "name" if picked_in is not None else "card"
    name, _, key = session_cookie_for(user, method=method).partition("=")
    client.cookies[name] = key
    if picked_in is not None:
        store = client.session
        store[ROOM_SCOPE_KEY] = picked_in.pk
        store.save()
    return client


def test_the_room_page_of_a_co_facilitator_has_the_controls_and_their_own_hand(
    live_session: Any, person: Any, carer: Any
) -> None:
    from workshops.models import Rsvp

    AttendanceFactory(session=live_session, user=person, co_facilitator=True)
    Rsvp.objects.create(session=live_session, user=carer, coming=True, needs="A wheelchair taxi")
    client = _room_client(person)
    html = client.get(reverse("room", args=[live_session.pk])).content.decode()
    assert 'id="people-panel"' in html and "Move room here" in html
    assert 'id="floor-me"' in html  # still a contributor with a hand to raise
    assert "&lt;" not in html.split('id="activity"')[0]  # no markup shown as text
    detail = client.get(reverse("session_detail", args=[live_session.pk])).content.decode()
    assert "Register and payments" not in detail and "Session report" not in detail
    assert "Before the session" not in detail and "wheelchair taxi" not in detail


def test_a_picked_name_marked_co_facilitator_is_asked_to_sign_in_by_card(
    live_session: Any, person: Any, carer: Any
) -> None:
    AttendanceFactory(session=live_session, user=person, co_facilitator=True)
    AttendanceFactory(session=live_session, user=carer)
    html = (
        _room_client(person, picked_in=live_session)
        .get(reverse("room", args=[live_session.pk]))
        .content.decode()
    )
    assert "You are co-facilitating this session" in html
    assert "sign-in card" in html
    assert 'id="people-panel"' not in html and "Move room here" not in html
    # Someone not marked sees an empty note, as markup, never as text.
    other = _room_client(carer).get(reverse("room", args=[live_session.pk])).content.decode()
    assert '<div id="co-facilitator-note"></div>' in other
    assert "You are co-facilitating" not in other and "&lt;div" not in other
