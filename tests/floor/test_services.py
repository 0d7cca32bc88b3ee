"""The floor's services: hands, turns, go-rounds, the record, and what each pushes."""

import importlib
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from participants.models import Role
from tests.factories import AttendanceFactory, MembershipFactory, SessionFactory, UserFactory
from tests.helpers import captured_broadcasts, race
from workshops import services as workshop_services
from workshops.floor import selectors, services, voices
from workshops.floor.models import BalanceRecord, GoRound, Turn
from workshops.room import broadcast

pytestmark = pytest.mark.django_db


@pytest.fixture
def room(live_session: Any, person: Any, carer: Any, practitioner: Any) -> dict[str, Any]:
    """A live room with a person with lived experience, a carer and a practitioner in it."""
    for user in (person, carer, practitioner):
        AttendanceFactory(session=live_session, user=user)
    return {"session": live_session, "person": person, "carer": carer, "practitioner": practitioner}


def speak(turn: Turn, seconds: int) -> None:
    """Pretend a finished turn lasted this long."""
    turn.refresh_from_db()
    turn.started_at = timezone.now() - timedelta(seconds=seconds)
    turn.ended_at = timezone.now()
    turn.status = Turn.Status.DONE
    turn.save()


def test_a_hand_raised_twice_is_one_hand(room: dict[str, Any]) -> None:
    first = services.hand_raise(session=room["session"], user=room["person"])
    second = services.hand_raise(session=room["session"], user=room["person"])
    assert first.pk == second.pk
    assert Turn.objects.filter(status="waiting").count() == 1


def test_lowering_a_hand_takes_it_out_of_the_queue(room: dict[str, Any]) -> None:
    services.hand_raise(session=room["session"], user=room["person"])
    services.hand_lower(session=room["session"], user=room["person"])
    assert selectors.hand_queue(session=room["session"]) == []


def test_raising_a_hand_outside_the_session_is_refused(room: dict[str, Any], outsider: Any) -> None:
    with pytest.raises(ValidationError):
        services.hand_raise(session=room["session"], user=outsider)
    not_admitted = UserFactory()
    MembershipFactory(user=not_admitted, programme=room["session"].programme, role=Role.CARER)
    with pytest.raises(ValidationError):
        services.hand_raise(session=room["session"], user=not_admitted)
    assert not Turn.objects.exists()


def test_next_gives_the_floor_to_the_least_heard_even_if_they_raised_second(
    room: dict[str, Any], facilitator: Any
) -> None:
    session, practitioner, person = room["session"], room["practitioner"], room["person"]
    # The practitioner has spoken once already this session.
    services.floor_give(session=session, by=facilitator, person_id=practitioner.pk)
    speak(Turn.objects.get(person=practitioner), 90)
    services.hand_raise(session=session, user=practitioner)
    services.hand_raise(session=session, user=person)
    queue = selectors.hand_queue(session=session)
    assert [r.user_id for r in queue] == [person.pk, practitioner.pk]
    assert queue[0].reason == "Has not spoken yet"
    turn = services.floor_next(
        session=session, by=facilitator, expected_speaker_id=None, expected_next_id=queue[0].turn_id
    )
    assert turn.person == person and turn.status == Turn.Status.SPEAKING
    assert not turn.overrode_order


def test_giving_the_floor_out_of_order_is_recorded(room: dict[str, Any], facilitator: Any) -> None:
    session = room["session"]
    services.hand_raise(session=session, user=room["person"])
    services.hand_raise(session=session, user=room["carer"])
    turn = services.floor_give(session=session, by=facilitator, person_id=room["carer"].pk)
    assert turn.overrode_order and turn.given_by == facilitator


def test_a_stale_next_changes_nothing(room: dict[str, Any], facilitator: Any) -> None:
    """Two facilitators press "next" on the same screen: the second finds the floor moved."""
    session = room["session"]
    services.hand_raise(session=session, user=room["person"])
    services.hand_raise(session=session, user=room["carer"])
    seen_next = selectors.floor_state(session=session).next_turn_id
    services.floor_next(
        session=session, by=facilitator, expected_speaker_id=None, expected_next_id=seen_next
    )
    with pytest.raises(ValidationError, match="already moved on"):
        services.floor_next(
            session=session, by=facilitator, expected_speaker_id=None, expected_next_id=seen_next
        )
    assert Turn.objects.filter(status="speaking").count() == 1
    assert Turn.objects.filter(status="waiting").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_facilitators_pressing_next_together_give_the_floor_once(
    room: dict[str, Any], facilitator: Any, organiser: Any
) -> None:
    session = room["session"]
    services.hand_raise(session=session, user=room["person"])
    services.hand_raise(session=session, user=room["carer"])
    seen_next = selectors.floor_state(session=session).next_turn_id
    outcomes = race(
        *(
            lambda by=by: services.floor_next(
                session=session, by=by, expected_speaker_id=None, expected_next_id=seen_next
            )
            for by in (facilitator, organiser)
        )
    )
    assert outcomes == ["done", "refused"], (connection.vendor, outcomes)
    assert Turn.objects.filter(status="speaking").count() == 1
    assert Turn.objects.filter(status="waiting").count() == 1


def test_only_the_speaker_or_a_facilitator_ends_a_turn(
    room: dict[str, Any], facilitator: Any
) -> None:
    session = room["session"]
    turn = services.floor_give(session=session, by=facilitator, person_id=room["person"].pk)
    with pytest.raises(PermissionDenied):
        services.turn_end(session=session, by=room["carer"], turn_id=turn.pk)
    services.turn_end(session=session, by=room["person"], turn_id=turn.pk)
    turn.refresh_from_db()
    assert turn.status == Turn.Status.DONE and turn.ended_at is not None


def test_only_facilitators_give_the_floor(room: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied):
        services.floor_give(session=room["session"], by=room["person"], person_id=room["carer"].pk)
    with pytest.raises(PermissionDenied):
        services.floor_next(
            session=room["session"],
            by=room["person"],
            expected_speaker_id=None,
            expected_next_id=None,
        )
    assert not Turn.objects.exists()


def test_a_supported_turn_counts_as_the_persons_voice(
    room: dict[str, Any], facilitator: Any
) -> None:
    session = room["session"]
    turn = services.floor_give(
        session=session, by=facilitator, person_id=room["person"].pk, supported=True
    )
    assert turn.supported_by == facilitator and turn.person == room["person"]
    speak(turn, 60)
    assert selectors.heard_so_far(session=session)[room["person"].pk] == (
        1,
        pytest.approx(60, abs=1),
    )
    assert facilitator.pk not in selectors.heard_so_far(session=session)


def test_a_go_round_runs_least_heard_first_with_a_pass_and_a_skip(
    room: dict[str, Any], facilitator: Any
) -> None:
    session = room["session"]
    services.floor_give(session=session, by=facilitator, person_id=room["practitioner"].pk)
    speak(Turn.objects.get(person=room["practitioner"]), 120)
    go_round = services.round_start(session=session, by=facilitator)
    order = list(go_round.turns.order_by("round_position").values_list("person_id", flat=True))
    assert order[-1] == room["practitioner"].pk  # heard most, goes last
    assert facilitator.pk not in order
    first = Turn.objects.get(go_round=go_round, status="speaking")
    assert first.person_id == order[0]
    services.turn_pass(session=session, by=first.person, turn_id=first.pk)
    second = Turn.objects.get(go_round=go_round, status="speaking")
    assert second.person_id == order[1]
    services.round_set_status(session=session, by=facilitator, status="paused")
    third = Turn.objects.get(go_round=go_round, person_id=order[2])
    services.round_skip(session=session, by=facilitator, turn_id=third.pk)
    services.turn_end(session=session, by=facilitator, turn_id=second.pk)
    services.round_set_status(session=session, by=facilitator, status="running")
    statuses = dict(go_round.turns.values_list("person_id", "status"))
    assert statuses == {order[0]: "passed", order[1]: "done", order[2]: "skipped"}
    assert GoRound.objects.get().status == GoRound.Status.DONE


def test_a_second_go_round_cannot_open_while_one_is_open(
    room: dict[str, Any], facilitator: Any
) -> None:
    services.round_start(session=room["session"], by=facilitator)
    with pytest.raises(ValidationError):
        services.round_start(session=room["session"], by=facilitator)


def test_the_balance_tells_the_truth(room: dict[str, Any], facilitator: Any) -> None:
    session = room["session"]
    for user, seconds in ((room["person"], 60), (room["practitioner"], 180)):
        services.floor_give(session=session, by=facilitator, person_id=user.pk)
        speak(Turn.objects.get(person=user), seconds)
    present = {room["person"].pk, room["carer"].pk, room["practitioner"].pk, facilitator.pk}
    picture = voices.balance(session=session, present=present)
    groups = {g.label: g for g in picture.groups}
    assert groups["Practitioners"].share_of_airtime == pytest.approx(75, abs=0.5)
    assert groups["People with lived experience"].share_of_airtime == pytest.approx(25, abs=0.5)
    assert groups["Unpaid carers"].share_of_people == pytest.approx(25)
    # Airtimes among the four present: 0, 0, 60, 180 → Gini 0.625 by hand → index 37.5.
    assert picture.index == pytest.approx(37.5, abs=0.2)
    assert [p.user_id for p in picture.not_yet_heard] == [room["carer"].pk]


def test_ending_the_session_keeps_the_summary(room: dict[str, Any], facilitator: Any) -> None:
    session = room["session"]
    services.floor_give(session=session, by=facilitator, person_id=room["person"].pk)
    services.hand_raise(session=session, user=room["carer"])
    workshop_services.session_end(session=session)
    record = BalanceRecord.objects.get(session=session)
    assert record.balance_index is not None
    people = {p["user_id"]: p for p in record.figures["people"]}
    assert people[room["person"].pk]["turns"] == 1
    assert not Turn.objects.filter(status__in=["speaking", "waiting"]).exists()


def test_a_session_where_nobody_took_the_floor_is_kept_as_no_turns_and_no_index(
    room: dict[str, Any], facilitator: Any
) -> None:
    session = room["session"]
    # A hand went up and came down again: nobody took the floor.
    services.hand_raise(session=session, user=room["carer"])
    services.hand_lower(session=session, user=room["carer"])
    workshop_services.session_end(session=session)
    record = BalanceRecord.objects.get(session=session)
    assert (record.balance_index, record.turns_taken, record.no_turns_taken) == (None, 0, True)
    assert record.figures["turns_taken"] == 0
    # Everyone in the room is still listed, with no turns and no airtime.
    assert {p["user_id"] for p in record.figures["people"]} >= {
        room["person"].pk,
        room["carer"].pk,
        room["practitioner"].pk,
    }
    assert all(p["turns"] == 0 for p in record.figures["people"])


def test_the_record_counts_the_turns_and_its_index_by_hand(
    room: dict[str, Any], facilitator: Any
) -> None:
    session = room["session"]
    for user, seconds in ((room["person"], 30), (room["practitioner"], 90)):
        services.floor_give(session=session, by=facilitator, person_id=user.pk)
        speak(Turn.objects.get(person=user), seconds)
    # Only the two who spoke are counted as present: 30 s and 90 s → Gini 0.25 → 75.0.
    present = {room["person"].pk, room["practitioner"].pk}
    record = services.balance_record(session=session, present=present)
    assert (record.turns_taken, record.no_turns_taken) == (2, False)
    assert record.balance_index == pytest.approx(75, abs=0.1)


def test_a_record_with_no_turns_cannot_keep_an_index(room: dict[str, Any]) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        BalanceRecord.objects.create(
            session=room["session"], balance_index=Decimal("100.0"), turns_taken=0
        )


def test_records_kept_before_turns_were_counted_are_corrected(room: dict[str, Any]) -> None:
    migration = importlib.import_module("workshops.floor.migrations.0002_balance_turns_taken")
    quiet = BalanceRecord.objects.create(
        session=room["session"],
        balance_index=Decimal("100.0"),
        figures={"people": [{"user_id": 1, "turns": 0}, {"user_id": 2, "turns": 0}]},
    )
    spoken = BalanceRecord.objects.create(
        session=SessionFactory(programme=room["session"].programme, number=2),
        balance_index=Decimal("62.5"),
        figures={"people": [{"user_id": 1, "turns": 2}, {"user_id": 2, "turns": 1}]},
    )
    migration.count_turns(apps, None)
    quiet.refresh_from_db()
    spoken.refresh_from_db()
    assert (quiet.balance_index, quiet.turns_taken, quiet.figures["turns_taken"]) == (None, 0, 0)
    assert (spoken.balance_index, spoken.turns_taken) == (Decimal("62.5"), 3)


def test_raising_a_hand_pushes_to_the_room_facilitators_and_the_person(
    room: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    session, person = room["session"], room["person"]
    with captured_broadcasts(django_capture_on_commit_callbacks, expected=3) as pushes:
        services.hand_raise(session=session, user=person)
    assert pushes.groups() == [
        broadcast.room_group(session.pk),
        broadcast.facilitators_group(session.pk),
        broadcast.person_group(session.pk, person.pk),
    ]
    room_html, staff_html, mine = (f["content"] for f in pushes.frames())
    assert 'id="floor"' in room_html and person.display_name in room_html
    # What the whole room gets holds nobody's figures.
    assert "Has not spoken yet" not in room_html and 'id="balance"' not in room_html
    assert 'id="floor-queue"' in staff_html
    # A hand going up changes nobody's airtime: the balance is not redrawn.
    assert 'id="balance"' not in staff_html
    assert "Your hand is up" in mine and "You are next" in mine


def test_your_turn_is_announced_to_you(
    room: dict[str, Any], facilitator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    session, person = room["session"], room["person"]
    with captured_broadcasts(django_capture_on_commit_callbacks) as pushes:
        services.floor_give(session=session, by=facilitator, person_id=person.pk)
    mine = pushes.frames(broadcast.person_group(session.pk, person.pk))
    assert mine and mine[-1]["announce"] == "It is your turn to speak"
    assert 'data-your-turn="1"' in mine[-1]["content"]


def test_a_refused_change_pushes_nothing(
    room: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with (
        captured_broadcasts(django_capture_on_commit_callbacks, expected=0),
        pytest.raises(PermissionDenied),
    ):
        services.floor_give(session=room["session"], by=room["person"], person_id=room["carer"].pk)


def test_changing_the_time_limit_mid_turn_reaches_the_speakers_own_panel(
    room: dict[str, Any], facilitator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    session, person = room["session"], room["person"]
    services.floor_give(session=session, by=facilitator, person_id=person.pk)
    with captured_broadcasts(django_capture_on_commit_callbacks) as pushes:
        workshop_services.session_set_turn_limit(session=session, seconds=30)
        services.floor_refresh(session=session)
    mine = pushes.frames(broadcast.person_group(session.pk, person.pk))
    assert mine, "the speaker's own panel was not pushed"
    assert 'data-turn-limit="30"' in mine[-1]["content"]
    staff = pushes.frames(broadcast.facilitators_group(session.pk))[-1]["content"]
    assert 'data-turn-limit="30"' in staff


def test_time_is_up_is_for_the_speaker_and_the_facilitators_only(
    room: dict[str, Any], facilitator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    session, person = room["session"], room["person"]
    with captured_broadcasts(django_capture_on_commit_callbacks) as pushes:
        services.floor_give(session=session, by=facilitator, person_id=person.pk)
    room_html = pushes.frames(broadcast.room_group(session.pk))[-1]["content"]
    staff_html = pushes.frames(broadcast.facilitators_group(session.pk))[-1]["content"]
    mine = pushes.frames(broadcast.person_group(session.pk, person.pk))[-1]["content"]
    assert person.display_name in room_html
    assert "Time is up" not in room_html and "data-turn-limit" not in room_html
    for html in (staff_html, mine):
        assert "Time is up" in html and 'data-turn-limit="120"' in html


def _balance_html(session: Any, present: set[int]) -> str:
    from django.template.loader import render_to_string

    picture = voices.balance(session=session, present=present)
    return render_to_string(
        "floor/panels.html#balance", {"session": session, "balance": picture, "oob": False}
    )


def test_the_balance_says_no_one_has_spoken_until_someone_has(
    room: dict[str, Any], facilitator: Any
) -> None:
    session = room["session"]
    present = {room["person"].pk, room["carer"].pk, facilitator.pk}
    before = _balance_html(session, present)
    assert "No one has spoken yet" in before
    assert "out of 100" not in before and "data-balance-index" not in before
    services.floor_give(session=session, by=facilitator, person_id=room["person"].pk)
    speak(Turn.objects.get(person=room["person"]), 60)
    after = _balance_html(session, present)
    assert "No one has spoken yet" not in after
    assert "out of 100" in after
