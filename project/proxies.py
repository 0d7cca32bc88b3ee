"""Which address a request came from, when proxies stand in front of daphne.

X-Forwarded-For is a list anyone can start: only the entries our own proxies appended can be
believed. So the client is the right-most address that no trusted proxy added — never the
left-most. Without TRUSTED_PROXY_COUNT or TRUSTED_PROXIES the header is ignored entirely.
"""

import ipaddress
from typing import Any

from django.conf import settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_ip(value: str | None) -> IPAddress | None:
    """The address in `value`, or None if it is not one."""
    try:
        return ipaddress.ip_address((value or "").strip())
    except ValueError:
        return None


def parse_networks(value: str) -> list[IPNetwork]:
    """Comma-separated addresses or networks (10.0.0.0/8, 2001:db8::1)."""
    return [ipaddress.ip_network(item.strip()) for item in value.split(",") if item.strip()]


def client_ip(peer: str | None, forwarded_for: str | None) -> str | None:
    """The right-most address not added by a trusted proxy; None if the peer is no address."""
    count: int = settings.TRUSTED_PROXY_COUNT
    networks: list[IPNetwork] = settings.TRUSTED_PROXIES
    hops = [hop for hop in (forwarded_for or "").split(",") if hop.strip()]
    hops.append(peer or "")
    client = None
    for position, hop in enumerate(reversed(hops)):
        ip = parse_ip(hop)
        if ip is None:
            # Not an address: ignored, and nothing written to its left can be believed.
            break
        client = str(ip)
        if position >= count and not any(ip in network for network in networks):
            break
    return client


class TrustedProxyMiddleware:
    """ASGI middleware: sets scope["client"] (REMOTE_ADDR, and a socket's client) as above."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> Any:
        """Replace the peer with the client before anything reads it."""
        if scope["type"] in ("http", "websocket") and scope.get("client"):
            forwarded = b",".join(
                value for name, value in scope.get("headers", []) if name == b"x-forwarded-for"
            ).decode("latin-1")
            peer, port = scope["client"][0], scope["client"][1]
            ip = client_ip(peer, forwarded or None)
            if ip is not None:
                scope = {**scope, "client": (ip, port)}
        return await self.app(scope, receive, send)
