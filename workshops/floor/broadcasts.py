"""What the floor pushes to the room: every change to the floor is announced here.

Services change the floor and call `push_floor`; it renders each audience's fragment once and
hands it to workshops.room.broadcast, which sends it when the service's transaction commits.
"""

from collections.abc import Iterable

from django.utils.translation import gettext as _

from workshops.floor import render, selectors
from workshops.models import Session
from workshops.room import broadcast


def push_floor(
    session: Session,
    *,
    event: str,
    people: Iterable[int] = (),
    announce: str = "",
    airtime_changed: bool = True,
    state: selectors.FloorState | None = None,
) -> None:
    """Send the floor to the room, the queue and balance to facilitators, and their own view to
    each person whose own state changed — the floor worked out once, each audience's fragment
    rendered once.

    Nobody else's own view changes: their place in the queue is read by their browser from the
    room's #floor (static/js/room.js), so a change costs the same however many hands are up.
    A hand going up or down changes nobody's airtime: the balance is not redrawn. A service
    that worked out the floor before its change passes the floor after it (selectors.floor_after).
    """
    if state is None:
        state = render.floor_for_facilitators(session)
    broadcast.broadcast_on_commit(
        session_id=session.pk,
        event=event,
        html=render.render_floor(session, state=state),
        announce=announce,
    )
    broadcast.broadcast_on_commit(
        session_id=session.pk,
        event=event,
        audience="facilitators",
        html=render.render_for_facilitators(session, state=state, balance=airtime_changed),
    )
    for user_id in sorted(set(people)):
        speaking = state.speaker is not None and state.speaker.person_id == user_id
        broadcast.broadcast_on_commit(
            session_id=session.pk,
            event=event,
            audience="person",
            user_id=user_id,
            html=render.render_mine(session, user_id, state=state),
            announce=_("It is your turn to speak") if speaking else "",
        )
