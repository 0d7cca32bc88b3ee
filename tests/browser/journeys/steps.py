"""Steps people take again and again in the journeys, pressed as they press them."""

import os
import re
from datetime import date, timedelta
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


def consent_answer(choice: str, question: str) -> re.Pattern[str]:
    """A yes or no radio of the consent page by its accessible name, which says its question."""
    return re.compile(rf"^{choice}\W+{re.escape(question)}$")


CONSENT_QUESTIONS = (
    "Do you want to take part?",
    "Can we use your words in reports?",
    "Can we contact you later?",
    "Can we take photos of you?",
)


def give_consent(page: Any, *, quotes: bool = True, photos: bool = False) -> None:
    """Answer the consent page: yes to taking part and being contacted, quotes and photos as
    asked, and save."""
    page.get_by_role("heading", name="Saying yes or no").wait_for()
    assert_accessible(page)
    chosen = dict(zip(CONSENT_QUESTIONS, (True, quotes, True, photos), strict=True))
    for question, yes in chosen.items():
        page.get_by_role("radio", name=consent_answer("Yes" if yes else "No", question)).check()
    page.get_by_role("button", name="Save my answers").click()


def sign_in_with_card(page: Any, person: Any) -> None:
    """Scan a personal sign-in card (its QR code holds this link) and confirm it is them."""
    page.goto(f"/card/{person.signin_secret}/")
    assert_accessible(page)
    page.get_by_role("button", name=f"Continue as {person.display_name}").click()


def answer_measure(page: Any, answers: list[str]) -> None:
    """Answer a wellbeing measure's items in order, one answer each ("Often", ...), and save."""
    page.locator("legend").first.wait_for()
    items = page.locator("fieldset:has(.govuk-radios__input[name^='q'])")
    assert items.count() == len(answers), f"{items.count()} items, {len(answers)} answers"
    for i, answer in enumerate(answers):
        items.nth(i).get_by_label(answer, exact=True).check()
    page.get_by_role("button", name="Save the answers").click()


def set_hourly_rate(org: Any, programme_url: str, *, from_day: date, pounds: str) -> None:
    """The organiser sets the programme's hourly rate from a day."""
    org.goto(programme_url)
    org.get_by_role("link", name="Payments", exact=True).click()
    org.get_by_role("link", name="Rates", exact=True).click()
    assert_accessible(org)
    org.get_by_label("These rates apply from").fill(from_day.isoformat())
    org.get_by_label("An hourly rate").check()
    org.get_by_label("Hourly rate, £ (optional)").fill(pounds)
    org.get_by_label("Round time up to the next (minutes)").fill("30")
    org.get_by_label("Mileage rate, £ per mile").fill("0.45")
    org.get_by_role("button", name="Save rates").click()
    org.get_by_text(f"£{pounds} an hour").first.wait_for()


def confirm_register(org: Any, session_link: str, times: dict[str, tuple[str, str]]) -> None:
    """From the programme page: write down when each person was really there, then confirm
    the session's register (one payment line each)."""
    org.get_by_role("link", name=session_link).click()
    org.get_by_role("link", name="Register and payments for this session").click()
    assert_accessible(org)
    for name, (time_in, time_out) in times.items():
        org.get_by_label(f"In ({name})").fill(time_in)
        org.get_by_label(f"Out ({name})").fill(time_out)
        org.get_by_role("button", name=f"Save times for {name}").click()
        org.get_by_text("The times were saved").wait_for()
    org.get_by_role("button", name="Confirm the register").click()
    lines = len(times)
    org.get_by_text(f"{lines} payment line{'s' if lines != 1 else ''} made").wait_for()
    assert_accessible(org)


def pay_approved_lines(org: Any, programme_url: str, *, lines: int, reference: str) -> None:
    """Approve every line waiting, send them to finance and mark them paid, confirming each."""
    org.goto(programme_url)
    org.get_by_role("link", name="Payments", exact=True).click()
    assert_accessible(org)
    org.get_by_role("button", name="Approve", exact=True).click()
    assert_accessible(org)
    org.get_by_role("button", name=re.compile(rf"^Confirm: approve {lines} lines")).click()
    org.get_by_text(f"{lines} lines approved").wait_for()
    org.get_by_role("button", name="Mark approved lines sent to finance").click()
    org.get_by_role("button", name=re.compile(rf"^Confirm: send {lines} lines to finance")).click()
    org.get_by_text(f"{lines} lines sent to finance").wait_for()
    org.get_by_label("Payment reference from finance").fill(reference)
    org.get_by_role("button", name="Mark paid").click()
    org.get_by_role("button", name=re.compile(rf"^Confirm: mark {lines} lines paid")).click()
    org.get_by_text(f"{lines} lines marked paid").wait_for()
    assert_accessible(org)


def time_passes(*, programme: Any, days: int) -> None:
    """Let `days` go by: the programme's calendar (its dates, sessions, follow-up, rates and
    payments, who came when and when they answered) moves that far into the past, so what
    happened today happened `days` ago and what was due in `days` is due today."""
    from django.db.models import F

    from participants.payments.models import PaymentLine, RateCard
    from workshops.evaluation.models import FollowUp, Response
    from workshops.models import Attendance, Programme, Session

    back = timedelta(days=days)
    Programme.objects.filter(pk=programme.pk).update(
        starts_on=F("starts_on") - back, ends_on=F("ends_on") - back
    )
    sessions = Session.objects.filter(programme=programme)
    sessions.update(starts_at=F("starts_at") - back, ends_at=F("ends_at") - back)
    sessions.filter(opened_at__isnull=False).update(opened_at=F("opened_at") - back)
    sessions.filter(ended_at__isnull=False).update(ended_at=F("ended_at") - back)
    FollowUp.objects.filter(programme=programme).update(
        baseline_on=F("baseline_on") - back, follow_up_on=F("follow_up_on") - back
    )
    RateCard.objects.filter(programme=programme).update(starts_on=F("starts_on") - back)
    lines = PaymentLine.objects.filter(programme=programme)
    lines.update(worked_on=F("worked_on") - back)
    lines.filter(paid_on__isnull=False).update(paid_on=F("paid_on") - back)
    attended = Attendance.objects.filter(session__programme=programme)
    attended.filter(checked_in_at__isnull=False).update(checked_in_at=F("checked_in_at") - back)
    attended.filter(checked_out_at__isnull=False).update(checked_out_at=F("checked_out_at") - back)
    Response.objects.filter(form__programme=programme).update(submitted_at=F("submitted_at") - back)
