"""A programme's whole day, pressed as people press it (issue #13): the organiser sets it up,
a facilitator runs a session with three phones, the organiser pays everyone and reports."""

import csv
import io
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from participants.payments.models import PaymentLine
from tests.browser.conftest import assert_accessible, wait_connected
from tests.browser.journeys.steps import (
    WIDTHS,
    add_idea,
    answer_feedback,
    join_by_code,
    shoot,
)
from tests.factories import MembershipFactory, ProgrammeFactory, StaffUserFactory
from workshops.evaluation.models import Response
from workshops.models import Session

CONTRIBUTORS = [
    ("Jean Robertson", "Person with lived experience"),
    ("Isla Carer", "Unpaid carer"),
    ("Davie Stewart", "Person with lived experience"),
]


@pytest.mark.parametrize("phone", WIDTHS)
def test_a_programme_from_setting_up_to_paying_people(
    open_page: Any, server: Any, phone: bool
) -> None:
    today = timezone.localdate()
    organiser = StaffUserFactory(display_name="Morag Organiser", email="morag@example.org")
    # Fiona already facilitates elsewhere: she is invited by email and accepts.
    facilitator = StaffUserFactory(display_name="Fiona Facilitator", email="fiona@example.org")
    MembershipFactory(
        user=facilitator, programme=ProgrammeFactory(name="Elsewhere"), role="facilitator"
    )

    # --- The organiser sets up the programme. ---
    org = open_page(organiser, phone=phone)
    org.goto("/")
    assert_accessible(org)
    org.get_by_role("link", name="Set up a new programme").click()
    assert_accessible(org)
    org.get_by_label("Name").fill("Keeping it Personal")
    org.get_by_label("Site or locality").fill("Dumfries")
    org.get_by_label("Starts on").fill(today.replace(day=1).isoformat())
    org.get_by_label("Ends on").fill((today + timedelta(days=365)).isoformat())
    org.get_by_role("button", name="Create programme").click()
    org.get_by_text("Keeping it Personal has been created").wait_for()
    assert_accessible(org)
    programme_url = org.url

    # She adds three contributors (no email: they join by code) and invites Fiona.
    org.get_by_role("link", name="Add a person").click()
    assert_accessible(org)
    for i, (name, role) in enumerate(CONTRIBUTORS):
        org.get_by_label("Name").fill(name)
        org.get_by_label(role, exact=True).check()
        last = i == len(CONTRIBUTORS) - 1
        org.get_by_role("button", name="Add person" if last else "Add and add another").click()
        org.get_by_text(f"{name} was added as {role.lower()}").wait_for()
    org.get_by_role("link", name="Add a person").click()
    org.get_by_label("Name").fill("Fiona")
    org.get_by_label("Email address (optional)").fill("fiona@example.org")
    org.get_by_label("Facilitator", exact=True).check()
    org.get_by_role("button", name="Add person").click()
    org.get_by_text("We have emailed an invitation to fiona@example.org").wait_for()
    assert_accessible(org)

    fac = open_page(facilitator, phone=phone)
    fac.goto("/")
    fac.get_by_role("heading", name="You have been invited").wait_for()
    assert_accessible(fac)
    fac.get_by_role("button", name="Accept the invitation to Keeping it Personal").click()
    fac.get_by_text("You are now part of Keeping it Personal").wait_for()

    # She schedules a session with an agenda: a board, a go-round, feedback.
    org.goto(programme_url)
    org.get_by_text("Fiona Facilitator — Facilitator").wait_for()
    org.get_by_role("link", name="Schedule a session").click()
    assert_accessible(org)
    org.get_by_label("Title").fill("What matters to you")
    org.get_by_label("Date").fill(today.isoformat())
    org.get_by_label("Starts at").fill("00:00")
    org.get_by_label("Ends at").fill("23:59")
    org.get_by_role("button", name="Schedule session").click()
    org.get_by_text("Session 1 has been scheduled").wait_for()
    for title, kind in [
        ("Ideas", "Idea board"),
        ("Round the room", "Go-round"),
        ("How was today?", "Feedback"),
    ]:
        org.get_by_label("What kind of activity").select_option(label=kind)
        org.get_by_label("Title").fill(title)
        org.get_by_label("Time (minutes)").fill("20")
        org.get_by_role("button", name="Add to agenda").click()
        org.get_by_text(f"{title} was added to the agenda").wait_for()
    assert_accessible(org)

    # --- Fiona opens the session and sets up the board in the room. ---
    fac.goto("/")
    fac.get_by_role("link", name="Keeping it Personal", exact=True).click()
    fac.get_by_role("link", name="Session 1: What matters to you").click()
    assert_accessible(fac)
    fac.get_by_role("button", name="Open the session now").click()
    wait_connected(fac)
    fac.get_by_role("button", name="Set up the board").click()
    fac.get_by_role("button", name="Lock the board").wait_for()
    assert_accessible(fac)
    code = fac.locator(".comhla-join-code__code").inner_text().replace(" ", "")

    # Three people join by code on their own devices, each picking their name.
    phones = {}
    for i, (name, _role) in enumerate(CONTRIBUTORS):
        # The first contributor uses the journey's width; the others are on phones.
        page = open_page(phone=phone if i == 0 else True)
        join_by_code(page, code, name)
        phones[name] = page
    for name in phones:
        fac.locator("#presence").get_by_text(name).wait_for()
    jean, isla, davie = phones.values()
    shoot(jean, "room-contributor")

    # --- Board: everyone adds an idea, and votes. ---
    for name, idea in [
        ("Jean Robertson", "Being listened to by my GP"),
        ("Isla Carer", "A break for carers"),
        ("Davie Stewart", "Buses that turn up"),
    ]:
        add_idea(phones[name], idea)
    for page in (fac, jean, isla, davie):
        page.locator(".comhla-idea__text", has_text="Buses that turn up").wait_for()
    for page in (jean, isla, davie):
        page.get_by_role("button", name="Vote for: Being listened to by my GP").click()
    board_id = fac.locator("[data-board]").first.get_attribute("data-board")
    for page in (jean, isla, davie):
        page.locator(f"#board-{board_id}-budget").get_by_text(
            "You have 2 of 3 votes left"
        ).wait_for()
    fac.get_by_role("button", name="Show the votes").click()
    fac.locator(".comhla-idea", has_text="Being listened to by my GP").get_by_text(
        "3 votes"
    ).wait_for()
    assert_accessible(fac)
    assert_accessible(jean)
    shoot(jean, "board-contributor", at=".comhla-board__columns")
    shoot(fac, "board-facilitator", at="#activity")

    # --- The floor: hands up, the facilitator gives the floor, then the next speaker. ---
    isla.get_by_role("button", name="Raise my hand").click()
    isla.get_by_text("You are next").wait_for()
    davie.get_by_role("button", name="Raise my hand").click()
    davie.get_by_text("You are number 2 in the queue").wait_for()
    fac.locator("#floor-queue").get_by_text("1. Isla Carer").wait_for()
    fac.get_by_role("button", name="Give the floor to Isla Carer").click()
    isla.get_by_role("heading", name="It is your turn to speak").wait_for()
    for page in (jean, davie):
        page.locator("#floor").get_by_text("Isla Carer is speaking").wait_for()
    assert_accessible(isla)
    shoot(isla, "floor-your-turn", at="#floor-me")
    fac.get_by_role("button", name="End turn and give the floor to Davie Stewart").click()
    davie.get_by_role("heading", name="It is your turn to speak").wait_for()
    isla.get_by_role("heading", name="Want to say something?").wait_for()
    davie.get_by_role("button", name="I have finished").click()
    fac.locator("#floor").get_by_text("Nobody has the floor").wait_for()
    assert_accessible(fac)
    shoot(fac, "floor-facilitator", at="#floor-queue")

    # --- Go-round: the room moves on; each person's turn comes and each passes. ---
    fac.get_by_role("button", name="Move room here to Round the room").click()
    for page in phones.values():
        page.locator("#activity").get_by_role("heading", name="Round the room").wait_for()
    fac.get_by_role("button", name="Start a go-round").click()
    passed: list[str] = []
    for _ in range(len(phones)):
        # Whoever's turn it is sees it on their own phone, and passes.
        fac.locator("#floor").get_by_text("speaking now").wait_for()
        # The phones hear it over their own sockets, maybe a moment after the facilitator.
        speaking: list[str] = []
        for _attempt in range(50):
            speaking = [
                name
                for name, page in phones.items()
                if name not in passed
                and page.get_by_role("heading", name="It is your turn to speak").is_visible()
            ]
            if speaking:
                break
            fac.wait_for_timeout(200)
        assert len(speaking) == 1, f"exactly one person's turn in the go-round, not {speaking}"
        who = speaking[0]
        assert_accessible(phones[who])
        phones[who].get_by_role("button", name="Pass").click()
        phones[who].get_by_role("heading", name="Want to say something?").wait_for()
        passed.append(who)
        if len(passed) < len(phones):
            fac.locator("#floor").get_by_text(f"{who} — passed").wait_for()
    # Isla and Davie had spoken, so Jean (not heard yet) went first.
    assert passed[0] == "Jean Robertson", passed
    # Once everyone has had their turn the round is over, and another can start.
    fac.get_by_role("button", name="Start a go-round").wait_for()

    # --- Feedback: every phone answers. ---
    fac.get_by_role("button", name="Move room here to How was today?").click()
    for i, page in enumerate(phones.values()):
        answer_feedback(page, "Completely" if i != 1 else "Somewhat", f"The tea, says person {i}")
        assert_accessible(page)
    assert Response.objects.count() == 3
    shoot(fac, "room-facilitator")

    # --- End session: every phone sees it has ended. ---
    fac.get_by_role("button", name="End session").click()
    fac.get_by_text("What matters to you has ended").wait_for()
    for page in phones.values():
        page.locator("#activity").get_by_role("heading", name="This session has ended").wait_for()
    assert_accessible(jean)
    session = Session.objects.get(title="What matters to you")
    assert session.status == "ended"

    # --- The organiser sets the rates, confirms the register, approves, exports, pays. ---
    org.goto(programme_url)
    org.get_by_role("link", name="Payments", exact=True).click()
    org.get_by_role("link", name="Rates", exact=True).click()
    assert_accessible(org)
    org.get_by_label("These rates apply from").fill(today.replace(day=1).isoformat())
    org.get_by_label("An hourly rate").check()
    org.get_by_label("Hourly rate, £ (optional)").fill("20.00")
    org.get_by_label("Round time up to the next (minutes)").fill("30")
    org.get_by_label("Mileage rate, £ per mile").fill("0.45")
    org.get_by_role("button", name="Save rates").click()
    org.get_by_text("£20.00 an hour").first.wait_for()

    # The session was short; the organiser writes down the times people were really there.
    now = timezone.localtime()
    time_in = max(now - timedelta(hours=2), now.replace(hour=0, minute=0)).strftime("%H:%M")
    time_out = (now - timedelta(minutes=1)).strftime("%H:%M")
    org.goto(programme_url)
    org.get_by_role("link", name="Session 1: What matters to you").click()
    org.get_by_role("link", name="Register and payments for this session").click()
    assert_accessible(org)
    for name, _role in CONTRIBUTORS:
        org.get_by_label(f"In ({name})").fill(time_in)
        org.get_by_label(f"Out ({name})").fill(time_out)
        org.get_by_role("button", name=f"Save times for {name}").click()
        org.get_by_text("The times were saved").wait_for()
    org.get_by_role("button", name="Confirm the register").click()
    org.get_by_text("3 payment lines made").wait_for()
    assert_accessible(org)

    org.get_by_role("link", name="What matters to you").first.click()
    org.get_by_role("link", name="Keeping it Personal", exact=True).first.click()
    org.get_by_role("link", name="Payments", exact=True).click()
    assert_accessible(org)
    org.get_by_role("button", name="Approve", exact=True).click()
    # Nothing changes until the organiser has seen the lines and confirmed.
    assert_accessible(org)
    org.get_by_role("button", name=re.compile(r"^Confirm: approve 3 lines")).click()
    org.get_by_text("3 lines approved").wait_for()
    shoot(org, "payments", at=".comhla-lines")
    with org.expect_download() as download:
        org.get_by_role("link", name="Download approved lines (CSV)").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text("utf-8"))))
    assert len(rows) == 3
    assert all(float(r["amount"]) > 0 for r in rows), rows
    org.get_by_role("button", name="Mark approved lines sent to finance").click()
    org.get_by_role("button", name=re.compile(r"^Confirm: send 3 lines to finance")).click()
    org.get_by_text("3 lines sent to finance").wait_for()
    org.get_by_label("Payment reference from finance").fill("BACS-0042")
    org.get_by_role("button", name="Mark paid").click()
    # Three people under one reference: the check page warns before anything is paid.
    org.get_by_text("one payment reference, BACS-0042").wait_for()
    org.get_by_role("button", name=re.compile(r"^Confirm: mark 3 lines paid")).click()
    org.get_by_text("3 lines marked paid").wait_for()
    assert_accessible(org)
    assert set(PaymentLine.objects.values_list("status", flat=True)) == {"paid"}

    # --- The programme report shows the session. ---
    org.goto(programme_url)
    org.get_by_role("link", name="Programme report").click()
    org.get_by_role("heading", name="Keeping it Personal").first.wait_for()
    org.get_by_text("Session 1, What matters to you").first.wait_for()
    # They joined by picking their names, so nobody has yet said yes to being quoted: the
    # report says why their written feedback is not there, and does not show it.
    org.get_by_text("Only the words of people who said yes to being quoted").wait_for()
    assert org.get_by_text("The tea, says person 0").count() == 0
    assert_accessible(org)
    shoot(org, "report")
