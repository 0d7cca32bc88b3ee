"""Equal voice, as people use it: four browsers, hands up, least heard first, a go-round."""

import re
from datetime import timedelta
from typing import Any

from django.utils import timezone

from participants.models import Role
from tests.browser.conftest import assert_accessible, wait_connected
from tests.factories import AttendanceFactory, MembershipFactory, UserFactory
from workshops.floor.models import Turn


def test_a_facilitator_runs_a_discussion_and_a_go_round(
    open_page: Any, live_session: Any, facilitator: Any
) -> None:
    people = {}
    for name, role in [
        ("Priya Practitioner", Role.PRACTITIONER),
        ("Jean Robertson", Role.LIVED_EXPERIENCE),
        ("Isla Carer", Role.CARER),
    ]:
        user = UserFactory(display_name=name)
        MembershipFactory(user=user, programme=live_session.programme, role=role)
        AttendanceFactory(session=live_session, user=user)
        people[name] = user

    fac = open_page(facilitator)
    fac.goto(f"/sessions/{live_session.pk}/room/")
    wait_connected(fac)
    phones = {}
    for name, user in people.items():
        page = open_page(user, phone=True)
        page.goto(f"/sessions/{live_session.pk}/room/")
        wait_connected(page)
        phones[name] = page
    assert_accessible(phones["Jean Robertson"])

    # Priya has already had a turn this session.
    fac.get_by_text("Give the floor to anyone, or speak for someone").click()
    fac.get_by_label("Who", exact=True).select_option(label="Priya Practitioner")
    fac.get_by_role("button", name="Give the floor", exact=True).click()
    phones["Priya Practitioner"].get_by_role("heading", name="It is your turn to speak").wait_for()
    phones["Jean Robertson"].locator("#floor").get_by_text(
        "Priya Practitioner is speaking"
    ).wait_for()
    phones["Priya Practitioner"].get_by_role("button", name="I have finished").click()
    fac.locator("#floor").get_by_text("Nobody has the floor").wait_for()

    # Priya raises her hand first, Jean second: Jean has not spoken, so Jean is next.
    phones["Priya Practitioner"].get_by_role("button", name="Raise my hand").click()
    phones["Priya Practitioner"].get_by_text("You are next").wait_for()
    phones["Jean Robertson"].get_by_role("button", name="Raise my hand").click()
    phones["Jean Robertson"].get_by_text("You are next").wait_for()
    phones["Priya Practitioner"].get_by_text("You are number 2 in the queue").wait_for()
    queue = fac.locator("#floor-queue")
    queue.get_by_text("1. Jean Robertson").wait_for()
    queue.get_by_text("Has not spoken yet").wait_for()
    assert_accessible(fac)
    fac.get_by_role("button", name="Give the floor to Jean Robertson").click()
    jean = phones["Jean Robertson"]
    jean.get_by_role("heading", name="It is your turn to speak").wait_for()
    assert jean.locator("#room-announcer").inner_text() == "It is your turn to speak"
    # Nobody pushes Priya her own panel for Jean's change: her browser reads her place from the
    # room's queue.
    phones["Priya Practitioner"].locator("#floor-me").get_by_text("You are next").wait_for()

    # Jean's turn runs past the gentle limit: a prompt, never a cut-off.
    Turn.objects.filter(status="speaking").update(started_at=timezone.now() - timedelta(minutes=3))
    jean.reload()
    wait_connected(jean)
    jean.locator("#floor-me .comhla-turn-timer__prompt").wait_for(state="visible")
    fac.reload()
    wait_connected(fac)
    fac.locator("#floor-queue .comhla-turn-timer__prompt").wait_for(state="visible")
    assert jean.get_by_role("button", name="I have finished").is_visible()
    # The prompt is for the speaker and the facilitators: nobody else's phone shows it.
    isla = phones["Isla Carer"]
    isla.locator("#floor").get_by_text("Jean Robertson is speaking").wait_for()
    assert isla.get_by_text("Time is up").count() == 0

    # The facilitator gives more time mid-turn: Jean's own panel follows without a reload.
    fac.get_by_text("Time limit for a turn (120 seconds)").click()
    fac.get_by_label("Gentle time limit (seconds)").fill("600")
    fac.get_by_role("button", name="Save the time limit").click()
    jean.locator("#floor-me .comhla-turn-timer[data-turn-limit='600']").wait_for()
    # The timer's words are the browser's (comhla.js, through the /jsi18n/ catalogue).
    jean.locator("#floor-me").get_by_text(re.compile(r"^Speaking for 3:\d\d of 10:00$")).wait_for()
    jean.locator("#floor-me .comhla-turn-timer__prompt").wait_for(state="hidden")
    fac.locator("#floor-queue .comhla-turn-timer__prompt").wait_for(state="hidden")

    # The facilitator gives Priya the floor next; the balance panel keeps count.
    fac.get_by_role("button", name="End turn and give the floor to Priya Practitioner").click()
    phones["Priya Practitioner"].get_by_role("heading", name="It is your turn to speak").wait_for()
    fac.locator("#balance tr[data-group='People with lived experience'] td").nth(2).get_by_text(
        "1"
    ).wait_for()
    fac.locator("#balance").get_by_text("Not heard yet: Isla Carer").wait_for()

    # A go-round: Isla (not heard yet) goes first; she passes; the round moves on.
    fac.get_by_role("button", name="Start a go-round").click()
    isla.get_by_role("heading", name="It is your turn to speak").wait_for()
    for page in phones.values():
        page.locator("#floor").get_by_text("Isla Carer — speaking now").wait_for()
    isla.get_by_role("button", name="Pass").click()
    fac.locator("#floor").get_by_text("Isla Carer — passed").wait_for()
    assert_accessible(fac)
    assert_accessible(isla)
