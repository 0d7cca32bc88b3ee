"""Template context every page needs."""

from typing import Any

from django.http import HttpRequest

LARGE_TEXT_SESSION_KEY = "comhla_large_text"


def wants_large_text(request: HttpRequest) -> bool:
    """Large text, from the person's saved needs or this device's choice."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.large_text:
        return True
    return bool(request.session.get(LARGE_TEXT_SESSION_KEY, False))


def access_needs(request: HttpRequest) -> dict[str, Any]:
    """Whether to show this page in large text."""
    return {"large_text": wants_large_text(request)}
