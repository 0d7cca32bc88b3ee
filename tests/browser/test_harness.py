"""The browser harness itself: a wedged Chromium is killed and replaced, never waited on."""

import os
import signal
from typing import Any

import pytest

from tests.browser import conftest


def test_a_wedged_browser_is_killed_and_the_next_test_gets_a_fresh_one(
    browser: Any, playwright_driver: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(conftest, "CONTEXT_CLOSE_LIMIT", 2.0)
    ctx = browser.new_context()
    ctx.new_page().set_content("<p>hello</p>")
    chromium = conftest._browser_process_ids()
    assert chromium, "Chromium's processes were not found under this test process"
    for pid in chromium:
        os.kill(pid, signal.SIGSTOP)  # as wedged as a browser can be

    assert conftest.close_context(ctx) is False
    assert not browser.is_connected()

    fresh = conftest.live_browser(playwright_driver)
    assert fresh is not browser and fresh.is_connected()
    ctx = fresh.new_context()
    assert ctx.new_page().evaluate("1 + 1") == 2
    assert conftest.close_context(ctx) is True
