"""Services for programmes, sessions, agendas, joining and admission."""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from participants.models import Membership, Role
from tests.factories import AttendanceFactory, SessionFactory, StaffUserFactory
from tests.helpers import captured_broadcasts
from workshops import services
from workshops.models import Attendance, Session
from workshops.room import broadcast

pytestmark = pytest.mark.django_db


def test_programme_create_makes_the_creator_its_organiser() -> None:
    creator = StaffUserFactory()
    today = timezone.localdate()
    programme = services.programme_create(
        name="KiP", site="Fife", focus="", starts_on=today, ends_on=today, created_by=creator
    )
    assert Membership.objects.get(programme=programme, user=creator).role == Role.ORGANISER


def test_programme_create_refuses_an_end_before_the_start() -> None:
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        services.programme_create(
            name="KiP",
            site="Fife",
            focus="",
            starts_on=today,
            ends_on=today - timedelta(days=1),
            created_by=StaffUserFactory(),
        )


def test_sessions_are_numbered_in_order_with_a_join_code(programme: Any) -> None:
    start = timezone.now() + timedelta(days=1)
    first = services.session_schedule(
        programme=programme, title="One", starts_at=start, ends_at=start + timedelta(hours=2)
    )
    second = services.session_schedule(
        programme=programme, title="Two", starts_at=start, ends_at=start + timedelta(hours=2)
    )
    assert (first.number, second.number) == (1, 2)
    assert first.join_code and len(first.join_code) == 6 and first.join_code.isdigit()
    assert first.join_code != second.join_code


def test_a_session_must_end_after_it_starts(programme: Any) -> None:
    start = timezone.now()
    with pytest.raises(ValidationError):
        services.session_schedule(programme=programme, title="x", starts_at=start, ends_at=start)
    assert not Session.objects.exists()


def test_activities_go_to_the_end_of_the_agenda(session: Any) -> None:
    added = services.activity_add(session=session, kind="break", title="Tea", timebox_minutes=15)
    assert list(session.activities.order_by("order").values_list("title", flat=True))[-1] == "Tea"
    assert added.order > 0


def test_activity_timebox_must_be_sensible(session: Any) -> None:
    with pytest.raises(ValidationError):
        services.activity_add(session=session, kind="break", title="Tea", timebox_minutes=0)


def test_opening_makes_the_first_activity_current_and_tells_the_room(
    session: Any, facilitator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with captured_broadcasts(django_capture_on_commit_callbacks, expected=2) as pushes:
        services.session_open(session=session)
    session.refresh_from_db()
    assert session.status == Session.Status.LIVE
    assert session.current_activity.title == "Welcome"
    assert pushes.groups() == [
        broadcast.room_group(session.pk),
        broadcast.facilitators_group(session.pk),
    ]
    room_frame = pushes.frames()[0]
    assert room_frame["seq"] == 1 and 'id="activity"' in room_frame["content"]


def test_opening_twice_is_refused(session: Any, facilitator: Any) -> None:
    services.session_open(session=session)
    with pytest.raises(ValidationError):
        services.session_open(session=session)


def test_moving_the_room_pushes_the_new_activity_with_the_next_seq(
    live_session: Any, facilitator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    ideas = live_session.activities.get(title="Ideas")
    with captured_broadcasts(django_capture_on_commit_callbacks, expected=3) as pushes:
        services.session_move_to_activity(session=live_session, activity_id=ideas.pk)
    live_session.refresh_from_db()
    assert live_session.current_activity == ideas
    room = pushes.frames(broadcast.room_group(live_session.pk))
    assert [f["seq"] for f in room] == [1]
    assert "Ideas" in room[0]["content"]
    assert room[0]["announce"] == "The room has moved to: Ideas"
    assert pushes.events() == ["activity_changed", "activity_changed", "agenda_changed"]


def test_moving_the_room_tells_facilitators_of_the_two_agenda_items_that_changed(
    live_session: Any, facilitator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # The agenda is the same but for which item is "Now": a move sends those two items, not
    # the whole agenda (rendered and sent again for every move, a third of a move's CPU).
    welcome = live_session.activities.get(title="Welcome")
    ideas = live_session.activities.get(title="Ideas")
    with captured_broadcasts(django_capture_on_commit_callbacks, expected=3) as pushes:
        services.session_move_to_activity(session=live_session, activity_id=ideas.pk)
    (agenda,) = [
        f
        for f in pushes.frames(broadcast.facilitators_group(live_session.pk))
        if f["event"] == "agenda_changed"
    ]
    items = re.findall(r'<li id="agenda-item-(\d+)"[^>]*hx-swap-oob="true"', agenda["content"])
    assert sorted(items) == sorted([str(welcome.pk), str(ideas.pk)])
    assert "Talk it through" not in agenda["content"]
    assert 'id="agenda"' not in agenda["content"]
    now_item = agenda["content"].split(f'id="agenda-item-{ideas.pk}"')[1].split("</li>")[0]
    assert "Now" in now_item and "Move room here" not in now_item
    welcome_item = agenda["content"].split(f'id="agenda-item-{welcome.pk}"')[1].split("</li>")[0]
    assert 'Move room here<span class="govuk-visually-hidden"> to Welcome' in welcome_item


def test_moving_to_an_activity_of_another_session_changes_nothing(
    live_session: Any, facilitator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    other = SessionFactory(programme=live_session.programme, number=9)
    foreign = other.activities.create(kind="break", title="Elsewhere", order=0)
    before = live_session.current_activity_id
    with (
        captured_broadcasts(django_capture_on_commit_callbacks, expected=0),
        pytest.raises(ValidationError),
    ):
        services.session_move_to_activity(session=live_session, activity_id=foreign.pk)
    live_session.refresh_from_db()
    assert live_session.current_activity_id == before
    assert live_session.seq == 0


def test_a_rolled_back_change_sends_nothing(
    live_session: Any, facilitator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.db import transaction

    ideas = live_session.activities.get(title="Ideas")
    with captured_broadcasts(django_capture_on_commit_callbacks, expected=0):
        try:
            with transaction.atomic():
                services.session_move_to_activity(session=live_session, activity_id=ideas.pk)
                raise RuntimeError("boom")
        except RuntimeError:
            pass
    live_session.refresh_from_db()
    assert live_session.current_activity.title == "Welcome"


def test_ending_checks_everyone_out_kills_the_code_and_closes_the_room(
    live_session: Any, facilitator: Any, person: Any, django_capture_on_commit_callbacks: Any
) -> None:
    attendance = AttendanceFactory(session=live_session, user=person)
    with captured_broadcasts(django_capture_on_commit_callbacks) as pushes:
        services.session_end(session=live_session)
    live_session.refresh_from_db()
    attendance.refresh_from_db()
    assert live_session.status == Session.Status.ENDED
    assert live_session.join_code is None
    assert attendance.checked_out_at is not None
    closes = [m for _, m in pushes.messages if m["type"] == "room.close"]
    assert closes == [{"type": "room.close", "code": 4000}]


def test_joining_an_open_session_by_name_admits_and_checks_in(
    live_session: Any, person: Any
) -> None:
    user, attendance = services.person_join_session(session=live_session, user=person)
    assert user == person
    assert attendance.admission == Attendance.Admission.ADMITTED
    assert attendance.checked_in_at is not None


def test_joining_as_someone_new_creates_them_in_the_programme(live_session: Any) -> None:
    user, attendance = services.person_join_session(
        session=live_session, new_name="  Davie Stewart ", role=Role.CARER
    )
    assert user.display_name == "Davie Stewart"
    assert not user.has_usable_password()
    assert Membership.objects.get(user=user).role == Role.CARER
    assert attendance.admission == Attendance.Admission.ADMITTED


@pytest.mark.parametrize(
    ("name", "role"),
    [("", Role.CARER), ("   ", Role.CARER), ("Davie", ""), ("Davie", Role.ORGANISER)],
)
def test_joining_as_someone_new_needs_a_name_and_a_participant_role(
    live_session: Any, name: str, role: str
) -> None:
    with pytest.raises(ValidationError):
        services.person_join_session(session=live_session, new_name=name, role=role)
    assert not Attendance.objects.exists()


def test_a_waiting_list_holds_people_until_admitted(
    live_session: Any, person: Any, facilitator: Any
) -> None:
    services.session_set_admission(session=live_session, admission="waiting")
    _, attendance = services.person_join_session(session=live_session, user=person)
    assert attendance.admission == Attendance.Admission.WAITING
    assert attendance.checked_in_at is None
    services.attendance_admit(session=live_session, user_id=person.pk, by=facilitator)
    attendance.refresh_from_db()
    assert attendance.admission == Attendance.Admission.ADMITTED
    assert attendance.admitted_by == facilitator


def test_a_removed_person_cannot_rejoin_by_code_but_can_be_let_back_in(
    live_session: Any, person: Any, facilitator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    services.person_join_session(session=live_session, user=person)
    with captured_broadcasts(django_capture_on_commit_callbacks) as pushes:
        services.attendance_remove(session=live_session, user_id=person.pk, by=facilitator)
    assert (
        broadcast.person_group(live_session.pk, person.pk),
        {"type": "room.close", "code": 4403},
    ) in pushes.messages
    _, attendance = services.person_join_session(session=live_session, user=person)
    assert attendance.admission == Attendance.Admission.REMOVED
    services.attendance_admit(session=live_session, user_id=person.pk, by=facilitator)
    attendance.refresh_from_db()
    assert attendance.admission == Attendance.Admission.ADMITTED
    assert attendance.checked_out_at is None


def test_an_ended_session_joins_nobody(live_session: Any, person: Any, facilitator: Any) -> None:
    services.session_end(session=live_session)
    live_session.refresh_from_db()
    with pytest.raises(ValidationError):
        services.person_join_session(session=live_session, user=person)


def test_someone_from_another_programme_cannot_join_by_picking_a_name(
    live_session: Any, outsider: Any
) -> None:
    with pytest.raises(ValidationError):
        services.person_join_session(session=live_session, user=outsider)
    assert not Attendance.objects.exists()


def test_the_turn_limit_must_be_sensible(live_session: Any) -> None:
    for seconds in (-5, 0, 10, 100_000):
        with pytest.raises(ValidationError):
            services.session_set_turn_limit(session=live_session, seconds=seconds)
    services.session_set_turn_limit(session=live_session, seconds=90)
    live_session.refresh_from_db()
    assert live_session.turn_time_limit_seconds == 90


# Co-facilitators ----------------------------------------------------------------------------


def test_marking_a_co_facilitator_tells_the_facilitators_and_reconnects_their_screens(
    live_session: Any, facilitator: Any, person: Any, django_capture_on_commit_callbacks: Any
) -> None:
    AttendanceFactory(session=live_session, user=person)
    with captured_broadcasts(django_capture_on_commit_callbacks, expected=2) as pushes:
        services.attendance_set_co_facilitator(
            session=live_session, user_id=person.pk, co_facilitator=True, by=facilitator
        )
    assert Attendance.objects.get(user=person).co_facilitator
    (panel,) = pushes.frames(broadcast.facilitators_group(live_session.pk))
    assert panel["event"] == "co_facilitator_changed"
    assert "Co-facilitator" in panel["content"] and "Stop co-facilitating" in panel["content"]
    assert (
        broadcast.person_group(live_session.pk, person.pk),
        {"type": "room.close", "code": broadcast.CLOSE_REJOIN},
    ) in pushes.messages
    # The same press again (a double click, a second facilitator) changes and sends nothing.
    with captured_broadcasts(django_capture_on_commit_callbacks, expected=0):
        services.attendance_set_co_facilitator(
            session=live_session, user_id=person.pk, co_facilitator=True, by=facilitator
        )
    with captured_broadcasts(django_capture_on_commit_callbacks, expected=2) as pushes:
        services.attendance_set_co_facilitator(
            session=live_session, user_id=person.pk, co_facilitator=False, by=facilitator
        )
    assert not Attendance.objects.get(user=person).co_facilitator
    assert "Make co-facilitator" in pushes.frames()[0]["content"]


def test_marking_a_co_facilitator_keeps_their_role(
    live_session: Any, facilitator: Any, carer: Any
) -> None:
    AttendanceFactory(session=live_session, user=carer)
    services.attendance_set_co_facilitator(
        session=live_session, user_id=carer.pk, co_facilitator=True, by=facilitator
    )
    assert Membership.objects.get(user=carer).role == Role.CARER


def test_marking_refuses_what_is_not_a_contributor_in_a_live_room(
    live_session: Any,
    facilitator: Any,
    practitioner: Any,
    person: Any,
    carer: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    AttendanceFactory(session=live_session, user=practitioner)
    AttendanceFactory(session=live_session, user=person)
    AttendanceFactory(session=live_session, user=carer, admission=Attendance.Admission.WAITING)
    cases = [
        (practitioner.pk, facilitator, "lived experience or an unpaid carer"),
        (carer.pk, facilitator, "not in the room"),
        (person.pk, person, "cannot make yourself"),
    ]
    with captured_broadcasts(django_capture_on_commit_callbacks, expected=0):
        for user_id, by, message in cases:
            with pytest.raises(ValidationError, match=message):
                services.attendance_set_co_facilitator(
                    session=live_session, user_id=user_id, co_facilitator=True, by=by
                )
        live_session.status = Session.Status.ENDED
        live_session.save()
        with pytest.raises(ValidationError, match="while the session is live"):
            services.attendance_set_co_facilitator(
                session=live_session, user_id=person.pk, co_facilitator=True, by=facilitator
            )
    assert not Attendance.objects.filter(co_facilitator=True).exists()


def test_removing_a_co_facilitator_ends_it_and_letting_them_back_does_not_restore_it(
    live_session: Any, facilitator: Any, person: Any
) -> None:
    AttendanceFactory(session=live_session, user=person, co_facilitator=True)
    services.attendance_remove(session=live_session, user_id=person.pk, by=facilitator)
    assert not Attendance.objects.get(user=person).co_facilitator
    services.attendance_admit(session=live_session, user_id=person.pk, by=facilitator)
    assert not Attendance.objects.get(user=person).co_facilitator


def test_a_co_facilitator_may_stop_co_facilitating_themselves(
    live_session: Any, person: Any
) -> None:
    AttendanceFactory(session=live_session, user=person, co_facilitator=True)
    services.attendance_set_co_facilitator(
        session=live_session, user_id=person.pk, co_facilitator=False, by=person
    )
    assert not Attendance.objects.get(user=person).co_facilitator
