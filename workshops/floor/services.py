"""Every write to the floor: hands, turns, go-rounds, the time limit, the balance record.

Each service locks the session row first (select_for_update: a row lock on PostgreSQL; on
SQLite every write transaction is already serialised), so two facilitators pressing "next" at
the same moment move the floor once. Each change is then announced by
workshops/floor/broadcasts.py.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.models import STEERING_ROLES, Membership, User
from workshops.access import Action, can_on_session, room_access
from workshops.floor import broadcasts, render, selectors, voices
from workshops.floor.fairness import Waiting, least_heard_first
from workshops.floor.models import BalanceRecord, GoRound, Turn
from workshops.models import Session


def _lock(session: Session) -> Session:
    """Lock the session row for the rest of the transaction (see module docstring)."""
    return Session.objects.select_for_update().select_related("programme").get(pk=session.pk)


def _check_live(session: Session) -> None:
    if session.status != Session.Status.LIVE:
        raise ValidationError(_("The session is not live"))


def _check_steers(by: User, session: Session) -> None:
    if not can_on_session(by, Action.STEER, session):
        raise PermissionDenied(_("Only a facilitator can do that"))


def _in_room(user_id: int, session: Session) -> Membership:
    """The person's membership (with the person), if they may be in this session's room."""
    membership = (
        Membership.objects.select_related("user")
        .filter(user_id=user_id, programme_id=session.programme_id, left_on__isnull=True)
        .first()
    )
    if membership is None or not room_access(membership, session):
        raise ValidationError(_("You are not in this session"))
    return membership


def _floor_open_to(name: str) -> str:
    """What screen readers hear when someone is given the floor."""
    return _("The floor is open to %(name)s") % {"name": name}


def _start(turn: Turn, *, by: User | None, supported: bool = False) -> Turn:
    turn.status = Turn.Status.SPEAKING
    turn.started_at = timezone.now()
    turn.given_by = by
    if supported:
        turn.supported_by = by
    turn.save(update_fields=["status", "started_at", "given_by", "supported_by", "overrode_order"])
    return turn


def _finish(turn: Turn, status: str = Turn.Status.DONE) -> None:
    turn.status = status
    if turn.started_at is not None:
        turn.ended_at = timezone.now()
    turn.save(update_fields=["status", "ended_at"])


def _current(session: Session) -> Turn | None:
    return Turn.objects.filter(session=session, status=Turn.Status.SPEAKING).first()


@transaction.atomic
def hand_raise(*, session: Session, user: User) -> Turn:
    """Raise a hand; raising it again changes nothing."""
    session = _lock(session)
    _check_live(session)
    _in_room(user.pk, session)
    state = render.floor_for_facilitators(session)
    existing = next((t for t in state.hands.values() if t.person_id == user.pk), None)
    if existing is not None:
        return existing
    turn = Turn.objects.create(session=session, person=user, mode=Turn.Mode.HAND)
    after = selectors.floor_after(state, added=[turn])
    broadcasts.push_floor(
        session, event="hand_raised", people=[user.pk], airtime_changed=False, state=after
    )
    return turn


@transaction.atomic
def hand_lower(*, session: Session, user: User) -> None:
    """Lower one's own hand."""
    session = _lock(session)
    updated = Turn.objects.filter(
        session=session, person=user, mode=Turn.Mode.HAND, status=Turn.Status.WAITING
    ).update(status=Turn.Status.WITHDRAWN)
    if updated:
        broadcasts.push_floor(
            session, event="hand_lowered", people=[user.pk], airtime_changed=False
        )


def _next_in_round(session: Session) -> Turn | None:
    go_round = GoRound.objects.filter(session=session, status=GoRound.Status.RUNNING).first()
    if go_round is None:
        return None
    upcoming = go_round.turns.filter(status=Turn.Status.WAITING).order_by("round_position").first()
    if upcoming is None:
        go_round.status = GoRound.Status.DONE
        go_round.save(update_fields=["status"])
    return upcoming


def _advance(
    session: Session, *, by: User | None, state: selectors.FloorState | None = None
) -> Turn | None:
    """Give the floor to whoever is next: the go-round if one runs, else the least heard hand.

    Given the floor as worked out at the start of this change, whoever it said is next.
    """
    if state is not None:
        going = state.round
        if going and going.go_round.status == GoRound.Status.RUNNING and not going.waiting:
            going.go_round.status = GoRound.Status.DONE
            going.go_round.save(update_fields=["status"])
        upcoming = state.turn(state.next_turn_id)
    else:
        upcoming = _next_in_round(session)
        if upcoming is None:
            queue = selectors.hand_queue(session=session)
            upcoming = Turn.objects.get(pk=queue[0].turn_id) if queue else None
    if upcoming is not None:
        _start(upcoming, by=by)
    return upcoming


@transaction.atomic
def floor_next(
    *, session: Session, by: User, expected_speaker_id: int | None, expected_next_id: int | None
) -> Turn | None:
    """End the current turn and give the floor to whoever is next.

    The caller says what it saw (the speaker and who was next): if the floor has moved since,
    nothing happens, so two facilitators pressing "next" together move it once.
    """
    session = _lock(session)
    _check_live(session)
    _check_steers(by, session)
    # Worked out once, with who is present: it checks what the caller saw, says who is next,
    # and lends its names to the push.
    state = render.floor_for_facilitators(session)
    current = state.speaker
    if (current.pk if current else None) != expected_speaker_id:
        raise ValidationError(_("The floor has already moved on: the screen now shows who has it"))
    if state.next_turn_id != expected_next_id:
        raise ValidationError(_("The queue has changed: check who is next and try again"))
    previous = []
    if current is not None:
        _finish(current)
        previous = [current.person_id]
    upcoming = _advance(session, by=by, state=state)
    if current is None and upcoming is None:
        raise ValidationError(_("Nobody is waiting for the floor"))
    people = previous + ([upcoming.person_id] if upcoming else [])
    broadcasts.push_floor(
        session,
        event="floor_given",
        people=people,
        announce=_floor_open_to(state.next_name or _("someone")) if upcoming else "",
        state=selectors.floor_after(state),
    )
    return upcoming


@transaction.atomic
def floor_give(*, session: Session, by: User, person_id: int, supported: bool = False) -> Turn:
    """Give the floor to a particular person (a raised hand, or anyone in the room).

    Giving it to someone other than the least heard person waiting is recorded as an override.
    With `supported`, a facilitator or supporter speaks for them: it counts as their voice.
    """
    session = _lock(session)
    _check_live(session)
    _check_steers(by, session)
    try:
        person = _in_room(person_id, session).user
    except ValidationError:
        if not User.objects.filter(pk=person_id).exists():
            raise ValidationError(_("Choose someone in the room")) from None
        raise
    state = render.floor_for_facilitators(session)
    queue = state.queue
    current = state.speaker
    affected = [person.pk]
    if current is not None:
        _finish(current)
        affected.append(current.person_id)
    hand = next((row for row in queue if row.user_id == person.pk), None)
    turn = state.turn(hand.turn_id) if hand else None
    overrode = bool(queue) and queue[0].user_id != person.pk
    added = []
    if turn is None:
        turn = Turn(session=session, person=person, mode=Turn.Mode.HAND, overrode_order=overrode)
        turn.save()
        added.append(turn)
    else:
        turn.overrode_order = overrode
    _start(turn, by=by, supported=supported)
    broadcasts.push_floor(
        session,
        event="floor_given",
        people=affected,
        announce=_floor_open_to(person.display_name),
        state=selectors.floor_after(state, added=added),
    )
    return turn


@transaction.atomic
def turn_end(*, session: Session, by: User, turn_id: int) -> Turn:
    """End a turn: the speaker may end their own; a facilitator any."""
    session = _lock(session)
    state = render.floor_for_facilitators(session)
    turn = state.speaker
    if turn is None or turn.pk != turn_id:
        raise ValidationError(_("That turn has already ended"))
    if turn.person_id != by.pk:
        _check_steers(by, session)
    _finish(turn)
    broadcasts.push_floor(
        session, event="turn_ended", people=[turn.person_id], state=selectors.floor_after(state)
    )
    return turn


@transaction.atomic
def turn_pass(*, session: Session, by: User, turn_id: int) -> Turn:
    """Pass on one's go-round turn (the person, or a facilitator for them); the round moves on."""
    session = _lock(session)
    turn = Turn.objects.filter(session=session, pk=turn_id, mode=Turn.Mode.ROUND).first()
    if turn is None or turn.status not in (Turn.Status.WAITING, Turn.Status.SPEAKING):
        raise ValidationError(_("That turn is no longer open"))
    if turn.person_id != by.pk:
        _check_steers(by, session)
    was_speaking = turn.status == Turn.Status.SPEAKING
    _finish(turn, Turn.Status.PASSED)
    upcoming = _advance(session, by=by) if was_speaking else None
    broadcasts.push_floor(
        session,
        event="turn_passed",
        people=[turn.person_id] + ([upcoming.person_id] if upcoming else []),
    )
    return turn


@transaction.atomic
def round_skip(*, session: Session, by: User, turn_id: int) -> Turn:
    """Skip someone who is not here; if it was their turn, the round moves on."""
    session = _lock(session)
    _check_steers(by, session)
    turn = Turn.objects.filter(session=session, pk=turn_id, mode=Turn.Mode.ROUND).first()
    if turn is None or turn.status not in (Turn.Status.WAITING, Turn.Status.SPEAKING):
        raise ValidationError(_("That turn is no longer open"))
    was_speaking = turn.status == Turn.Status.SPEAKING
    _finish(turn, Turn.Status.SKIPPED)
    upcoming = _advance(session, by=by) if was_speaking else None
    broadcasts.push_floor(
        session,
        event="turn_skipped",
        people=[turn.person_id] + ([upcoming.person_id] if upcoming else []),
    )
    return turn


@transaction.atomic
def round_start(*, session: Session, by: User) -> GoRound:
    """Start a go-round over everyone present (not the facilitators), least heard first."""
    session = _lock(session)
    _check_live(session)
    _check_steers(by, session)
    if GoRound.objects.filter(session=session).exclude(status=GoRound.Status.DONE).exists():
        raise ValidationError(_("A go-round is already open"))
    present = selectors.present_user_ids(session=session)
    members = dict(
        Membership.objects.filter(
            programme_id=session.programme_id, user_id__in=present, left_on__isnull=True
        )
        .exclude(role__in=STEERING_ROLES)
        .values_list("user_id", "role")
    )
    if not members:
        raise ValidationError(_("Nobody is here for a go-round yet"))
    heard = selectors.heard_so_far(session=session)
    now = timezone.now()
    order = least_heard_first(
        Waiting(
            user_id=uid,
            turns=heard.get(uid, (0, 0.0))[0],
            airtime_seconds=heard.get(uid, (0, 0.0))[1],
            raised_at=now,
        )
        for uid in members
    )
    go_round = GoRound.objects.create(session=session, started_by=by)
    Turn.objects.bulk_create(
        [
            Turn(
                session=session,
                person_id=entry.user_id,
                mode=Turn.Mode.ROUND,
                go_round=go_round,
                round_position=i,
                raised_at=now,
            )
            for i, entry in enumerate(order)
        ]
    )
    current = _current(session)
    affected = list(members)
    if current is not None:
        _finish(current)
        affected.append(current.person_id)
    _advance(session, by=by)
    broadcasts.push_floor(
        session, event="round_started", people=affected, announce=_("A go-round has started")
    )
    return go_round


@transaction.atomic
def round_set_status(*, session: Session, by: User, status: str) -> GoRound:
    """Pause, resume or finish the open go-round."""
    session = _lock(session)
    _check_steers(by, session)
    if status not in (GoRound.Status.RUNNING, GoRound.Status.PAUSED, GoRound.Status.DONE):
        raise ValidationError(_("Choose pause, resume or finish"))
    go_round = GoRound.objects.filter(session=session).exclude(status=GoRound.Status.DONE).first()
    if go_round is None:
        raise ValidationError(_("There is no go-round open"))
    go_round.status = status
    go_round.save(update_fields=["status"])
    affected: list[int] = []
    if status == GoRound.Status.DONE:
        leftover = list(go_round.turns.filter(status=Turn.Status.WAITING))
        go_round.turns.filter(status=Turn.Status.WAITING).update(status=Turn.Status.SKIPPED)
        affected = [t.person_id for t in leftover]
    elif status == GoRound.Status.RUNNING and _current(session) is None:
        upcoming = _advance(session, by=by)
        affected = [upcoming.person_id] if upcoming else []
    event, announce = {
        "running": ("round_resumed", _("The go-round is resumed")),
        "paused": ("round_paused", _("The go-round is paused")),
        "done": ("round_finished", _("The go-round is finished")),
    }[status]
    broadcasts.push_floor(session, event=event, people=affected, announce=announce)
    return go_round


@transaction.atomic
def balance_record(*, session: Session, present: set[int] | None = None) -> BalanceRecord:
    """Keep the session's equal-voice summary with it (called when the session ends): a
    session where nobody took the floor is kept as that, with no index."""
    speaking = Turn.objects.filter(session=session, status=Turn.Status.SPEAKING)
    for turn in speaking:
        _finish(turn)
    Turn.objects.filter(session=session, status=Turn.Status.WAITING).update(
        status=Turn.Status.WITHDRAWN
    )
    GoRound.objects.filter(session=session).exclude(status=GoRound.Status.DONE).update(
        status=GoRound.Status.DONE
    )
    index, data = voices.figures(session=session, present=present)
    record, _ = BalanceRecord.objects.update_or_create(
        session=session,
        defaults={"balance_index": index, "figures": data, "turns_taken": data["turns_taken"]},
    )
    return record


@transaction.atomic
def floor_refresh(*, session: Session) -> None:
    """Push the floor again after a setting changed (the time limit)."""
    session = _lock(session)
    current = _current(session)
    # The speaker's own panel shows the limit too.
    broadcasts.push_floor(
        session,
        event="floor_settings_changed",
        people=[current.person_id] if current else [],
    )
