"""The one place that decides who may do what.

Every view and every socket asks this module. A person outside a programme gets the same
answer as for something that does not exist (404 on HTTP, 4403 on a socket), so nobody can
learn what another programme holds.
"""

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.http import Http404

from participants.models import STEERING_ROLES, Membership, Role

if TYPE_CHECKING:
    from workshops.evaluation.models import Form
    from workshops.models import Programme, Session


class Action(StrEnum):
    """What someone wants to do to a programme or session."""

    VIEW = "view"  # see the programme and its sessions
    MANAGE = "manage"  # organise: people, sessions, agendas, payments, reports
    STEER = "steer"  # run a live session: move the room, open, end, admit, remove
    ENTER_ROOM = "enter_room"  # be in a session's live room
    EVALUATE = "evaluate"  # build forms, answer for someone they help, see reports


SIGNIN_METHOD_KEY = "comhla_signin_method"


def signed_in_strongly(request: Any) -> bool:
    """Signed in by password, emailed code or personal card, not just by picking a name.

    Payments and personal data need this; the live room does not.
    """
    if not request.user.is_authenticated:
        return False
    return request.session.get(SIGNIN_METHOD_KEY) != "name"


def membership_for(user: Any, programme_id: int) -> Membership | None:
    """The person's active membership of a programme, or None."""
    if user is None or not user.is_authenticated:
        return None
    return (
        Membership.objects.filter(user=user, programme_id=programme_id, left_on__isnull=True)
        .only("id", "role", "user_id", "programme_id")
        .first()
    )


def role_allows(role: str | None, action: Action) -> bool:
    """Whether a role may take an action, before looking at the session itself."""
    if role is None:
        return False
    if action in (Action.VIEW, Action.ENTER_ROOM):
        return True
    if action in (Action.STEER, Action.EVALUATE):
        return role in STEERING_ROLES
    if action == Action.MANAGE:
        return role == Role.ORGANISER
    return False


def can(user: Any, action: Action, programme_id: int) -> bool:
    """May this person take this action in this programme?"""
    membership = membership_for(user, programme_id)
    return role_allows(membership.role if membership else None, action)


# A refusal does the same work whether or not the object exists (one membership query and
# one recorded event), so its timing cannot tell an outsider which ids exist.
NO_PROGRAMME = 0


def programme_or_404(user: Any, programme_id: int, action: Action = Action.VIEW) -> "Programme":
    """The programme, if this person may take the action on it; otherwise 404."""
    from workshops.models import Programme

    programme = Programme.objects.filter(pk=programme_id).first()
    membership = membership_for(user, programme_id)
    if programme is None or not role_allows(membership.role if membership else None, action):
        _denied(user, f"programme:{programme_id}", action)
        raise Http404("No such programme")
    return programme


def session_or_404(user: Any, session_id: int, action: Action = Action.VIEW) -> "Session":
    """The session, if this person may take the action on it; otherwise 404."""
    from workshops.models import Session

    session = Session.objects.select_related("programme").filter(pk=session_id).first()
    membership = membership_for(user, session.programme_id if session else NO_PROGRAMME)
    if session is None or not _allowed_on_session(membership, action, session):
        _denied(user, f"session:{session_id}", action)
        raise Http404("No such session")
    return session


def form_or_404(user: Any, form_id: int, action: Action = Action.VIEW) -> "Form":
    """The evaluation form, if this person may take the action in its programme; otherwise 404."""
    from workshops.evaluation.models import Form

    form = Form.objects.select_related("programme", "session").filter(pk=form_id).first()
    membership = membership_for(user, form.programme_id if form else NO_PROGRAMME)
    if form is None or not role_allows(membership.role if membership else None, action):
        _denied(user, f"form:{form_id}", action)
        raise Http404("No such form")
    return form


def _denied(user: Any, target: str, action: Action) -> None:
    from participants import security
    from participants.models import SecurityEvent

    security.record(
        kind=SecurityEvent.Kind.ACCESS_DENIED,
        actor=user,
        target=target,
        outcome=f"{action} refused",
    )


def can_on_session(user: Any, action: Action, session: "Session") -> bool:
    """May this person take this action on this session?"""
    return _allowed_on_session(membership_for(user, session.programme_id), action, session)


def _allowed_on_session(membership: Membership | None, action: Action, session: "Session") -> bool:
    if membership is None or not role_allows(membership.role, action):
        return False
    if action == Action.ENTER_ROOM:
        return room_access(membership, session)
    return True


def room_access(membership: Membership, session: "Session") -> bool:
    """Staff enter any room of their programme; others once admitted and not removed."""
    from workshops.models import Attendance

    if membership.role in STEERING_ROLES:
        return True
    if session.status != session.Status.LIVE:
        return False
    return Attendance.objects.filter(
        session=session, user_id=membership.user_id, admission=Attendance.Admission.ADMITTED
    ).exists()


def room_audiences(user: Any, session_id: int) -> list[str]:
    """The broadcast groups a person's socket joins, or [] if they may not be in the room."""
    from workshops import realtime
    from workshops.models import Session

    session = Session.objects.filter(pk=session_id).first()
    if session is None:
        return []
    membership = membership_for(user, session.programme_id)
    if membership is None or not room_access(membership, session):
        from participants import security
        from participants.models import SecurityEvent

        security.record(
            kind=SecurityEvent.Kind.SOCKET_REFUSED,
            actor=user,
            target=f"session:{session_id}",
            outcome="closed 4403",
        )
        return []
    groups = [realtime.room_group(session_id), realtime.person_group(session_id, user.pk)]
    if membership.role in STEERING_ROLES:
        groups.append(realtime.facilitators_group(session_id))
    return groups
