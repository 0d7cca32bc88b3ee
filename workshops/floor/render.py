"""The floor's fragments, rendered once per audience: the room, its facilitators, one person."""

from functools import lru_cache
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import get_language

from workshops.access import Action, can_on_session
from workshops.floor import selectors, voices
from workshops.models import Session

TEMPLATE = "floor/panels.html"


def render_floor(
    session: Session, *, oob: bool = True, state: selectors.FloorState | None = None
) -> str:
    """#floor for everyone: who has the floor, the queue in order, the go-round.

    The same for every viewer: each browser finds its own place in the queue by its user id.
    """
    floor = selectors.floor_state(session=session) if state is None else state
    return render_to_string(f"{TEMPLATE}#floor", {"floor": floor, "oob": oob})


def render_mine(
    session: Session,
    user_id: int,
    *,
    oob: bool = True,
    state: selectors.FloorState | None = None,
) -> str:
    """#floor-me for one person: their hand, their place, their turn."""
    me = selectors.my_floor(session=session, user_id=user_id, state=state)
    if not (me["speaking"] or me["hand"] or me["round_turn"]):
        return _render_idle_mine(session.pk, get_language(), oob)
    return render_to_string(f"{TEMPLATE}#floor-me", {"session": session, "me": me, "oob": oob})


# Nearly everyone's hand is down nearly all the time, and then #floor-me is the same for the
# whole room: rendered once per session, language and swap, not once per handshake.
@lru_cache(maxsize=1024)
def _render_idle_mine(session_id: int, language: str | None, oob: bool) -> str:
    idle = {"speaking": None, "hand": None, "position": None, "round_turn": None}
    context = {"session": Session(pk=session_id), "me": idle, "oob": oob}
    return render_to_string(f"{TEMPLATE}#floor-me", context)


def render_queue(
    session: Session, *, oob: bool = True, state: selectors.FloorState | None = None
) -> str:
    """#floor-queue for facilitators: the queue with reasons, and the controls."""
    floor = selectors.floor_state(session=session) if state is None else state
    context = {
        "session": session,
        "floor": floor,
        "people": selectors.people_in_room(
            session=session,
            present=floor.present,
            members=floor.members if floor.present is not None else None,
        ),
        "oob": oob,
    }
    return render_to_string(f"{TEMPLATE}#floor-queue", context)


def render_balance(
    session: Session, *, oob: bool = True, state: selectors.FloorState | None = None
) -> str:
    """#balance for facilitators: the live picture of whose voice is heard."""
    if state is None:
        picture = voices.balance(session=session)
    else:
        picture = voices.balance(
            session=session,
            present=state.present,
            heard=state.heard,
            members=state.members if state.present is not None else None,
        )
    context = {"session": session, "balance": picture, "oob": oob}
    return render_to_string(f"{TEMPLATE}#balance", context)


def floor_for_facilitators(session: Session) -> selectors.FloorState:
    """The floor with the people present and their names: what every floor panel needs."""
    return selectors.floor_state(session=session, with_present=True)


def render_for_facilitators(
    session: Session, *, state: selectors.FloorState, oob: bool = True, balance: bool = True
) -> str:
    """#floor-queue (and #balance, unless nobody's airtime changed), from one floor state
    worked out by floor_for_facilitators."""
    html = render_queue(session, oob=oob, state=state)
    return html + render_balance(session, oob=oob, state=state) if balance else html


def room_panel(*, session: Session, viewer: Any, steers: bool, oob: bool) -> str:
    """The floor's side panels in the room, for one viewer (a page or a snapshot)."""
    if session.status != Session.Status.LIVE:
        return ""
    state = floor_for_facilitators(session) if steers else selectors.floor_state(session=session)
    parts = [render_floor(session, oob=oob, state=state)]
    if steers:
        parts.append(render_for_facilitators(session, state=state, oob=oob))
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
