"""A contributor who uses only a keyboard, on a phone: join, add an idea, vote, raise a hand,
answer feedback. After each action focus must be somewhere sensible, never lost to the page."""

from typing import Any

from boards import services as board_services
from participants.models import Role
from tests.browser.conftest import assert_accessible, wait_connected
from tests.factories import (
    ActivityFactory,
    LiveSessionFactory,
    MembershipFactory,
    ProgrammeFactory,
    StaffUserFactory,
    UserFactory,
)
from workshops.evaluation.models import Response

# What has focus, described the way a failing test should say it.
FOCUSED = r"""() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {tag: 'body', id: '', name: '', type: ''};
  const label = el.labels && el.labels.length ? el.labels[0].innerText : '';
  return {tag: el.tagName.toLowerCase(), id: el.id || '', type: el.type || '',
          name: (label || el.getAttribute('aria-label') || el.innerText || '').replace(/\s+/g, ' ').trim()};
}"""


def focused(page: Any) -> dict[str, str]:
    """The element that has focus now."""
    result: dict[str, str] = page.evaluate(FOCUSED)
    return result


def tab_to(page: Any, name: str, *, tag: str = "", most: int = 80) -> dict[str, str]:
    """Press Tab until the focused element's name starts with `name`: a keyboard user's way
    there. Failing to get there at all means it cannot be reached by keyboard."""
    seen = []
    for _ in range(most):
        page.keyboard.press("Tab")
        now = focused(page)
        seen.append(now["name"][:40])
        if now["name"].startswith(name) and (not tag or now["tag"] == tag):
            return now
    raise AssertionError(f"{name!r} cannot be reached with Tab; focus went through {seen}")


def choose_radio(page: Any, label: str) -> None:
    """Inside a radio group (focus on one of its radios), move with the arrow keys to `label`
    and select it with Space."""
    for _ in range(10):
        if focused(page)["name"].endswith(label):
            page.keyboard.press("Space")
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"no radio {label!r} reached with the arrow keys")


def assert_focus_sensible(page: Any, action: str, *, expect: str) -> None:
    """After `action`, focus is still on something a person can act on next, never lost."""
    page.wait_for_timeout(300)  # let the room's pushes land (they redraw what was pressed)
    now = focused(page)
    assert now["tag"] != "body", f"after {action}, focus was lost to the page (expected {expect})"
    assert now["name"].startswith(expect), f"after {action}, focus is on {now}, not {expect!r}"


def test_a_keyboard_only_contributor_takes_part(open_page: Any, server: Any) -> None:
    programme = ProgrammeFactory(name="Keeping it Personal")
    fiona = StaffUserFactory(display_name="Fiona Facilitator")
    MembershipFactory(user=fiona, programme=programme, role=Role.FACILITATOR)
    for name in ("Alan Burns", "Jean Robertson"):
        MembershipFactory(user=UserFactory(display_name=name), programme=programme, role=Role.CARER)
    session = LiveSessionFactory(programme=programme, title="What matters to you")
    board_activity = ActivityFactory(session=session, kind="board", title="Ideas", order=0)
    ActivityFactory(session=session, kind="feedback", title="How was today?", order=1)
    session.current_activity = board_activity
    session.save()
    board_services.board_create(activity=board_activity, by=fiona)

    fac = open_page(fiona)
    fac.goto(f"/sessions/{session.pk}/room/")
    wait_connected(fac)

    # Join: type the code, press Enter; choose a name with the arrow keys.
    jean = open_page(phone=True)
    jean.goto("/join/")
    tab_to(jean, "Session code", tag="input")
    jean.keyboard.type(session.join_code)
    jean.keyboard.press("Enter")
    jean.get_by_role("heading", name="Who are you?").wait_for()
    tab_to(jean, "", tag="input")  # the first name in the list
    choose_radio(jean, "Jean Robertson")
    tab_to(jean, "Join the session", tag="button")
    jean.keyboard.press("Enter")
    wait_connected(jean)
    assert_accessible(jean)

    # Add an idea: Tab to the box, type, Tab to the button, Enter.
    tab_to(jean, "Your idea", tag="textarea")
    jean.keyboard.type("Being listened to by my GP")
    tab_to(jean, "Add idea", tag="button")
    jean.keyboard.press("Enter")
    jean.wait_for_function("() => document.querySelector('[data-board-add] textarea').value === ''")
    fac.locator(".comhla-idea__text", has_text="Being listened to by my GP").wait_for()
    assert_focus_sensible(jean, "adding an idea", expect="Add idea")

    # Vote for it with Space.
    tab_to(jean, "Vote for: Being listened to by my GP", tag="button")
    jean.keyboard.press("Space")
    jean.get_by_text("You have 2 of 3 votes left").wait_for()
    assert_focus_sensible(jean, "voting", expect="Vote for: Being listened to by my GP")

    # Raise a hand with Enter; the same place then offers to lower it.
    tab_to(jean, "Raise my hand", tag="button")
    jean.keyboard.press("Enter")
    jean.get_by_text("Your hand is up").wait_for()
    fac.locator("#floor-queue").get_by_text("1. Jean Robertson").wait_for()
    assert_focus_sensible(jean, "raising a hand", expect="Lower my hand")
    assert_accessible(jean)

    # Feedback: the facilitator moves the room; Jean answers with arrows, Space and typing.
    fac.get_by_role("button", name="Move room here to How was today?").click()
    jean.get_by_role("group", name="I felt listened to").wait_for()
    for question in (
        "I felt listened to",
        "I could say what I wanted to say",
        "I learned something",
        "My ideas made a difference",
    ):
        now = tab_to(jean, "", tag="input")
        group = jean.evaluate(
            "() => document.activeElement.closest('fieldset').querySelector('legend').innerText"
        )
        assert group.strip() == question, f"Tab reached {group!r} before {question!r} ({now})"
        choose_radio(jean, "Completely")
    tab_to(jean, "What worked well?", tag="textarea")
    jean.keyboard.type("Being asked first")
    tab_to(jean, "Send my feedback", tag="button")
    jean.keyboard.press("Enter")
    jean.get_by_role("heading", name="Thank you").wait_for()
    assert Response.objects.filter(person__display_name="Jean Robertson").count() == 1
    assert_focus_sensible(jean, "sending feedback", expect="Thank you")
    assert_accessible(jean)
