"""The shipped stack behind a proxy: the client address a limit counts cannot be forged.

These tests start daphne with the Dockerfile's own command line and docker-compose.yml's own
environment, and play the TLS-terminating proxy in front (which appends the address it sees
to X-Forwarded-For, as nginx's $proxy_add_x_forwarded_for does).
"""

import http.client
import re
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from project import proxies
from tests.browser.conftest import Server, server_env, start_server
from tests.factories import LiveSessionFactory

ROOT = Path(__file__).resolve().parents[1]
CSRF = "proxytestcsrftoken0123456789abcd"  # any 32 letters and digits is a valid secret
REAL_CLIENT = "198.51.100.7"


def compose_environment() -> dict[str, str]:
    """The web processes' environment as docker-compose.yml ships it (each ${VAR:-default})."""
    text = (ROOT / "docker-compose.yml").read_text()
    block = re.search(r"\nx-web: &web\n.*?\n  environment:\n((?:    [^\n]*\n)+)", text, re.DOTALL)
    assert block, "docker-compose.yml has no environment for its web processes"
    env = {}
    for line in block[1].splitlines():
        if line.strip().startswith("#"):
            continue
        key, _, value = line.strip().partition(": ")
        value = value.strip().strip('"')
        default = re.fullmatch(r"\$\{\w+(?::-(.*)|:\?.*)\}", value)
        env[key] = (default[1] or "") if default else value
    return env


def dockerfile_daphne_options() -> list[str]:
    """The options the image's CMD gives daphne (the listening address and port left out)."""
    cmd = re.search(r"daphne (.*?) -b ", (ROOT / "Dockerfile").read_text())
    assert cmd, "the Dockerfile does not start daphne"
    return shlex.split(cmd[1])


@pytest.fixture
def shipped_server(transactional_db: Any) -> Iterator[Server]:
    """daphne as the Docker image runs it, with docker-compose's environment."""
    # The browser tests' server lifts the join limit; this one keeps the shipped limits.
    env = {
        **{k: v for k, v in server_env().items() if not k.startswith("JOIN_CODE_")},
        **{k: v for k, v in compose_environment().items() if not k.endswith("_URL")},
        "SECRET_KEY": "proxy-test-" + "k" * 50,
    }
    server = start_server(env, name="daphne-shipped", options=dockerfile_daphne_options())
    yield server
    server.stop()


def post_code(server: Server, code: str, forwarded_for: str) -> int:
    """POST a join code as the proxy would pass it on; the status code."""
    scheme = "https" if compose_environment().get("COMHLA_HTTPS") in {"1", "true"} else "http"
    origin = f"{scheme}://127.0.0.1:{server.port}"
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=15)
    try:
        conn.request(
            "POST",
            "/join/",
            body=f"code={code}&csrfmiddlewaretoken={CSRF}",
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={CSRF}",
                "Origin": origin,
                "Referer": origin + "/join/",
                "X-Forwarded-For": forwarded_for,
                "X-Forwarded-Proto": scheme,
            },
        )
        return conn.getresponse().status
    finally:
        conn.close()


def test_compose_runs_two_web_processes_only_the_proxy_can_reach() -> None:
    text = (ROOT / "docker-compose.yml").read_text()
    services = text[text.index("\nservices:\n") : text.index("\n  postgres:\n    image")]
    for name in ("web1", "web2"):
        block = re.search(rf"\n  {name}:\n((?:    [^\n]*\n|\n)+)", services)
        assert block and "<<: *web" in block[1], f"{name} does not run the shared web service"
    web = text[text.index("x-web: &web") : text.index("\nservices:\n")]
    assert "\n  ports:" not in web, "daphne must not be published around the proxy"
    caddyfile = text[text.index("caddyfile:") :]
    assert re.search(r"reverse_proxy web1:8000 web2:8000", caddyfile)
    assert compose_environment()["TRUSTED_PROXY_COUNT"] == "1"


def test_the_image_does_not_let_daphne_trust_forwarded_headers() -> None:
    assert "--proxy-headers" not in dockerfile_daphne_options()


def test_a_guesser_rotating_forged_forwarded_for_is_stopped(shipped_server: Server) -> None:
    LiveSessionFactory(join_code="424242")
    limit = int(compose_environment().get("JOIN_CODE_RATE_LIMIT", settings.JOIN_CODE_RATE_LIMIT))
    statuses = [
        post_code(shipped_server, f"{i:06d}", f"203.0.113.{i % 250}, {REAL_CLIENT}")
        for i in range(limit + 2)
    ]
    assert statuses[:limit] == [400] * limit
    assert statuses[-1] == 429
    # Another person behind the same proxy is not held up by the guesser.
    assert post_code(shipped_server, "424242", "198.51.100.8") == 302


def test_a_forwarded_address_that_is_not_an_ip_never_gives_a_500(shipped_server: Server) -> None:
    LiveSessionFactory(join_code="424242")
    limit = int(compose_environment().get("JOIN_CODE_RATE_LIMIT", settings.JOIN_CODE_RATE_LIMIT))
    statuses = {
        post_code(shipped_server, "000001", forged)
        for forged in ["not-an-ip:zz", "::zz", "x" * 300, " , ,"]
        for _ in range(limit + 2)
    }
    assert 500 not in statuses
    assert statuses <= {400, 429}


class TestClientAddress:
    """The right-most address no trusted proxy added; REMOTE_ADDR alone without the setting."""

    def test_without_the_setting_forwarded_for_is_ignored(self, settings: Any) -> None:
        settings.TRUSTED_PROXY_COUNT, settings.TRUSTED_PROXIES = 0, []
        assert proxies.client_ip("10.0.0.2", "1.2.3.4") == "10.0.0.2"

    def test_one_trusted_proxy_takes_the_address_it_added(self, settings: Any) -> None:
        settings.TRUSTED_PROXY_COUNT, settings.TRUSTED_PROXIES = 1, []
        assert proxies.client_ip("10.0.0.2", "6.6.6.6, 1.2.3.4") == "1.2.3.4"
        assert proxies.client_ip("10.0.0.2", None) == "10.0.0.2"

    def test_two_trusted_proxies(self, settings: Any) -> None:
        settings.TRUSTED_PROXY_COUNT, settings.TRUSTED_PROXIES = 2, []
        assert proxies.client_ip("10.0.0.2", "6.6.6.6, 1.2.3.4, 10.0.0.1") == "1.2.3.4"

    def test_trusted_proxy_networks(self, settings: Any) -> None:
        settings.TRUSTED_PROXY_COUNT = 0
        settings.TRUSTED_PROXIES = proxies.parse_networks("10.0.0.0/8, 2001:db8::1")
        assert proxies.client_ip("10.0.0.2", "6.6.6.6, 1.2.3.4, 10.9.9.9") == "1.2.3.4"
        assert proxies.client_ip("2001:db8::1", "2001:db8:1::5") == "2001:db8:1::5"
        # Not from a trusted proxy: its header is not believed.
        assert proxies.client_ip("1.2.3.4", "6.6.6.6") == "1.2.3.4"

    def test_a_hop_that_is_not_an_address_is_ignored(self, settings: Any) -> None:
        settings.TRUSTED_PROXY_COUNT, settings.TRUSTED_PROXIES = 1, []
        assert proxies.client_ip("10.0.0.2", "6.6.6.6, not-an-ip") == "10.0.0.2"
        assert proxies.client_ip("not-an-ip", "6.6.6.6") is None

    async def test_sockets_see_the_same_client_address(self, settings: Any) -> None:
        settings.TRUSTED_PROXY_COUNT, settings.TRUSTED_PROXIES = 1, []
        seen: list[Any] = []

        async def inner(scope: Any, receive: Any, send: Any) -> None:
            seen.append(scope["client"])

        app = proxies.TrustedProxyMiddleware(inner)
        headers = [(b"x-forwarded-for", b"6.6.6.6, 1.2.3.4")]
        await app(
            {"type": "websocket", "client": ["10.0.0.2", 5000], "headers": headers}, None, None
        )
        assert seen == [("1.2.3.4", 5000)]
