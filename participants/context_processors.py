"""Template context every page needs."""

from typing import Any

from django.http import HttpRequest

from participants.identity import signed_in_strongly

# Larger text is a choice for one device (a shared tablet, a phone): a cookie, not the account.
# A device that has not chosen follows the person's own access needs, once they proved who they
# are (a name picked in the room is not their device).
LARGE_TEXT_COOKIE = "comhla_large_text"
LARGE_TEXT_COOKIE_AGE = 365 * 24 * 3600


def wants_large_text(request: HttpRequest) -> bool:
    """Larger text: this device's choice, or else the signed-in person's access need."""
    chosen = request.COOKIES.get(LARGE_TEXT_COOKIE)
    if chosen in ("0", "1"):
        return chosen == "1"
    user = getattr(request, "user", None)
    return bool(
        user is not None
        and user.is_authenticated
        and getattr(user, "large_text", False)
        and signed_in_strongly(request)
    )


def access_needs(request: HttpRequest) -> dict[str, Any]:
    """Whether to show this page in large text."""
    return {"large_text": wants_large_text(request)}
