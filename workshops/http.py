"""Small helpers shared by views: htmx-aware responses and rate limits."""

import ipaddress
from typing import TYPE_CHECKING, Any

from django.conf import settings
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


ERRORS_TEMPLATE = "partials/error_summary.html"
# Every client whose address is not an IP shares this one key.
UNKNOWN_ADDRESS = "unknown"


def client_address(request: HttpRequest) -> str:
    """The client's address (project.proxies sets it from the trusted proxies), or "unknown"."""
    ip = proxies.parse_ip(request.META.get("REMOTE_ADDR"))
    return str(ip) if ip is not None else UNKNOWN_ADDRESS


def error_fragment(
    request: HttpRequest, messages: list[str], *, target: str = "#page-errors", status: int = 422
) -> HttpResponse:
    """An error list swapped into the sender's own page only (never broadcast)."""
    html = render_to_string(ERRORS_TEMPLATE, {"error_messages": messages}, request=request)
    return HttpResponse(
        html, status=status, headers={"HX-Retarget": target, "HX-Reswap": "innerHTML"}
    )


def done(request: HttpRequest) -> HttpResponse:
    """An htmx change succeeded: the socket brings the new state to everyone, sender included."""
    return HttpResponse(status=204)


def limit_key(address: str) -> str:
    """What a limit counts: an IPv6 address's /64 (one home or phone has them all), else the address."""
    ip = proxies.parse_ip(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is None:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return address


class RateLimit:
    """Counts failures per key in the shared cache; trips after a number within a window.

    `limit` and `window` name settings (read on each use, so tests can change them) or are
    numbers of failures and seconds.
    """

    def __init__(self, name: str, *, limit: str | int, window: str | int) -> None:
        self.name, self._limit, self._window = name, limit, window

    @property
    def limit(self) -> int:
        """Failures allowed within the window."""
        return int(getattr(settings, self._limit) if isinstance(self._limit, str) else self._limit)

    @property
    def window(self) -> int:
        """The window, in seconds."""
        window = self._window
        return int(getattr(settings, window) if isinstance(window, str) else window)

    def key(self, who: str) -> str:
        """The cache key for one address."""
        return f"ratelimit:{self.name}:{limit_key(who)}"

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


class KnownAddresses:
    """Addresses remembered for a while in the shared cache (an IPv6 address by its /64)."""

    def __init__(self, name: str, *, seconds: int) -> None:
        self.name, self.seconds = name, seconds

    def add(self, who: str) -> None:
        """Remember this address (again) from now."""
        if who != UNKNOWN_ADDRESS:
            cache.set(f"known:{self.name}:{limit_key(who)}", 1, self.seconds)

    def __contains__(self, who: str) -> bool:
        return who != UNKNOWN_ADDRESS and bool(cache.get(f"known:{self.name}:{limit_key(who)}"))


def form_errors(form: Any) -> list[str]:
    """A form's errors as plain sentences."""
    return [str(e) for errors in form.errors.values() for e in errors]
