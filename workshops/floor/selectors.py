"""Reads of the floor: who speaks, the queue in fairness order, the go-round, and who is in
the room (the balance of voices is read in workshops/floor/voices.py)."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.models import STEERING_ROLES, Membership, Role
from project import rows
from workshops.floor import fairness
from workshops.floor.models import GoRound, Turn
from workshops.models import Attendance, Session
from workshops.room import presence

HEARD = (Turn.Status.DONE, Turn.Status.SPEAKING)


def heard_so_far(*, session: Session) -> dict[int, tuple[int, float]]:
    """Per person: (turns taken, seconds of airtime) this session, the turn in progress included."""
    return _heard(
        Turn.objects.filter(session=session, status__in=HEARD).only(
            "person_id", "started_at", "ended_at", "status"
        )
    )


def _heard(turns: Iterable[Turn]) -> dict[int, tuple[int, float]]:
    stats: dict[int, tuple[int, float]] = {}
    for turn in turns:
        if turn.status not in HEARD:
            continue
        count, airtime = stats.get(turn.person_id, (0, 0.0))
        stats[turn.person_id] = (count + 1, airtime + turn.airtime_seconds)
    return stats


@dataclass(frozen=True)
class QueueRow:
    """A raised hand, in fairness order, with the reason for its place."""

    turn_id: int
    user_id: int
    name: str
    role_label: str
    reason: str
    position: int
    raised_at: datetime


def members(*, session: Session, user_ids: set[int]) -> dict[int, tuple[str, str]]:
    """Name and role (its value) of each of these people in the session's programme."""
    rows = Membership.objects.filter(
        programme_id=session.programme_id, user_id__in=user_ids
    ).values_list("user_id", "user__display_name", "role")
    return {uid: (name, role) for uid, name, role in rows}


def _members_and_present(
    session: Session, user_ids: set[int]
) -> tuple[dict[int, tuple[str, str]], set[int]]:
    """Names and roles of these people and of everyone present, and who is present (a live
    socket, from the presence store; or let in and not checked out): one query."""
    connected = set(presence.store().present_user_ids(session.pk))
    let_in = Exists(
        Attendance.objects.filter(
            session=session,
            user_id=OuterRef("user_id"),
            admission=Attendance.Admission.ADMITTED,
            checked_out_at__isnull=True,
        )
    )
    rows = (
        Membership.objects.filter(programme_id=session.programme_id)
        .annotate(let_in=let_in)
        .filter(Q(user_id__in=user_ids | connected) | Q(let_in=True))
        .values_list("user_id", "user__display_name", "role", "let_in")
    )
    members: dict[int, tuple[str, str]] = {}
    present = set(connected)
    for uid, name, role, here in rows:
        members[uid] = (name, role)
        if here:
            present.add(uid)
    return members, present


def _names_and_roles(session: Session, user_ids: set[int]) -> dict[int, tuple[str, str]]:
    return _labelled(members(session=session, user_ids=user_ids))


def _labelled(members: dict[int, tuple[str, str]]) -> dict[int, tuple[str, str]]:
    return {uid: (name, Role(role).label) for uid, (name, role) in members.items()}


def hand_queue(*, session: Session) -> list[QueueRow]:
    """Raised hands, least heard first (three queries, whatever the size of the room)."""
    waiting = list(
        Turn.objects.filter(session=session, mode=Turn.Mode.HAND, status=Turn.Status.WAITING)
    )
    if not waiting:
        return []
    names = _names_and_roles(session, {t.person_id for t in waiting})
    return _queue(waiting, heard_so_far(session=session), names)


def _queue(
    waiting: list[Turn], heard: dict[int, tuple[int, float]], names: dict[int, tuple[str, str]]
) -> list[QueueRow]:
    """The raised hands among `waiting`, in fairness order, from what is already known."""
    hands = [t for t in waiting if t.mode == Turn.Mode.HAND and t.status == Turn.Status.WAITING]
    entries = [
        fairness.Waiting(
            user_id=t.person_id,
            turns=heard.get(t.person_id, (0, 0.0))[0],
            airtime_seconds=heard.get(t.person_id, (0, 0.0))[1],
            raised_at=t.raised_at,
        )
        for t in hands
    ]
    by_person = {t.person_id: t for t in hands}
    rows = []
    for position, entry in enumerate(fairness.least_heard_first(entries), start=1):
        name, role = names.get(entry.user_id, (_("Someone"), ""))
        rows.append(
            QueueRow(
                turn_id=by_person[entry.user_id].pk,
                user_id=entry.user_id,
                name=name,
                role_label=role,
                reason=fairness.why_next(entry),
                position=position,
                raised_at=entry.raised_at,
            )
        )
    return rows


@dataclass
class RoundState:
    """An open go-round: its turns in order and whose turn is next."""

    go_round: GoRound
    turns: list[Turn]
    names: dict[int, str]

    @property
    def waiting(self) -> list[Turn]:
        """Turns still to come, in order."""
        return [t for t in self.turns if t.status == Turn.Status.WAITING]


OPEN_ROUND = (GoRound.Status.RUNNING, GoRound.Status.PAUSED)


@dataclass
class FloorState:
    """What everyone sees of the floor."""

    session: Session
    speaker: Turn | None
    speaker_name: str
    queue: list[QueueRow]
    round: RoundState | None
    limit_seconds: int
    next_turn_id: int | None = None
    next_name: str = ""
    heard: dict[int, tuple[int, float]] = field(default_factory=dict)
    present: set[int] | None = None
    # Names and roles (values) of everyone named here, and of everyone present if `present`.
    members: dict[int, tuple[str, str]] = field(default_factory=dict)
    hands: dict[int, Turn] = field(default_factory=dict)
    turns: list[Turn] = field(default_factory=list)

    def turn(self, turn_id: int | None) -> Turn | None:
        """A raised hand or go-round turn of this state, by id."""
        if turn_id in self.hands:
            return self.hands[turn_id]
        turns = self.round.turns if self.round is not None else []
        return next((t for t in turns if t.pk == turn_id), None)


def _people_of(turns: Iterable[Turn]) -> set[int]:
    return {t.person_id for t in turns}


def _named(turns: Iterable[Turn]) -> set[int]:
    """Everyone a floor shows by name or counts: whoever has an open or a heard turn, or a
    turn in the open go-round."""
    return _people_of(turns)


def _lookup(
    session: Session, wanted: set[int], known: dict[int, tuple[str, str]] | None
) -> dict[int, tuple[str, str]]:
    """Names and roles of `wanted`, asking the database only for those not already known."""
    found = {uid: known[uid] for uid in wanted if uid in known} if known else {}
    if wanted - found.keys():
        found |= members(session=session, user_ids=wanted - found.keys())
    return found


def floor_state(*, session: Session, with_present: bool = False) -> FloorState:
    """Who has the floor, who is waiting, and the go-round if one is open: two queries,
    whatever the size of the queue (the open turns, the go-round's with them; their names).

    `with_present`, it also finds who is present, and their names and roles, in the same
    query as the names: what the facilitators' panels need.
    """
    loaded = Turn.objects.filter(
        Q(status__in=(Turn.Status.WAITING, *HEARD)) | Q(go_round__status__in=OPEN_ROUND),
        session=session,
    ).select_related("go_round")
    turns = list(loaded)
    # One go-round object per round, so a change made to it shows in every turn of it.
    rounds: dict[int, GoRound] = {}
    for t in turns:
        if t.go_round_id is not None and t.go_round is not None:
            t.go_round = rounds.setdefault(t.go_round_id, t.go_round)
    if not with_present:
        return _build(session, turns, present=None, known=None)
    members, present = _members_and_present(session, _named(turns))
    return _build(session, turns, present=present, known=members)


def floor_after(state: FloorState, *, added: Iterable[Turn] = ()) -> FloorState:
    """The floor after a change made, in place, to the turns of `state` (and new `added`
    turns): worked out again without asking the database, unless someone new needs a name."""
    return _build(
        state.session,
        [*state.turns, *added],
        present=state.present,
        known=state.members,
    )


def _build(
    session: Session,
    turns: list[Turn],
    *,
    present: set[int] | None,
    known: dict[int, tuple[str, str]] | None,
) -> FloorState:
    speaker = next((t for t in turns if t.status == Turn.Status.SPEAKING), None)
    waiting = [t for t in turns if t.status == Turn.Status.WAITING and t.mode == Turn.Mode.HAND]
    open_rounds = sorted(
        (
            t.go_round
            for t in turns
            if t.go_round is not None and t.go_round.status in {str(s) for s in OPEN_ROUND}
        ),
        key=lambda r: r.pk,
    )
    go_round = open_rounds[0] if open_rounds else None
    round_turns = sorted(
        (t for t in turns if go_round is not None and t.go_round_id == go_round.pk),
        key=lambda t: (t.round_position if t.round_position is not None else 0, t.pk),
    )
    heard = _heard(turns)
    wanted = _named(turns)
    if present is not None:
        wanted |= present
    members = _lookup(session, wanted, known)
    names = _labelled(members)
    queue = _queue(waiting, heard, names)
    state_round = None
    if go_round is not None:
        state_round = RoundState(
            go_round=go_round,
            turns=round_turns,
            names={t.person_id: members.get(t.person_id, ("", ""))[0] for t in round_turns},
        )
    state = FloorState(
        session=session,
        speaker=speaker,
        speaker_name=names.get(speaker.person_id, (_("Someone"), ""))[0] if speaker else "",
        queue=queue,
        round=state_round,
        limit_seconds=session.turn_time_limit_seconds,
        heard=heard,
        present=present,
        members=members,
        hands={t.pk: t for t in waiting},
        turns=turns,
    )
    if (
        state_round is not None
        and state_round.go_round.status == GoRound.Status.RUNNING
        and state_round.waiting
    ):
        upcoming = state_round.waiting[0]
        state.next_turn_id, state.next_name = (
            upcoming.pk,
            state_round.names.get(upcoming.person_id, ""),
        )
    elif queue:
        state.next_turn_id, state.next_name = queue[0].turn_id, queue[0].name
    return state


def my_floor(*, session: Session, user_id: int, state: FloorState | None = None) -> dict[str, Any]:
    """One person's own view: is their hand up, where are they in the queue, is it their turn.

    Given the floor as just worked out, it costs no queries.
    """
    if state is not None:
        return _mine_from(state, user_id)
    # Every participant's handshake asks this (their dock): in SQL, without the ORM's query
    # building (project/rows.py).
    mine = rows.matching(
        Turn,
        among=("status", [Turn.Status.WAITING, Turn.Status.SPEAKING]),
        session_id=session.pk,
        person_id=user_id,
    )
    speaking = next((t for t in mine if t.status == Turn.Status.SPEAKING), None)
    hand = next(
        (t for t in mine if t.mode == Turn.Mode.HAND and t.status == Turn.Status.WAITING), None
    )
    round_turn = next(
        (t for t in mine if t.mode == Turn.Mode.ROUND and t.status == Turn.Status.WAITING), None
    )
    position = None
    if hand is not None:
        position = next(
            (r.position for r in hand_queue(session=session) if r.turn_id == hand.pk), None
        )
    return {
        "speaking": speaking,
        "hand": hand,
        "position": position,
        "round_turn": round_turn,
        "limit_seconds": session.turn_time_limit_seconds,
    }


def _mine_from(state: FloorState, user_id: int) -> dict[str, Any]:
    speaking = state.speaker if state.speaker and state.speaker.person_id == user_id else None
    row = next((r for r in state.queue if r.user_id == user_id), None)
    round_turn = None
    if state.round is not None:
        round_turn = next((t for t in state.round.waiting if t.person_id == user_id), None)
    return {
        "speaking": speaking,
        "hand": row,
        "position": row.position if row else None,
        "round_turn": round_turn,
        "limit_seconds": state.limit_seconds,
    }


def present_user_ids(*, session: Session) -> set[int]:
    """People in the room now: a live socket, or let in and not checked out."""
    ids = set(presence.store().present_user_ids(session.pk))
    ids |= set(
        Attendance.objects.filter(
            session=session,
            admission=Attendance.Admission.ADMITTED,
            checked_out_at__isnull=True,
        ).values_list("user_id", flat=True)
    )
    return ids


def people_in_room(
    *,
    session: Session,
    present: set[int] | None = None,
    members: dict[int, tuple[str, str]] | None = None,
) -> list[tuple[int, str]]:
    """Present people a facilitator can give the floor to or record a supported turn for."""
    present = present_user_ids(session=session) if present is None else present
    if members is not None:
        known = [(uid, members[uid]) for uid in present if uid in members]
        chosen = [(uid, name) for uid, (name, role) in known if role not in STEERING_ROLES]
        return sorted(chosen, key=lambda r: r[1].lower())
    rows = Membership.objects.filter(
        Q(programme_id=session.programme_id, user_id__in=present), ~Q(role__in=STEERING_ROLES)
    ).values_list("user_id", "user__display_name")
    return sorted(rows, key=lambda r: r[1].lower())


def now() -> datetime:
    """The time, for templates that show a timer."""
    return timezone.now()
