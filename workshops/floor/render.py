"""The floor's fragments, rendered once per audience: the room, its facilitators, one person."""

from typing import Any

from django.template.loader import render_to_string

from participants.permissions import Action, can_on_session
from workshops.floor import selectors
from workshops.models import Session

TEMPLATE = "floor/panels.html"


def render_floor(session: Session, *, oob: bool = True) -> str:
    """#floor for everyone: who has the floor, the queue in order, the go-round."""
    return render_to_string(
        f"{TEMPLATE}#floor", {"floor": selectors.floor_state(session=session), "oob": oob}
    )


def render_mine(session: Session, user_id: int, *, oob: bool = True) -> str:
    """#floor-me for one person: their hand, their place, their turn."""
    context = {
        "session": session,
        "me": selectors.my_floor(session=session, user_id=user_id),
        "oob": oob,
    }
    return render_to_string(f"{TEMPLATE}#floor-me", context)


def render_queue(session: Session, *, oob: bool = True) -> str:
    """#floor-queue for facilitators: the queue with reasons, and the controls."""
    context = {
        "session": session,
        "floor": selectors.floor_state(session=session),
        "people": selectors.people_in_room(session=session),
        "oob": oob,
    }
    return render_to_string(f"{TEMPLATE}#floor-queue", context)


def render_balance(session: Session, *, oob: bool = True) -> str:
    """#balance for facilitators: the live picture of whose voice is heard."""
    context = {"session": session, "balance": selectors.balance(session=session), "oob": oob}
    return render_to_string(f"{TEMPLATE}#balance", context)


def room_panel(*, session: Session, viewer: Any, steers: bool, oob: bool) -> str:
    """The floor's side panels in the room, for one viewer (a page or a snapshot)."""
    if session.status != Session.Status.LIVE:
        return ""
    parts = [render_floor(session, oob=oob)]
    if steers:
        parts += [render_queue(session, oob=oob), render_balance(session, oob=oob)]
    return "".join(parts)


def dock_panel(*, session: Session, viewer: Any, steers: bool, oob: bool) -> str:
    """A participant's own hand and turn, for the room's dock: it is what they act on."""
    if session.status != Session.Status.LIVE or steers:
        return ""
    if viewer is None or not viewer.is_authenticated:
        return ""
    return render_mine(session, viewer.pk, oob=oob)


def viewer_steers(viewer: Any, session: Session) -> bool:
    """Does this viewer run the session?"""
    return can_on_session(viewer, Action.STEER, session)
