"""The one place that decides who may do what.

Every view and every socket asks this module. A person outside a programme gets the same
answer as for something that does not exist (404 on HTTP, 4403 on a socket), so nobody can
learn what another programme holds.
"""

from enum import StrEnum
from functools import cache
from typing import Any, cast

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.http import Http404

from participants import security
from participants.identity import room_scope
from participants.models import (
    PAID_ROLES,
    STEERING_ROLES,
    Consent,
    Membership,
    Role,
    SecurityEvent,
    User,
)
from project import rows
from workshops.evaluation.models import Form
from workshops.models import Attendance, Programme, Session
from workshops.room import broadcast


class Action(StrEnum):
    """What someone wants to do to a programme or session."""

    VIEW = "view"  # see the programme and its sessions
    MANAGE = "manage"  # organise: people, sessions, agendas, payments, reports
    STEER = "steer"  # run a live session: move the room, open, end, admit, remove
    # Others' personal data through a session: its register (paid time), its briefing (needs,
    # consent), and saying that a picked name is that person. Staff only, never a co-facilitator.
    PERSONAL = "personal"
    ENTER_ROOM = "enter_room"  # be in a session's live room
    EVALUATE = "evaluate"  # build forms, answer for someone they help, see reports


def _accepted_memberships(user_id: int, programme_id: int | OuterRef) -> QuerySet[Membership]:
    """A person's active, accepted membership of a programme (as a query: at most one row)."""
    return Membership.objects.filter(
        user_id=user_id, programme_id=programme_id, left_on__isnull=True, invited=False
    )


def _marked_co_facilitator(session_id: int | OuterRef, user_id: int | OuterRef) -> Exists:
    """Whether a person is admitted to a session and marked to co-facilitate it."""
    return Exists(
        Attendance.objects.filter(
            session_id=session_id,
            user_id=user_id,
            admission=Attendance.Admission.ADMITTED,
            co_facilitator=True,
        )
    )


def membership_for(user: Any, programme_id: int) -> Membership | None:
    """The person's active, accepted membership of a programme, or None."""
    if user is None or not user.is_authenticated:
        return None
    return (
        _accepted_memberships(user.pk, programme_id)
        .only("id", "role", "user_id", "programme_id")
        .first()
    )


def _session_membership(
    user: Any, programme_id: int, session_id: int, action: Action
) -> Membership | None:
    """membership_for; for STEER, with whether they are marked co-facilitator of the session
    in the same query (a contributor's every steering check would otherwise cost another)."""
    if action != Action.STEER or user is None or not user.is_authenticated:
        return membership_for(user, programme_id)
    return (
        _accepted_memberships(user.pk, programme_id)
        .only("id", "role", "user_id", "programme_id")
        .annotate(marked_co_facilitator=_marked_co_facilitator(session_id, OuterRef("user_id")))
        .first()
    )


# A person's active, accepted membership of the session's programme (as _accepted_memberships),
# and their admission to the session: joined, in SQL, by both reads every change and handshake
# make. Their values, in order: _standing_params.
_MEMBERSHIP_ON = (
    "m.programme_id = s.programme_id AND m.user_id = %s AND m.left_on IS NULL AND m.invited = %s"
)
_ADMITTED_ON = "a.session_id = s.id AND a.user_id = %s AND a.admission = %s"


def _standing_params(user_id: int | None, session_id: int) -> list[rows.Param]:
    return [user_id, False, user_id, Attendance.Admission.ADMITTED, session_id]


@cache
def _session_and_membership_sql() -> str:
    session, programme = Session._meta.db_table, Programme._meta.db_table
    # Only the models' own table and column names go into the text; values are parameters.
    return (
        f"SELECT {rows.select_list(Session, 's')}, {rows.select_list(Programme, 'p')},"  # noqa: S608
        " m.id, m.role, a.co_facilitator"
        f" FROM {session} s INNER JOIN {programme} p ON p.id = s.programme_id"
        f" LEFT JOIN {Membership._meta.db_table} m ON {_MEMBERSHIP_ON}"
        f" LEFT JOIN {Attendance._meta.db_table} a ON {_ADMITTED_ON}"
        " WHERE s.id = %s"
    )


def _session_and_membership(
    user: User | AnonymousUser | None, session_id: int, action: Action
) -> tuple[Session | None, Membership | None]:
    """The session and the person's membership of its programme (for STEER, with whether they
    are marked co-facilitator of it) in one query: every change in the room asks this first.
    In SQL (project/rows.py): built by the ORM, it cost 3 ms of CPU, a third of a change's."""
    user_id = user.pk if user is not None and user.is_authenticated else None
    row = rows.fetch_one(_session_and_membership_sql(), _standing_params(user_id, session_id))
    if row is None:
        return None, None
    session, programme = rows.instances(row[:-3], Session, Programme)
    assert isinstance(session, Session)
    Session._meta.get_field("programme").set_cached_value(session, programme)
    membership_id, role, marked = row[-3:]
    if user_id is None or membership_id is None:
        return session, None
    membership = Membership(
        pk=cast(int, membership_id),
        role=str(role),
        user_id=user_id,
        programme_id=session.programme_id,
    )
    if action == Action.STEER:  # as _session_membership annotates it; _co_facilitates reads it
        membership.marked_co_facilitator = bool(marked)  # type: ignore[attr-defined]
    return session, membership


def may_set_up_programmes(user: User | AnonymousUser) -> bool:
    """Staff may set up a programme: an organiser or facilitator of any programme, or a staff
    account with no programme yet (made by create_organiser or sign-up). A contributor may
    not, nor any room identity (a picked name proves nothing)."""
    if user is None or not user.is_authenticated or room_scope(user) is not None:
        return False
    roles = set(
        Membership.objects.filter(user=user, left_on__isnull=True).values_list("role", flat=True)
    )
    return not roles or bool(roles & STEERING_ROLES)


def role_allows(role: str | None, action: Action) -> bool:
    """Whether a role may take an action, before looking at the session itself."""
    if role is None:
        return False
    if action in (Action.VIEW, Action.ENTER_ROOM):
        return True
    if action in (Action.STEER, Action.EVALUATE, Action.PERSONAL):
        return role in STEERING_ROLES
    if action == Action.MANAGE:
        return role == Role.ORGANISER
    return False


def can(user: Any, action: Action, programme_id: int) -> bool:
    """May this person take this action in this programme?

    A room identity takes part in its one session and nothing else of the programme.
    """
    return _programme_role_allows(user, membership_for(user, programme_id), action)


def _programme_role_allows(user: Any, membership: Membership | None, action: Action) -> bool:
    # A room identity takes part in its one session only: no programme-wide action.
    if room_scope(user) is not None:
        return False
    return role_allows(membership.role if membership else None, action)


# A refusal does the same work whether or not the object exists (one membership query and
# one recorded event), so its timing cannot tell an outsider which ids exist.
NO_PROGRAMME = 0


def programme_or_404(user: Any, programme_id: int, action: Action = Action.VIEW) -> Programme:
    """The programme, if this person may take the action on it; otherwise 404."""

    programme = Programme.objects.filter(pk=programme_id).first()
    membership = membership_for(user, programme_id)
    if programme is None or not _programme_role_allows(user, membership, action):
        _denied(user, f"programme:{programme_id}", action)
        raise Http404("No such programme")
    return programme


def own_membership_or_404(user: Any, programme_id: int) -> Membership:
    """The person's own accepted membership of a programme (for their consent and needs),
    never through a room identity; otherwise 404."""
    membership = membership_for(user, programme_id)
    if membership is None or room_scope(user) is not None:
        _denied(user, f"programme:{programme_id}", Action.VIEW)
        raise Http404("No such programme")
    return membership


def session_or_404(user: Any, session_id: int, action: Action = Action.VIEW) -> Session:
    """The session, if this person may take the action on it; otherwise 404."""

    session, membership = _session_and_membership(user, session_id, action)
    if session is None or not _allowed_on_session(user, membership, action, session):
        _denied(user, f"session:{session_id}", action)
        raise Http404("No such session")
    return session


def form_or_404(user: Any, form_id: int, action: Action = Action.VIEW) -> Form:
    """The evaluation form, if this person may take the action in its programme; otherwise 404."""

    form = Form.objects.select_related("programme", "session").filter(pk=form_id).first()
    membership = membership_for(user, form.programme_id if form else NO_PROGRAMME)
    if form is None or not (
        _programme_role_allows(user, membership, action)
        or _room_form(user, action, form, membership)
    ):
        _denied(user, f"form:{form_id}", action)
        raise Http404("No such form")
    return form


def _room_form(user: Any, action: Action, form: Form, membership: Membership | None) -> bool:
    """A room identity may answer its own session's feedback form, nothing else."""
    scope = room_scope(user)
    return (
        scope is not None
        and action == Action.VIEW
        and form.session_id == scope
        and form.kind == form.Kind.FEEDBACK
        and membership is not None
    )


def _denied(user: Any, target: str, action: Action) -> None:

    security.record(
        kind=SecurityEvent.Kind.ACCESS_DENIED,
        actor=user,
        target=target,
        outcome=f"{action} refused",
    )


def can_on_session(user: Any, action: Action, session: Session) -> bool:
    """May this person take this action on this session?"""
    membership = _session_membership(user, session.programme_id, session.pk, action)
    return _allowed_on_session(user, membership, action, session)


def steering(user: Any, session: Session) -> tuple[bool, bool]:
    """(steers this session, as staff rather than as its co-facilitator), in one question.

    Staff run the floor and take no turns; a co-facilitator steers and still takes turns.
    """
    membership = _session_membership(user, session.programme_id, session.pk, Action.STEER)
    if not _allowed_on_session(user, membership, Action.STEER, session):
        return False, False
    return True, membership is not None and membership.role in STEERING_ROLES


def _allowed_on_session(
    user: Any, membership: Membership | None, action: Action, session: Session
) -> bool:
    scope = room_scope(user)
    if scope is not None and (
        scope != session.pk or action not in (Action.VIEW, Action.ENTER_ROOM)
    ):
        return False
    if membership is None:
        return False
    if not role_allows(membership.role, action):
        # A co-facilitator steers this one session, and only steers: no register, no reports.
        # Never through a room identity (refused above): a picked name proves nothing.
        return action == Action.STEER and _co_facilitates(membership, session)
    if action == Action.ENTER_ROOM:
        return room_access(membership, session)
    return True


def _co_facilitates(membership: Membership, session: Session) -> bool:
    if membership.role not in PAID_ROLES or session.status != session.Status.LIVE:
        return False
    marked = getattr(membership, "marked_co_facilitator", None)
    if marked is None:  # a membership read without the mark
        return _room_standing(membership, session)[1]
    return bool(marked)


def _room_standing(membership: Membership, session: Session) -> tuple[bool, bool]:
    """(may be in the room, co-facilitates it) for a member of the session's programme, in at
    most one query."""
    if membership.role in STEERING_ROLES:
        return True, False
    if session.status != session.Status.LIVE:
        return False, False
    # Their latest answer to taking part, in the same query.
    take_part = Consent.objects.filter(membership_id=membership.pk).values("take_part")[:1]
    marks = list(
        Attendance.objects.filter(
            session=session, user_id=membership.user_id, admission=Attendance.Admission.ADMITTED
        )
        .annotate(take_part=Subquery(take_part))
        .values_list("co_facilitator", "take_part")[:1]
    )
    marked, said = marks[0] if marks else (None, None)
    return _standing(membership.role, session.status, marked, said)


def _standing(
    role: str, status: str, admitted_co_facilitator: bool | None, take_part: bool | None
) -> tuple[bool, bool]:
    """(may be in the room, co-facilitates it) from a member's role, the session's status, their
    admission (None: not admitted; else whether marked co-facilitator) and their latest answer
    to taking part (None: never answered). A contributor is in the room once admitted to the
    live session, unless they said no to taking part: someone who said no is not in the room,
    whatever device they come back on (never answered: a facilitator let them in). A
    co-facilitator is a contributor a facilitator marked, in the room, while it is live."""
    if role in STEERING_ROLES:
        return True, False
    if status != Session.Status.LIVE or admitted_co_facilitator is None or take_part is False:
        return False, False
    return True, admitted_co_facilitator and role in PAID_ROLES


def room_access(membership: Membership, session: Session) -> bool:
    """Staff enter any room of their programme; others once admitted and not removed."""
    return _room_standing(membership, session)[0]


def co_facilitator_needs_proof(user: Any, session: Session) -> bool:
    """Marked to co-facilitate this session but signed in only by a picked name or as a
    walk-in: they must sign in by card or emailed code before they get the controls."""
    if room_scope(user) != session.pk or session.status != session.Status.LIVE:
        return False
    membership = membership_for(user, session.programme_id)
    return (
        membership is not None
        and membership.role in PAID_ROLES
        and Attendance.objects.filter(
            session=session,
            user_id=membership.user_id,
            admission=Attendance.Admission.ADMITTED,
            co_facilitator=True,
        ).exists()
    )


def room_audiences(user: Any, session_id: int) -> list[str]:
    """The broadcast groups a person's socket joins, or [] if they may not be in the room."""

    signed_in = user is not None and user.is_authenticated
    standing = _room_standing_by_id(user.pk if signed_in else None, session_id)
    scope = room_scope(user)
    if standing is None or (scope is not None and scope != session_id) or not standing[1]:
        security.record(
            kind=SecurityEvent.Kind.SOCKET_REFUSED,
            actor=user,
            target=f"session:{session_id}",
            outcome="closed 4403",
        )
        return []
    role, _, co_facilitates = standing
    groups = [broadcast.room_group(session_id), broadcast.person_group(session_id, user.pk)]
    # A room identity never joins the facilitators, even if marked co-facilitator.
    if role in STEERING_ROLES or (co_facilitates and scope is None):
        groups.append(broadcast.facilitators_group(session_id))
    return groups


@cache
def _room_standing_sql() -> str:
    return (
        "SELECT m.role, s.status, a.co_facilitator,"  # noqa: S608 (table names only)
        f" (SELECT c.take_part FROM {Consent._meta.db_table} c WHERE c.membership_id = m.id"
        "  ORDER BY c.answered_at DESC, c.id DESC LIMIT 1)"
        f" FROM {Session._meta.db_table} s"
        f" INNER JOIN {Membership._meta.db_table} m ON {_MEMBERSHIP_ON}"
        f" LEFT JOIN {Attendance._meta.db_table} a ON {_ADMITTED_ON}"
        " WHERE s.id = %s"
    )


def _room_standing_by_id(user_id: int | None, session_id: int) -> tuple[str, bool, bool] | None:
    """(role, may be in the room, co-facilitates it) of a member of the session's programme, or
    None for anyone else or no such session: one query, as every handshake asks it (in SQL, as
    _session_and_membership is: the ORM took 2.9 ms of CPU to build it)."""
    if user_id is None:
        return None
    row = rows.fetch_one(_room_standing_sql(), _standing_params(user_id, session_id))
    if row is None:
        return None
    role, status = str(row[0]), str(row[1])
    marked, take_part = rows.as_bool(row[2]), rows.as_bool(row[3])
    return (role, *_standing(role, status, marked, take_part))
