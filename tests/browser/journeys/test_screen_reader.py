"""What a screen reader user hears in the room: what arrives by itself (a new idea, the room
moving on, their turn, the end) must reach a live region, not just change the screen."""

from typing import Any

from boards import services as board_services
from participants.models import Role
from tests.browser.conftest import assert_accessible, wait_connected
from tests.browser.journeys.steps import add_idea
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    LiveSessionFactory,
    MembershipFactory,
    ProgrammeFactory,
    StaffUserFactory,
    UserFactory,
)

# Every live region on the page with what it says now (hidden ones included: a screen reader
# reads a visually hidden region).
LIVE_REGIONS = """() => Array.from(document.querySelectorAll('[aria-live], [role=status], [role=alert]'))
  .map(el => ({id: el.id, live: el.getAttribute('aria-live') || el.getAttribute('role'),
               text: el.textContent.replace(/\\s+/g, ' ').trim()}))"""


def heard(page: Any, text: str, *, region: str = "room-announcer") -> None:
    """Wait until the live region `region` says `text`; fail saying what every region said."""
    try:
        page.wait_for_function(
            "([id, text]) => { const el = document.getElementById(id);"
            " return el && el.textContent.replace(/\\s+/g, ' ').trim() === text; }",
            arg=[region, text],
            timeout=10_000,
        )
    except Exception as exc:
        regions = page.evaluate(LIVE_REGIONS)
        raise AssertionError(
            f"a screen reader did not hear {text!r}; live regions say {regions}"
        ) from exc


def test_a_screen_reader_user_hears_what_happens_in_the_room(open_page: Any, server: Any) -> None:
    programme = ProgrammeFactory(name="Keeping it Personal")
    fiona = StaffUserFactory(display_name="Fiona Facilitator")
    MembershipFactory(user=fiona, programme=programme, role=Role.FACILITATOR)
    jean = UserFactory(display_name="Jean Robertson")
    isla = UserFactory(display_name="Isla Carer")
    session = LiveSessionFactory(programme=programme, title="What matters to you")
    ideas = ActivityFactory(session=session, kind="board", title="Ideas", order=0)
    ActivityFactory(session=session, kind="discussion", title="Talk it through", order=1)
    session.current_activity = ideas
    session.save()
    for user, role in ((jean, Role.LIVED_EXPERIENCE), (isla, Role.CARER)):
        MembershipFactory(user=user, programme=programme, role=role)
        AttendanceFactory(session=session, user=user)
    board_services.board_create(activity=ideas, by=fiona)
    room = f"/sessions/{session.pk}/room/"

    fac = open_page(fiona)
    jean_page = open_page(jean, phone=True)
    isla_page = open_page(isla, phone=True)
    for page in (fac, jean_page, isla_page):
        page.goto(room)
        wait_connected(page)
    announcer = jean_page.locator("#room-announcer")
    # Polite, present from the start (a region added later is not read), and never hidden.
    assert announcer.get_attribute("aria-live") == "polite"
    assert announcer.get_attribute("aria-hidden") is None
    assert announcer.inner_text() == ""
    assert jean_page.locator("#connection-status").get_attribute("role") == "status"
    assert_accessible(jean_page)

    # Isla adds an idea: Jean hears it, with its column.
    add_idea(isla_page, "A break for carers")
    heard(jean_page, "New idea in What matters to you: A break for carers")
    heard(fac, "New idea in What matters to you: A break for carers")

    # Jean raises her hand and is given the floor: she hears it is her turn; Isla hears who.
    jean_page.get_by_role("button", name="Raise my hand").click()
    fac.locator("#floor-queue").get_by_text("1. Jean Robertson").wait_for()
    fac.get_by_role("button", name="Give the floor to Jean Robertson").click()
    heard(jean_page, "It is your turn to speak")
    heard(isla_page, "The floor is open to Jean Robertson")
    jean_page.get_by_role("button", name="I have finished").click()
    fac.locator("#floor").get_by_text("Nobody has the floor").wait_for()

    # The facilitator moves the room on: everyone hears where it went.
    fac.get_by_role("button", name="Move room here to Talk it through").click()
    heard(jean_page, "The room has moved to: Talk it through")
    heard(isla_page, "The room has moved to: Talk it through")
    jean_page.locator("#activity").get_by_role("heading", name="Talk it through").wait_for()
    assert_accessible(jean_page)

    # The session ends: the announcer says so, and so does the status region.
    fac.get_by_role("button", name="End session").click()
    heard(jean_page, "The session has ended")
    heard(
        jean_page,
        "This session has ended. Thank you for taking part.",
        region="connection-status",
    )
    assert_accessible(jean_page)
