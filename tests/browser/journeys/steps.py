"""Steps people take again and again in the journeys, pressed as they press them."""

import os
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import (
    ARTIFACTS,
    LAPTOP,
    PHONE,
    ROOT,
    assert_accessible,
    wait_connected,
)

# The README's pictures are refreshed only on request (`COMHLA_SCREENSHOTS=1 make test`):
# timers and ports differ on every run, so an ordinary run writes them beside the test logs.
SCREENSHOTS = (
    ROOT / "docs" / "screenshots"
    if os.environ.get("COMHLA_SCREENSHOTS") == "1"
    else ARTIFACTS / "screenshots"
)

# The widths the issue asks for: a small phone and a laptop.
WIDTHS = [
    pytest.param(True, id="phone-375"),
    pytest.param(False, id="laptop-1280"),
]


def width_of(phone: bool) -> int:
    """The viewport width a journey runs at."""
    return int((PHONE if phone else LAPTOP)["width"])


def shoot(page: Any, name: str, at: str = "") -> Path:
    """Save what the screen shows (the viewport, not the whole page) for the README: from the
    top, or from the element `at` (a CSS selector). Template syntax on screen fails it."""
    text = page.locator("body").inner_text()
    for leak in ("{#", "#}", "{%", "{{"):
        assert leak not in text, f"template syntax {leak!r} shows on the {name} screen"
    if at:
        page.locator(at).first.evaluate("el => el.scrollIntoView({block: 'start'})")
    else:
        page.evaluate("window.scrollTo(0, 0)")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    path = SCREENSHOTS / f"{name}-{width}.png"
    page.screenshot(path=str(path), animations="disabled", caret="initial")
    return path


def join_by_code(page: Any, code: str, name: str) -> None:
    """A person on their own device types the code and picks their name."""
    page.goto("/join/")
    assert_accessible(page)
    page.get_by_label("Session code").fill(code)
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Who are you?").wait_for()
    assert_accessible(page)
    page.get_by_label(name, exact=True).check()
    page.get_by_role("button", name="Join the session").click()
    wait_connected(page)
    assert_accessible(page)


def add_idea(page: Any, text: str) -> None:
    """Type an idea and add it; the box empties once it is saved."""
    page.get_by_label("Your idea", exact=True).fill(text)
    page.get_by_role("button", name="Add idea").click()
    page.wait_for_function("() => document.querySelector('[data-board-add] textarea').value === ''")


FEEDBACK_QUESTIONS = (
    "I felt listened to",
    "I could say what I wanted to say",
    "I learned something",
    "My ideas made a difference",
)


def answer_feedback(page: Any, answer: str, comment: str) -> None:
    """Answer every feedback question with the same answer and send."""
    page.get_by_role("group", name=FEEDBACK_QUESTIONS[0]).wait_for()
    for question in FEEDBACK_QUESTIONS:
        page.get_by_role("group", name=question).get_by_label(answer).check()
    page.get_by_label("What worked well? (optional)").fill(comment)
    page.get_by_role("button", name="Send my feedback").click()
    page.get_by_role("heading", name="Thank you").wait_for()
