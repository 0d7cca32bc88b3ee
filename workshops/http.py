"""Small helpers shared by views: htmx-aware responses and rate limits."""

from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django_htmx.middleware import HtmxDetails

from project import proxies

if TYPE_CHECKING:
    from participants.models import User


class HtmxHttpRequest(HttpRequest):
    """A request that django-htmx has looked at."""

    htmx: HtmxDetails


class AuthenticatedHttpRequest(HtmxHttpRequest):
    """A request from someone signed in (behind login_required)."""

    user: "User"


ERRORS_TEMPLATE = "partials/errors.html"


def client_address(request: HttpRequest) -> str:
    """The client's address (project.proxies sets it from the trusted proxies), or "unknown"."""
    ip = proxies.parse_ip(request.META.get("REMOTE_ADDR"))
    return str(ip) if ip is not None else "unknown"


def error_fragment(
    request: HttpRequest, messages: list[str], *, target: str = "#page-errors", status: int = 422
) -> HttpResponse:
    """An error list swapped into the sender's own page only (never broadcast)."""
    html = render_to_string(ERRORS_TEMPLATE, {"errors": messages}, request=request)
    return HttpResponse(
        html, status=status, headers={"HX-Retarget": target, "HX-Reswap": "innerHTML"}
    )


def done(request: HttpRequest) -> HttpResponse:
    """An htmx change succeeded: the socket brings the new state to everyone, sender included."""
    return HttpResponse(status=204)


class RateLimit:
    """Counts failures per key in the shared cache; trips after `limit` within `window` seconds."""

    def __init__(self, name: str, *, limit: int, window: int) -> None:
        self.name, self.limit, self.window = name, limit, window

    def key(self, who: str) -> str:
        """The cache key for one address."""
        return f"ratelimit:{self.name}:{who}"

    def tripped(self, who: str) -> bool:
        """Has this address failed too often lately?"""
        return int(cache.get(self.key(who), 0)) >= self.limit

    def fail(self, who: str) -> None:
        """Count one failure."""
        key = self.key(who)
        if not cache.add(key, 1, self.window):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, self.window)


def form_errors(form: Any) -> list[str]:
    """A form's errors as plain sentences."""
    return [str(e) for errors in form.errors.values() for e in errors]
