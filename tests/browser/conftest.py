"""Browser tests: Playwright drives Debian's Chromium against a real daphne server.

The server runs in its own process on the test database (a file for SQLite, the test
database for PostgreSQL), so tests use `transactional_db` and commit what the server must
see. Every page a test visits is checked with axe-core. Any console error (a
Content-Security-Policy violation or anything else) and any error response (status 400 or
more) from our server fails the test, unless the test declared it beforehand with
`expect_status(page, 404)` or `expect_console_error(page, "...")`. Nothing here is skipped
when something is missing: a missing browser or service is an error that says what to install.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import connection

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between browser steps are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright
from playwright.sync_api import Error as PlaywrightError

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Three minutes after it starts, Chromium 156 launches its on-device AI model service to
    # rate this machine's GPU. In CI that moment wedged the browser: a context never closed
    # and the run hung (twice at the same test, the one running at 3:00). Telling Chromium
    # the performance class up front means it never runs that evaluation.
    "--optimization-guide-performance-class=1",
]
ARTIFACTS = ROOT / "test-artifacts"
# The same limits `make run` and the Dockerfile give daphne.
DAPHNE_LIMITS = [
    "--websocket-max-message-size",
    "4194304",
    "--websocket-max-frame-size",
    "4194304",
    "--websocket_connect_timeout",
    "30",
]


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_env() -> dict[str, str]:
    """The environment a test server needs to share this test run's database."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        env["SQLITE_PATH"] = str(db["NAME"])
        env.pop("DATABASE_URL", None)
    else:
        env["DATABASE_URL"] = (
            f"postgres://{db['USER'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        )
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "project.settings",
            "JOIN_CODE_RATE_LIMIT": "10000",
            "JOIN_CODE_DAILY_LIMIT": "10000",
            "JOIN_CODE_GLOBAL_LIMIT": "10000",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


@dataclass
class Server:
    """A daphne process serving the app on loopback."""

    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def url(self) -> str:
        """Where a browser reaches it."""
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        """Stop it and wait."""
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_server(
    env: dict[str, str],
    *,
    port: int | None = None,
    name: str = "daphne",
    options: list[str] | None = None,
) -> Server:
    """Start daphne (with `options`, or `make run`'s limits) and wait until /healthz answers."""
    port = port or free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log = ARTIFACTS / f"{name}-{port}.log"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "daphne",
            *(DAPHNE_LIMITS if options is None else options),
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            "project.asgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"daphne exited early; see {log}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as resp:
                if resp.status == 200:
                    return Server(port=port, process=process, log=log)
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"daphne did not start within 30 s; see {log}")


@pytest.fixture(scope="session")
def live_server_process(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Server]:
    """One daphne server for the whole browser test run."""
    with django_db_blocker.unblock():
        env = server_env()
    server = start_server(env)
    yield server
    server.stop()


@pytest.fixture
def server(live_server_process: Server, transactional_db: Any) -> Server:
    """The live server, with a database the test commits to."""
    return live_server_process


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    """Playwright's driver, once for the run. Fails loudly if Chromium is not installed."""
    if not (shutil.which(CHROMIUM) or Path(CHROMIUM).exists()):
        raise RuntimeError(
            f"Chromium not found at {CHROMIUM}: install Debian's package (apt-get install chromium)"
        )
    with sync_playwright() as pw:
        yield pw
        if _LAUNCHED:
            _LAUNCHED[0].close()


_LAUNCHED: list[Browser] = []


@pytest.fixture
def browser(playwright_driver: Playwright) -> Browser:
    """Debian's Chromium, headless: one for the run, launched again only if it was wedged."""
    return live_browser(playwright_driver)


def live_browser(driver: Playwright) -> Browser:
    """The run's Chromium, launched now if there is none or the last one was killed."""
    if _LAUNCHED and not _LAUNCHED[0].is_connected():
        _LAUNCHED.clear()
    if not _LAUNCHED:
        _LAUNCHED.append(
            driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        )
    return _LAUNCHED[0]


# Closing a context takes well under a second. In CI, Chromium 156 once wedged in that close
# for the whole five-minute test limit after the test itself had passed: a hang of the browser,
# not of the page. Past this limit the browser's processes are killed (the next test launches
# a fresh one) and the wedge is reported, never hidden.
CONTEXT_CLOSE_LIMIT = 60.0


def _browser_process_ids() -> list[int]:
    """Chromium's processes under this test process (Linux /proc; Playwright's driver is between)."""
    parents: dict[int, int] = {}
    names: dict[int, str] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        pid = int(stat.parent.name)
        names[pid] = text[text.index("(") + 1 : text.rindex(")")]
        parents[pid] = int(text[text.rindex(")") + 2 :].split()[1])
    ours = {os.getpid()}
    grew = True
    while grew:
        below = {pid for pid, parent in parents.items() if parent in ours} - ours
        grew = bool(below)
        ours |= below
    return [pid for pid in ours if "chrom" in names.get(pid, "")]


def close_context(ctx: BrowserContext) -> bool:
    """Close a browser context; kill Chromium if it wedges. True if it closed by itself."""
    closed = threading.Event()
    wedged = threading.Event()

    def watchdog() -> None:
        if closed.wait(CONTEXT_CLOSE_LIMIT):
            return
        wedged.set()
        for pid in _browser_process_ids():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    threading.Thread(target=watchdog, name="context-close-watchdog", daemon=True).start()
    try:
        ctx.close()
    except PlaywrightError:
        if not wedged.is_set():
            raise
    finally:
        closed.set()
    return not wedged.is_set()


@dataclass
class PageProblems:
    """What went wrong in a page: console errors, uncaught script errors, and error
    responses (status 400 or more) from our server that the test did not expect."""

    messages: list[str] = field(default_factory=list)
    expected_statuses: set[int] = field(default_factory=set)
    expected_console: list[str] = field(default_factory=list)


PROBLEMS_ATTR = "_comhla_problems"


def _problems(page: Page) -> PageProblems:
    problems = getattr(page, PROBLEMS_ATTR, None)
    if problems is None:
        raise AssertionError("this page was not opened with open_page")
    return problems


def expect_status(page: Page, *statuses: int) -> None:
    """Declare that this page will deliberately get these error statuses (404, 403, 429...)."""
    _problems(page).expected_statuses.update(statuses)


def expect_console_error(page: Page, text: str) -> None:
    """Declare a console error this page will deliberately show (matched by a substring)."""
    _problems(page).expected_console.append(text)


PHONE: Any = {"width": 375, "height": 812}
LAPTOP: Any = {"width": 1280, "height": 900}


@pytest.fixture
def open_page(
    browser: Browser, server: Server, request: pytest.FixtureRequest
) -> Iterator[Callable[..., Page]]:
    """Open a page in a fresh browser context (a separate person): open_page(user, phone=True)."""
    contexts: list[tuple[BrowserContext, PageProblems]] = []

    def opener(user: Any = None, *, phone: bool = False, base_url: str | None = None) -> Page:
        ctx = browser.new_context(
            viewport=PHONE if phone else LAPTOP, base_url=base_url or server.url
        )
        problems = PageProblems()
        if user is not None:
            sign_in(ctx, user, base_url or server.url)
        page = ctx.new_page()
        page.set_default_timeout(10_000)
        setattr(page, PROBLEMS_ATTR, problems)
        origin = base_url or server.url

        def on_console(msg: Any) -> None:
            text = msg.text
            if msg.type != "error":
                return
            if any(expected in text for expected in problems.expected_console):
                return
            # The browser also logs each error response; that is judged by its status below.
            if "Failed to load resource: the server responded with a status of" in text:
                status = int(text.split("status of ")[1].split()[0])
                if status in problems.expected_statuses:
                    return
            problems.messages.append(f"console error: {text}")

        def on_response(response: Any) -> None:
            if response.status < 400 or not response.url.startswith(origin):
                return
            if response.status in problems.expected_statuses:
                return
            problems.messages.append(
                f"unexpected {response.status} from {response.request.method} {response.url}"
            )

        page.on("console", on_console)
        page.on("response", on_response)
        page.on("pageerror", lambda exc: problems.messages.append(f"page error: {exc}"))
        contexts.append((ctx, problems))
        return page

    yield opener
    failed = request.node.stash.get(FAILED_KEY, False)
    for i, (ctx, problems) in enumerate(contexts):
        if failed:
            ARTIFACTS.mkdir(exist_ok=True)
            for j, page in enumerate(ctx.pages):
                page.screenshot(
                    path=str(ARTIFACTS / f"{request.node.name}-{i}-{j}.png"), full_page=True
                )
        if not close_context(ctx):
            warnings.warn(
                f"Chromium wedged closing a context after {request.node.name}; "
                f"killed it after {CONTEXT_CLOSE_LIMIT:.0f} s and launched a fresh one",
                stacklevel=1,
            )
        assert not problems.messages, f"console problems in a browser: {problems.messages}"


FAILED_KEY = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: Any) -> Any:
    """Remember a failed test so its pages are saved as screenshots."""
    report = yield
    if report.when == "call" and report.failed:
        item.stash[FAILED_KEY] = True
    return report


def sign_in(ctx: BrowserContext, user: Any, base_url: str) -> None:
    """Give a browser context a signed-in Django session for a person (as a card would)."""
    from django.contrib.sessions.backends.base import SessionBase

    from participants.identity import SIGNIN_METHOD_KEY

    engine = import_module(settings.SESSION_ENGINE)
    store: SessionBase = engine.SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "participants.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[SIGNIN_METHOD_KEY] = "card"
    store.save()
    ctx.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": store.session_key or "", "url": base_url}]
    )


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def assert_accessible(page: Page) -> None:
    """Run axe-core (vendored) on the page; any violation fails with what and where."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(url="/static/vendor/axe-core/axe.min.js")
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    violations = result["violations"]
    if violations:
        lines = []
        for v in violations:
            targets = [", ".join(n["target"]) for n in v["nodes"][:5]]
            lines.append(f"{v['id']} ({v['impact']}): {v['help']} — {targets}")
        raise AssertionError(f"axe-core found problems on {page.url}:\n" + "\n".join(lines))


def wait_connected(page: Page) -> None:
    """Wait until the room's socket is open and its snapshot applied."""
    page.wait_for_function(
        "() => { const r = document.querySelector('[data-room]');"
        " return r && r.getAttribute('data-connection') === 'ok'"
        " && window.comhla && window.comhla.lastSeq() !== null; }"
    )
