"""Template context every page needs."""

from typing import Any

from django.http import HttpRequest

# Larger text is a choice for one device (a shared tablet, a phone): a cookie, not the account.
LARGE_TEXT_COOKIE = "comhla_large_text"
LARGE_TEXT_COOKIE_AGE = 365 * 24 * 3600


def wants_large_text(request: HttpRequest) -> bool:
    """Has this device chosen larger text?"""
    return request.COOKIES.get(LARGE_TEXT_COOKIE) == "1"


def access_needs(request: HttpRequest) -> dict[str, Any]:
    """Whether to show this page in large text."""
    return {"large_text": wants_large_text(request)}
