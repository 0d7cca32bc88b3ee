"""Security events: recorded once each, as data, with who, what and the outcome.

Only identifiers and fixed words go in: never a name, an email address or anything a person
typed, so the record can be kept and read without becoming personal data itself.
"""

import logging
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from participants.identity import ROOM_SCOPE_KEY, SIGNIN_METHOD_KEY
from participants.models import SecurityEvent
from project import proxies

logger = logging.getLogger("comhla.security")


def record(
    *, kind: str, actor: Any = None, target: str = "", outcome: str = "", address: str | None = None
) -> None:
    """Write one security event (and a log line with the same identifiers)."""
    if proxies.parse_ip(address) is None:
        address = None
    actor_id = actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None
    SecurityEvent.objects.create(
        kind=kind, actor_id=actor_id, target=target[:80], outcome=outcome[:80], address=address
    )
    logger.info("security %s actor=%s target=%s outcome=%s", kind, actor_id, target, outcome)


@receiver(user_login_failed)
def signin_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    """A failed sign-in: recorded without the email address or password that were typed."""
    address = request.META.get("REMOTE_ADDR") if request is not None else None
    record(kind=SecurityEvent.Kind.SIGNIN_FAILED, outcome="refused", address=address)


@receiver(user_logged_in)
def signed_in(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
    """Any sign-in counts as proven (password or emailed code) until a view says otherwise.

    Our own views that sign a device in by card, by a picked name or as a walk-in set the
    method themselves right after.
    """
    if request is not None and hasattr(request, "session"):
        request.session[SIGNIN_METHOD_KEY] = "account"
        request.session.pop(ROOM_SCOPE_KEY, None)
