"""The room socket's Origin check: the page must come from the very site the socket is on.

channels' AllowedHostsOriginValidator compares host names only, so a page on another port of
the same host, or served over plain http, could open a signed-in person's socket.
"""

from typing import Any
from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port, validate_host
from django.utils.http import is_same_domain

DEFAULT_PORTS = {"http": 80, "https": 443}


def _header(scope: dict[str, Any], name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin1"))
    return None


def _site_scheme(scope: dict[str, Any]) -> str:
    """http or https, as Django decides it for a request (SECURE_PROXY_SSL_HEADER)."""
    proxy = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if proxy:
        name, secure_value = proxy
        value = _header(scope, name.removeprefix("HTTP_").lower().replace("_", "-").encode())
        if value is not None:
            return "https" if value.split(",")[0].strip() == secure_value else "http"
    return "https" if scope.get("scheme") in ("wss", "https") else "http"


def _origin_tuple(scheme: str, netloc: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) with the scheme's default port filled in, or None if malformed."""
    if scheme not in DEFAULT_PORTS:
        return None
    try:
        parts = urlsplit(f"{scheme}://{netloc}")
        port = parts.port
    except ValueError:
        return None
    if not parts.hostname:
        return None
    return scheme, parts.hostname, port or DEFAULT_PORTS[scheme]


def origin_allowed(scope: dict[str, Any]) -> bool:
    """Whether the socket's Origin is this site (scheme, host and port) or a trusted origin."""
    origin = _header(scope, b"origin")
    if not origin:
        return False
    try:
        parsed = urlsplit(origin.strip().lower())
    except ValueError:
        return False
    theirs = _origin_tuple(parsed.scheme, parsed.netloc)
    if theirs is None or parsed.path or parsed.query or parsed.fragment:
        return False
    host = (_header(scope, b"host") or "").lower()
    allowed_hosts = list(settings.ALLOWED_HOSTS)
    if settings.DEBUG and not allowed_hosts:
        allowed_hosts = [".localhost", "127.0.0.1", "[::1]"]
    domain, _ = split_domain_port(host)
    if (
        domain
        and validate_host(domain, allowed_hosts)
        and theirs == _origin_tuple(_site_scheme(scope), host)
    ):
        return True
    for trusted in settings.CSRF_TRUSTED_ORIGINS:
        # As Django's CSRF check reads them: "https://*.example.org" is any subdomain.
        pattern = urlsplit(trusted.lower())
        ours = _origin_tuple(pattern.scheme, pattern.netloc.removeprefix("*"))
        if ours is None or ours[0] != theirs[0] or ours[2] != theirs[2]:
            continue
        if ours[1] == theirs[1] or (ours[1].startswith(".") and is_same_domain(theirs[1], ours[1])):
            return True
    return False


class SameOriginValidator:
    """Lets a WebSocket through only from this site's own pages (see origin_allowed)."""

    def __init__(self, application: Any) -> None:
        self.application = application

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        if scope["type"] != "websocket":
            raise ValueError("SameOriginValidator only guards WebSocket connections")
        if origin_allowed(scope):
            return await self.application(scope, receive, send)
        return await WebsocketDenier()(scope, receive, send)
