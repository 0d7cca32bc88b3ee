"""How a device proved who it is, and the one session a room identity is limited to.

A picked name or a walk-in is a room identity: it takes part in one session's room and
nothing else. Everything else a person may do is decided in workshops.access.
"""

from collections.abc import Callable
from typing import Any

SIGNIN_METHOD_KEY = "comhla_signin_method"
# The one session a room identity may take part in.
ROOM_SCOPE_KEY = "comhla_room_scope"
# How a device proved who it is: a personal card, an emailed code or a password ("account"),
# or a facilitator who could see the person ("confirmed").
PROVEN_METHODS = frozenset({"card", "account", "confirmed"})
# A name picked from the room's list, or a new name given at the door: the room only.
ROOM_METHODS = frozenset({"name", "walk_in"})
_ROOM_SCOPE_ATTR = "_comhla_room_scope"
# allauth's pages a room identity may use: signing in properly, by code, and signing out.
ROOM_IDENTITY_ACCOUNT_URLS = frozenset(
    {"account_login", "account_request_login_code", "account_confirm_login_code", "account_logout"}
)


def room_identity_allowed[View: Callable[..., Any]](view: View) -> View:
    """Mark a view a room identity may use (for its own session only); every other view
    refuses it (participants.middleware.RoomIdentityMiddleware)."""
    view.room_identity_allowed = True  # type: ignore[attr-defined]
    return view


def joining_allowed[View: Callable[..., Any]](view: View) -> View:
    """Mark a step of joining a session by its code: open to a room identity of any session,
    since joining another session is how a device moves on."""
    view.room_identity_allowed = True  # type: ignore[attr-defined]
    view.room_identity_any_session = True  # type: ignore[attr-defined]
    return view


def signed_in_strongly(request: Any) -> bool:
    """Signed in by card, emailed code, password or a facilitator's confirmation.

    Anything outside one session's room needs this: a picked name or a walk-in does not have it.
    """
    if not request.user.is_authenticated:
        return False
    return request.session.get(SIGNIN_METHOD_KEY) in PROVEN_METHODS


def room_scope_of_session(session_store: Any) -> int | None:
    """The session a device's room identity is limited to, or None for a proven identity."""
    if session_store is None or session_store.get(SIGNIN_METHOD_KEY) in PROVEN_METHODS:
        return None
    # A room identity whose scope is missing reaches no session at all (0 is no session's id).
    return int(session_store.get(ROOM_SCOPE_KEY) or 0)


def limit_to_room(user: Any, session_store: Any) -> int | None:
    """Mark a signed-in user object with its room scope (None when proven); return it."""
    if user is None or not user.is_authenticated:
        return None
    scope = room_scope_of_session(session_store)
    setattr(user, _ROOM_SCOPE_ATTR, scope)
    return scope


def room_scope(user: Any) -> int | None:
    """The one session this signed-in person may act in, if theirs is only a room identity."""
    return getattr(user, _ROOM_SCOPE_ATTR, None)
