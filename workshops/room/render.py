"""Renders the session room's fragments: once per audience, with stable element ids.

Other apps plug into the room without editing it: `register_activity_body` for what the
room shows while an activity of a kind is current (the board, the floor), and
`register_room_panel` for side panels that are always there, and `register_room_dock` for a
person's own controls, kept in the dock at the foot of the screen (their main action on a phone).
`register_activity_own` adds a person's own part of an activity (say, their ideas on a board)
to a snapshot whose shared part came from the cache.
"""

from collections.abc import Callable
from functools import lru_cache
from typing import Any, Protocol

from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from workshops import selectors
from workshops.access import co_facilitator_needs_proof, steering
from workshops.models import Activity, Session
from workshops.room import broadcast


class ActivityBodyRenderer(Protocol):
    """Renders the body of the current activity for one audience.

    `viewer` is None for a render shared by a whole audience (a broadcast), and the person
    for a snapshot or a page. `steers` says whether the audience runs the session.
    """

    def __call__(
        self, *, session: Session, activity: Activity, viewer: Any, steers: bool
    ) -> str: ...


RoomPanelRenderer = Callable[..., str]

ACTIVITY_BODY_RENDERERS: dict[str, ActivityBodyRenderer] = {}
ACTIVITY_OWN_RENDERERS: dict[str, Callable[..., tuple[str, str]]] = {}
ROOM_PANEL_RENDERERS: list[RoomPanelRenderer] = []
ROOM_DOCK_RENDERERS: list[RoomPanelRenderer] = []

ROOM_TEMPLATE = "workshops/room.html"
# A cached shared snapshot is keyed by the room's sequence number, so a push moves readers on
# to a new key; old keys only wait to expire.
SNAPSHOT_TTL_SECONDS = 600


def register_activity_body(kind: str, renderer: ActivityBodyRenderer) -> None:
    """Let an app draw the room while an activity of this kind is current."""
    ACTIVITY_BODY_RENDERERS[kind] = renderer


def register_activity_own(kind: str, renderer: Callable[..., tuple[str, str]]) -> None:
    """Let an app fill in a person's own part of an activity of this kind in a cached snapshot
    (called with session=, activity=, viewer=; returns the placeholder the shared render holds
    and the person's own container that takes its place)."""
    ACTIVITY_OWN_RENDERERS[kind] = renderer


def register_room_panel(renderer: RoomPanelRenderer) -> None:
    """Let an app add a side panel (called with session=, viewer=, steers=, oob=)."""
    if renderer not in ROOM_PANEL_RENDERERS:
        ROOM_PANEL_RENDERERS.append(renderer)


def register_room_dock(renderer: RoomPanelRenderer) -> None:
    """Let an app put a person's own controls in the dock (called like a side panel)."""
    if renderer not in ROOM_DOCK_RENDERERS:
        ROOM_DOCK_RENDERERS.append(renderer)


def render_activity_body(
    session: Session, activity: Activity | None, *, viewer: Any = None, steers: bool = False
) -> SafeString:
    """The current activity's own content, from the app that owns its kind."""
    if activity is None:
        return SafeString("")
    renderer = ACTIVITY_BODY_RENDERERS.get(activity.kind)
    if renderer is None:
        return SafeString("")
    return SafeString(renderer(session=session, activity=activity, viewer=viewer, steers=steers))


def render_activity(
    session: Session, *, viewer: Any = None, steers: bool = False, oob: bool = True
) -> str:
    """The #activity container: what the room is doing now."""
    activity = session.current_activity
    context = {
        "session": session,
        "activity": activity,
        "activity_body": render_activity_body(session, activity, viewer=viewer, steers=steers),
        "oob": oob,
    }
    return render_to_string(f"{ROOM_TEMPLATE}#activity", context)


def render_presence(session: Session, *, oob: bool = True) -> str:
    """The #presence container: who is here, by role."""
    groups = selectors.room_presence(session=session)
    context = {
        "presence": groups,
        "present_count": sum(len(people) for people in groups.values()),
        "oob": oob,
    }
    return render_to_string(f"{ROOM_TEMPLATE}#presence", context)


def render_agenda(session: Session, *, oob: bool = True) -> str:
    """The #agenda container (facilitators): every activity with a button to move the room."""
    context = {"session": session, "agenda": selectors.agenda(session=session), "oob": oob}
    return render_to_string(f"{ROOM_TEMPLATE}#agenda", context)


def render_agenda_items(session: Session, items: list[Activity]) -> str:
    """Some #agenda-item-<pk> entries as out-of-band fragments: after a move, the two whose
    "Now" changed, not the whole agenda."""
    context = {
        "session": session,
        "move_url": reverse("session_move", args=[session.pk]),
        "item_oob": True,
    }
    return "".join(
        render_to_string(f"{ROOM_TEMPLATE}#agenda-item", {**context, "item": item})
        for item in items
    )


def render_people_panel(session: Session, *, oob: bool = True) -> str:
    """The #people-panel container (facilitators): who joined, who waits, who was removed."""
    people = selectors.room_people_panel(session=session)
    language = get_language()
    context = {
        "session": session,
        "people": people,
        "admitted_rows": [_render_people_row(session.pk, p, language) for p in people["admitted"]],
        "oob": oob,
    }
    return render_to_string(f"{ROOM_TEMPLATE}#people-panel", context)


# Every arrival and departure pushes the whole panel again, yet it changes one person's row:
# each row is rendered once per state and language (a few hundred bytes each).
@lru_cache(maxsize=4096)
def _render_people_row(
    session_id: int, person: selectors.PanelPerson, language: str | None
) -> SafeString:
    context = {"session": Session(pk=session_id), "person": person}
    return SafeString(render_to_string(f"{ROOM_TEMPLATE}#people-row", context))


def render_steer_panels(session: Session, *, steers: bool, oob: bool = True) -> str:
    """The #steer-panels container: the people panel and the agenda for whoever steers, empty
    for anyone else, so a screen whose person starts or stops co-facilitating gets (or loses)
    the controls from its next snapshot."""
    context: dict[str, Any] = {"steers": steers, "oob": oob}
    if steers:
        context["people_html"] = SafeString(render_people_panel(session, oob=False))
        context["agenda_html"] = SafeString(render_agenda(session, oob=False))
    return render_to_string(f"{ROOM_TEMPLATE}#steer-panels", context)


OOB = ' hx-swap-oob="true"'
NO_STEER_PANELS = SafeString(f'<div id="steer-panels"{OOB}></div>')


def render_co_facilitator_note(session: Session, *, viewer: Any, oob: bool = True) -> str:
    """The #co-facilitator-note container: empty, unless this device's person is marked
    co-facilitator but signed in only by a picked name or as a walk-in."""
    if not co_facilitator_needs_proof(viewer, session):
        # Nearly every snapshot: no template to render.
        return SafeString(f'<div id="co-facilitator-note"{OOB if oob else ""}></div>')
    context = {"session": session, "oob": oob}
    return render_to_string(f"{ROOM_TEMPLATE}#co-facilitator-note", context)


def render_activity_own(session: Session, shared: str, *, viewer: Any) -> str:
    """A snapshot shared by the room with the viewer's own part of the activity put in."""
    activity = session.current_activity
    renderer = ACTIVITY_OWN_RENDERERS.get(activity.kind) if activity is not None else None
    if renderer is None:
        return shared
    placeholder, own = renderer(session=session, activity=activity, viewer=viewer)
    # Not found (the app drew no placeholder): the shared render stands as it is.
    return shared.replace(placeholder, own, 1) if placeholder else shared


def render_panels(
    session: Session, *, viewer: Any, steers: bool, oob: bool = True
) -> list[SafeString]:
    """Side panels from other apps (each a whole container with a stable id)."""
    return [
        SafeString(r(session=session, viewer=viewer, steers=steers, oob=oob))
        for r in ROOM_PANEL_RENDERERS
    ]


def render_dock(
    session: Session, *, viewer: Any, steers: bool, oob: bool = True
) -> list[SafeString]:
    """The person's own controls for the dock (each a whole container with a stable id).

    `steers` here is True for staff only: a co-facilitator steers, yet keeps their own hand.
    """
    parts = [r(session=session, viewer=viewer, steers=steers, oob=oob) for r in ROOM_DOCK_RENDERERS]
    return [SafeString(p) for p in parts if p]


def room_context(session: Session, *, viewer: Any) -> dict[str, Any]:
    """Everything the room page needs for one person."""
    steers, staff = steering(viewer, session)
    context: dict[str, Any] = {
        "session": session,
        "steers": steers,
        "activity_html": render_activity(session, viewer=viewer, steers=steers, oob=False),
        "presence_html": render_presence(session, oob=False),
        "panels": render_panels(session, viewer=viewer, steers=steers, oob=False),
        # A co-facilitator keeps their own hand and turn: only staff have no dock.
        "dock": render_dock(session, viewer=viewer, steers=staff, oob=False),
        "steer_panels_html": render_steer_panels(session, steers=steers, oob=False),
        "co_facilitator_note_html": render_co_facilitator_note(session, viewer=viewer, oob=False),
    }
    return context


def render_snapshot(session: Session, *, viewer: Any) -> tuple[str, int]:
    """Every container of the room as out-of-band fragments, for one person.

    The sequence number is read before the state: a push that lands in between is then
    applied twice (harmless, every fragment replaces a whole container) rather than missed.
    """
    seq = Session.objects.values_list("seq", flat=True).get(pk=session.pk)
    session = Session.objects.select_related("programme", "current_activity").get(pk=session.pk)
    steers, staff = steering(viewer, session)
    parts = [
        render_activity(session, viewer=viewer, steers=steers),
        render_presence(session),
        *render_panels(session, viewer=viewer, steers=steers),
        *render_dock(session, viewer=viewer, steers=staff),
        render_steer_panels(session, steers=steers),
        render_co_facilitator_note(session, viewer=viewer),
    ]
    return "".join(parts), seq


def snapshot_cache_key(session_id: int, audience: str, seq: int) -> str:
    """Where a session's shared snapshot for one audience at one room version is cached."""
    return f"room-snapshot:{session_id}:{audience}:{seq}"


def render_shared_snapshot(session: Session) -> str:
    """The participants' part of a snapshot that is the same for all of them: what a room
    push would send (with a placeholder where a board shows a person's own ideas)."""
    parts = [render_activity(session), *render_panels(session, viewer=None, steers=False)]
    return "".join(parts)


def render_participant_snapshot(session: Session, *, viewer: Any) -> tuple[str, int]:
    """A participant's snapshot for the socket: the shared part from the cache, then their
    own part of the activity and their dock. `session` must be freshly read: its seq is the
    version the cache is keyed by, and the state is read after it.

    Only what room pushes change is cached: they all move `seq` on. Presence is left out
    (every arrival pushes it to the whole room at once), and the dock is rendered each time
    (its pushes go to the person alone and do not move `seq`). Never for facilitators: their
    pushes do not move `seq` either, so their snapshot is always rendered.
    """
    seq = session.seq
    key = snapshot_cache_key(session.pk, "room", seq)
    shared = cache.get(key)
    if shared is None:
        shared = render_shared_snapshot(session)
        cache.set(key, shared, SNAPSHOT_TTL_SECONDS)
    html = render_activity_own(session, shared, viewer=viewer)
    return html + render_participant_own(session, viewer=viewer), seq


def render_participant_own(session: Session, *, viewer: Any) -> str:
    """The end of a participant's snapshot, never cached: their dock, no steering panels (a
    screen that had them, say a co-facilitator's, loses them), and their co-facilitator note."""
    parts = [
        *render_dock(session, viewer=viewer, steers=False),
        NO_STEER_PANELS,
        render_co_facilitator_note(session, viewer=viewer),
    ]
    return "".join(parts)


def render_resync_snapshot(session: Session, *, viewer: Any) -> tuple[str, int]:
    """The snapshot a browser fetches over HTTP after a gap in the pushes.

    Anyone who steers (staff or a co-facilitator) gets a fresh one; a participant's comes
    mostly from the cache, like a handshake's, with presence added (its pushes may have been
    lost in the same gap).
    """
    if steering(viewer, session)[0]:
        return render_snapshot(session, viewer=viewer)
    fresh = Session.objects.select_related("programme", "current_activity").get(pk=session.pk)
    html, seq = render_participant_snapshot(fresh, viewer=viewer)
    return html + render_presence(fresh), seq


def broadcast_activity(session: Session, *, event: str, announce: str = "") -> None:
    """Push #activity to the room, and the steering version to facilitators.

    Called by services inside their transaction.
    """
    broadcast.broadcast_on_commit(
        session_id=session.pk, event=event, html=render_activity(session), announce=announce
    )
    broadcast.broadcast_on_commit(
        session_id=session.pk,
        event=event,
        audience="facilitators",
        html=render_activity(session, steers=True),
    )
