"""A programme that can change: edit, move and cancel a session; venue and online link;
copying agendas and agenda templates; "Are you coming?"."""

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import ActivityFactory, LiveSessionFactory, SessionFactory
from tests.helpers import session_cookie_for
from workshops.models import Activity, AgendaTemplate, Rsvp, Session

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(session: Any) -> Any:
    """The shared session, moved to 10:00 tomorrow: its times must not cross midnight, whatever
    the hour the suite runs at (the shared one starts in an hour, so a 22:30 run crossed it)."""
    start = (timezone.localtime() + timedelta(days=1)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    Session.objects.filter(pk=session.pk).update(
        starts_at=start, ends_at=start + timedelta(hours=3)
    )
    session.refresh_from_db()
    return session


def client_for(user: Any, *, method: str = "account") -> Client:
    client = Client()
    name, _, key = session_cookie_for(user, method=method).partition("=")
    client.cookies[name] = key
    return client


def _edit_data(session: Any, **changes: str) -> dict[str, str]:
    start = timezone.localtime(session.starts_at)
    data = {
        "title": session.title,
        "date": start.date().isoformat(),
        "start_time": start.strftime("%H:%M"),
        "end_time": (start + timedelta(hours=2)).strftime("%H:%M"),
        "place": "",
        "online_link": "",
    }
    return data | changes


def _later(session: Any, days: int = 7) -> str:
    return (timezone.localtime(session.starts_at) + timedelta(days=days)).date().isoformat()


# -- who may: the write-first tests -------------------------------------------------------


@pytest.mark.parametrize("who", ["outsider", "person", "practitioner"])
def test_only_the_programmes_facilitators_and_organisers_change_a_session(
    request: Any, session: Any, who: str
) -> None:
    client = client_for(request.getfixturevalue(who))
    before = Session.objects.get(pk=session.pk)
    other = SessionFactory(programme=session.programme, number=2)
    posts = [
        ("session_edit", _edit_data(session, date=_later(session), title="Hijacked")),
        ("session_cancel", {"cancel-reason": "Because"}),
        ("agenda_copy", {"copy-from_session": str(other.pk)}),
        ("agenda_template_save", {"save-name": "Mine"}),
    ]
    for name, data in posts:
        assert client.post(reverse(name, args=[session.pk]), data).status_code == 404, name
    assert client.get(reverse("session_edit", args=[session.pk])).status_code == 404
    after = Session.objects.get(pk=session.pk)
    assert (after.title, after.starts_at, after.status) == (
        before.title,
        before.starts_at,
        before.status,
    )
    assert not AgendaTemplate.objects.exists()
    assert session.activities.count() == 3
    assert not mail.outbox


def test_another_programmes_people_cannot_answer_or_see_answers(
    session: Any, outsider: Any, person: Any
) -> None:
    client = client_for(outsider)
    response = client.post(reverse("session_rsvp", args=[session.pk]), {"rsvp-answer": "yes"})
    assert response.status_code == 404
    assert not Rsvp.objects.exists()


def test_a_template_of_another_programme_cannot_be_used(
    session: Any, facilitator: Any, other_programme: Any
) -> None:
    theirs = AgendaTemplate.objects.create(
        programme=other_programme,
        name="Theirs",
        items=[{"kind": "break", "title": "Secret", "timebox_minutes": 5}],
    )
    response = client_for(facilitator).post(
        reverse("agenda_template_use", args=[session.pk]), {"use-template": str(theirs.pk)}
    )
    assert response.status_code == 400
    assert not session.activities.filter(title="Secret").exists()


def test_another_programmes_session_cannot_be_copied(
    session: Any, facilitator: Any, other_programme: Any
) -> None:
    theirs = SessionFactory(programme=other_programme)
    ActivityFactory(session=theirs, title="Secret", kind="break")
    response = client_for(facilitator).post(
        reverse("agenda_copy", args=[session.pk]), {"copy-from_session": str(theirs.pk)}
    )
    assert response.status_code == 400
    assert "Choose another session of this programme" in response.content.decode()
    assert not session.activities.filter(title="Secret").exists()


# -- edit and move ------------------------------------------------------------------------


def test_moving_a_session_tells_everyone_on_their_start_page_and_by_email(
    session: Any,
    facilitator: Any,
    organiser: Any,
    person: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    person.email = "jean@example.org"
    person.save()
    new_day = _later(session)
    data = _edit_data(session, date=new_day, title="What matters most", place="Room 2, Hall")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(facilitator).post(reverse("session_edit", args=[session.pk]), data)
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.title == "What matters most"
    assert session.place == "Room 2, Hall"
    assert session.moved_from is not None
    assert timezone.localtime(session.starts_at).date().isoformat() == new_day
    # Everyone with an address is told, each in their own email; not the one who moved it.
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted(["jean@example.org", organiser.email])
    assert all(len(m.to) == 1 and "Moved" in m.subject for m in mail.outbox)
    home = client_for(person).get(reverse("home")).content.decode()
    moved = 'govuk-tag--yellow">Moved</strong>'
    assert moved in home
    timeline = client_for(person).get(reverse("programme_detail", args=[session.programme_id]))
    assert moved in timeline.content.decode()


def test_editing_without_moving_sends_no_email(
    session: Any, facilitator: Any, organiser: Any, django_capture_on_commit_callbacks: Any
) -> None:
    data = _edit_data(session, place="Community centre")
    with django_capture_on_commit_callbacks(execute=True):
        client_for(facilitator).post(reverse("session_edit", args=[session.pk]), data)
    session.refresh_from_db()
    assert session.place == "Community centre"
    assert session.moved_from is None
    assert not mail.outbox


def test_bad_edit_input_changes_nothing(session: Any, facilitator: Any) -> None:
    client = client_for(facilitator)
    before = Session.objects.get(pk=session.pk)
    bad = _edit_data(session, date=_later(session), end_time="00:00", start_time="10:00")
    response = client.post(reverse("session_edit", args=[session.pk]), bad)
    assert response.status_code == 400
    assert "The session must end after it starts" in response.content.decode()
    response = client.post(
        reverse("session_edit", args=[session.pk]),
        _edit_data(session, online_link="http://meet.example.org/x"),
    )
    assert response.status_code == 400
    assert "starting with https://" in response.content.decode()
    response = client.post(
        reverse("session_edit", args=[session.pk]),
        _edit_data(session, online_link="javascript:alert(1)"),
    )
    assert response.status_code == 400
    after = Session.objects.get(pk=session.pk)
    assert (after.starts_at, after.online_link, after.moved_from) == (before.starts_at, "", None)
    assert not mail.outbox


def test_a_started_session_cannot_be_edited_or_cancelled(programme: Any, facilitator: Any) -> None:
    live = LiveSessionFactory(programme=programme)
    client = client_for(facilitator)
    response = client.post(
        reverse("session_edit", args=[live.pk]), _edit_data(live, date=_later(live))
    )
    assert response.status_code == 302
    response = client.post(reverse("session_cancel", args=[live.pk]), {"cancel-reason": "Rain"})
    assert response.status_code == 400
    live.refresh_from_db()
    assert live.status == Session.Status.LIVE
    assert live.moved_from is None


# -- venue and online link ----------------------------------------------------------------


def test_venue_and_online_link_are_shown_to_members(
    session: Any, facilitator: Any, person: Any
) -> None:
    data = _edit_data(
        session, place="Room 2, Leith Community Centre", online_link="https://meet.example.org/abc"
    )
    assert client_for(facilitator).post(reverse("session_edit", args=[session.pk]), data)
    client = client_for(person)
    page = client.get(reverse("session_detail", args=[session.pk])).content.decode()
    assert "Room 2, Leith Community Centre" in page
    assert 'href="https://meet.example.org/abc"' in page
    home = client.get(reverse("home")).content.decode()
    assert "Room 2, Leith Community Centre" in home
    assert 'href="https://meet.example.org/abc"' in home


# -- cancel -------------------------------------------------------------------------------


def test_a_cancelled_session_stays_listed_with_its_reason_and_cannot_start_or_be_joined(
    session: Any, organiser: Any, person: Any, django_capture_on_commit_callbacks: Any
) -> None:
    person.email = "jean@example.org"
    person.save()
    code = session.join_code
    client = client_for(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("session_cancel", args=[session.pk]), {"cancel-reason": "The hall is flooded"}
        )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == Session.Status.CANCELLED
    assert session.cancel_reason == "The hall is flooded"
    assert session.join_code is None
    assert [m.to for m in mail.outbox] == [["jean@example.org"]]
    assert "Cancelled" in mail.outbox[0].subject
    assert "The hall is flooded" in mail.outbox[0].body
    # It cannot be opened, and its old code joins nothing.
    client.post(reverse("session_open", args=[session.pk]))
    session.refresh_from_db()
    assert session.status == Session.Status.CANCELLED
    response = Client().post(reverse("join"), {"code": code})
    assert response.status_code == 400
    for page in (
        client_for(person).get(reverse("home")),
        client_for(person).get(reverse("programme_detail", args=[session.programme_id])),
        client_for(person).get(reverse("session_detail", args=[session.pk])),
    ):
        html = page.content.decode()
        assert "Cancelled" in html and "The hall is flooded" in html
    # Nobody can answer for a cancelled session.
    response = client_for(person).post(
        reverse("session_rsvp", args=[session.pk]), {"rsvp-answer": "yes"}
    )
    assert response.status_code == 400
    assert not Rsvp.objects.exists()


def test_cancelling_needs_a_reason(session: Any, organiser: Any) -> None:
    response = client_for(organiser).post(
        reverse("session_cancel", args=[session.pk]), {"cancel-reason": "  "}
    )
    assert response.status_code == 400
    assert "Say why the session is cancelled" in response.content.decode()
    session.refresh_from_db()
    assert session.status == Session.Status.SCHEDULED
    assert not mail.outbox


# -- agendas ------------------------------------------------------------------------------


def test_copying_an_agenda_copies_kinds_titles_and_times_in_order(
    session: Any, facilitator: Any
) -> None:
    target = SessionFactory(programme=session.programme, number=2)
    response = client_for(facilitator).post(
        reverse("agenda_copy", args=[target.pk]), {"copy-from_session": str(session.pk)}
    )
    assert response.status_code == 302
    copied = list(target.activities.order_by("order").values_list("kind", "title"))
    assert copied == [
        ("go_round", "Welcome"),
        ("board", "Ideas"),
        ("discussion", "Talk it through"),
    ]
    assert all(a.started_at is None for a in target.activities.all())
    # The source is untouched.
    assert session.activities.count() == 3


def test_an_agenda_saved_as_a_template_starts_another_session(session: Any, organiser: Any) -> None:
    client = client_for(organiser)
    response = client.post(
        reverse("agenda_template_save", args=[session.pk]), {"save-name": "Standard session"}
    )
    assert response.status_code == 302
    template = AgendaTemplate.objects.get(programme=session.programme)
    assert [i["title"] for i in template.items] == ["Welcome", "Ideas", "Talk it through"]
    # The same name twice is refused.
    response = client.post(
        reverse("agenda_template_save", args=[session.pk]), {"save-name": "Standard session"}
    )
    assert response.status_code == 400
    assert AgendaTemplate.objects.count() == 1
    target = SessionFactory(programme=session.programme, number=2)
    page = client.get(reverse("session_detail", args=[target.pk])).content.decode()
    assert "Start from a template" in page
    response = client.post(
        reverse("agenda_template_use", args=[target.pk]), {"use-template": str(template.pk)}
    )
    assert response.status_code == 302
    assert list(target.activities.order_by("order").values_list("title", "timebox_minutes")) == [
        (a.title, a.timebox_minutes) for a in session.activities.order_by("order")
    ]


def test_agenda_bad_input_changes_nothing(session: Any, facilitator: Any) -> None:
    client = client_for(facilitator)
    for name, data in [
        ("agenda_copy", {"copy-from_session": "nope"}),
        ("agenda_copy", {"copy-from_session": str(session.pk)}),
        ("agenda_template_use", {"use-template": "999"}),
        ("agenda_template_save", {"save-name": ""}),
        ("agenda_template_save", {"save-name": "bad\x00name"}),
    ]:
        response = client.post(reverse(name, args=[session.pk]), data)
        assert response.status_code == 400, (name, data)
        assert "There is a problem" in response.content.decode()
    assert session.activities.count() == 3
    assert not AgendaTemplate.objects.exists()


def test_an_ended_sessions_agenda_can_be_copied_but_not_changed(
    programme: Any, facilitator: Any
) -> None:
    ended = SessionFactory(programme=programme, status=Session.Status.ENDED)
    ActivityFactory(session=ended, kind="board", title="Ideas")
    target = SessionFactory(programme=programme)
    client = client_for(facilitator)
    assert (
        client.post(
            reverse("agenda_copy", args=[target.pk]), {"copy-from_session": str(ended.pk)}
        ).status_code
        == 302
    )
    assert target.activities.get().title == "Ideas"
    response = client.post(
        reverse("agenda_copy", args=[ended.pk]), {"copy-from_session": str(target.pk)}
    )
    assert response.status_code == 400
    assert Activity.objects.filter(session=ended).count() == 1


# -- "Are you coming?" --------------------------------------------------------------------


def test_a_member_says_they_are_coming_and_the_facilitator_sees_it(
    session: Any, person: Any, carer: Any, facilitator: Any
) -> None:
    client = client_for(person, method="card")
    response = client.post(
        reverse("session_rsvp", args=[session.pk]),
        {"rsvp-answer": "yes", "rsvp-needs": "  A taxi from home\nWheelchair space  "},
    )
    assert response.status_code == 302
    rsvp = Rsvp.objects.get(session=session, user=person)
    assert rsvp.coming and rsvp.needs == "A taxi from home\nWheelchair space"
    client_for(carer).post(reverse("session_rsvp", args=[session.pk]), {"rsvp-answer": "no"})
    # Changing an answer replaces it.
    client.post(reverse("session_rsvp", args=[session.pk]), {"rsvp-answer": "yes"})
    assert Rsvp.objects.filter(user=person).count() == 1
    page = client_for(facilitator).get(reverse("session_detail", args=[session.pk]))
    html = page.content.decode()
    assert "1 coming · 1 not coming" in html
    assert person.display_name in html and carer.display_name in html
    briefing = client_for(facilitator).get(reverse("session_briefing", args=[session.pk]))
    assert "1 coming · 1 not coming" in briefing.content.decode()
    # A member does not see the list.
    assert (
        "Who is coming"
        not in client.get(reverse("session_detail", args=[session.pk])).content.decode()
    )


def test_needs_are_shown_to_the_facilitator_and_on_the_briefing(
    session: Any, person: Any, facilitator: Any
) -> None:
    client_for(person).post(
        reverse("session_rsvp", args=[session.pk]),
        {"rsvp-answer": "yes", "rsvp-needs": "A taxi from home"},
    )
    for name in ("session_detail", "session_briefing"):
        html = client_for(facilitator).get(reverse(name, args=[session.pk])).content.decode()
        assert "A taxi from home" in html, name


def test_bad_rsvp_input_changes_nothing(session: Any, person: Any) -> None:
    client = client_for(person)
    url = reverse("session_rsvp", args=[session.pk])
    for data in (
        {},
        {"rsvp-answer": "maybe"},
        {"rsvp-answer": "yes", "rsvp-needs": "x" * 301},
        {"rsvp-answer": "yes", "rsvp-needs": "taxi\x00"},
    ):
        response = client.post(url, data)
        assert response.status_code == 400, data
        assert "There is a problem" in response.content.decode()
    assert not Rsvp.objects.exists()


def test_a_room_identity_cannot_answer_for_the_person_it_picked(session: Any, person: Any) -> None:
    live_session = LiveSessionFactory(programme=session.programme, number=5)
    # A picked name is limited to its room: the session page and the answer are refused.
    client = client_for(person, method="name")
    store = client.session
    store["comhla_room_scope"] = live_session.pk
    store.save()
    response = client.post(reverse("session_rsvp", args=[session.pk]), {"rsvp-answer": "no"})
    assert response.status_code in (403, 404)
    assert not Rsvp.objects.exists()


def test_a_user_id_in_the_post_cannot_answer_for_someone_else(
    session: Any, person: Any, carer: Any
) -> None:
    client_for(person).post(
        reverse("session_rsvp", args=[session.pk]),
        {"rsvp-answer": "no", "user": str(carer.pk), "rsvp-user": str(carer.pk)},
    )
    assert list(Rsvp.objects.values_list("user_id", flat=True)) == [person.pk]
