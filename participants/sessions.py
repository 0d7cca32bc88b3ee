"""How long a signed-in device stays signed in.

Contributors keep their place on their own device for a year (SESSION_COOKIE_AGE): no
passwords for them. Staff — anyone who signed in by password or emailed code, or who
organises or facilitates — reach personal data and payments, so their session ends after
STAFF_IDLE_MINUTES without a request.
"""

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

from participants.identity import SIGNIN_METHOD_KEY
from participants.models import STEERING_ROLES, Membership

STEERS_KEY = "comhla_steers"
TOUCHED_KEY = "comhla_idle_touched"
# Contributors' sign-ins (card, confirmed in the room, picked name, walk-in); anything else
# (password, emailed code) is a staff sign-in.
CONTRIBUTOR_METHODS = frozenset({"card", "confirmed", "name", "walk_in"})
# The idle clock restarts at most once a minute: no session write on every request.
TOUCH_EVERY_SECONDS = 60


@receiver(user_logged_in)
def note_staff_role(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """At sign-in, note whether this person organises or facilitates anywhere; start idling.

    A card or name sign-in says so after this (SIGNIN_METHOD_KEY), and the middleware then
    gives a contributor their year back.
    """
    if request is None or not hasattr(request, "session"):
        return
    request.session[STEERS_KEY] = Membership.objects.filter(
        user=user, role__in=STEERING_ROLES, left_on__isnull=True
    ).exists()
    _touch(request.session)


def _touch(session: Any) -> None:
    session.set_expiry(settings.STAFF_IDLE_MINUTES * 60)
    session[TOUCHED_KEY] = int(time.time())


def is_staff_session(session: Any) -> bool:
    """Signed in by password or code, or by someone who organises or facilitates."""
    return bool(session.get(STEERS_KEY)) or session.get(SIGNIN_METHOD_KEY) not in (
        CONTRIBUTOR_METHODS
    )


def staff_idle_expiry(get_response: Callable[[HttpRequest], HttpResponse]) -> Any:
    """Middleware: a staff session ends STAFF_IDLE_MINUTES after its last request."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        # After the view: a sign-in in this request has set what kind of sign-in it was.
        if settings.SESSION_COOKIE_NAME in request.COOKIES or request.session.modified:
            session = request.session
            if SESSION_KEY not in session:
                pass
            elif is_staff_session(session):
                touched = int(session.get(TOUCHED_KEY, 0))
                stale = time.time() - touched >= TOUCH_EVERY_SECONDS
                if stale or session.get_expiry_age() != settings.STAFF_IDLE_MINUTES * 60:
                    _touch(session)
            elif TOUCHED_KEY in session:
                session.set_expiry(None)
                del session[TOUCHED_KEY]
        return response

    return middleware
