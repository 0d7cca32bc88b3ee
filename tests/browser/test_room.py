"""The foundation, as people use it: set up, open, join by code, follow the room, drop and return."""

from typing import Any

import pytest
from django.utils import timezone

from participants.models import Role
from tests.browser.conftest import (
    assert_accessible,
    expect_console_error,
    expect_status,
    wait_connected,
)
from tests.browser.tcp_proxy import TcpProxy
from tests.factories import (
    STAFF_PASSWORD,
    AttendanceFactory,
    MembershipFactory,
    StaffUserFactory,
    UserFactory,
)
from workshops.models import Programme, Session


def test_organiser_to_live_room_with_two_people_and_a_dropped_network(
    open_page: Any, server: Any
) -> None:
    organiser = StaffUserFactory(display_name="Morag Organiser", email="morag@example.org")
    facilitator = StaffUserFactory(display_name="Fiona Facilitator", email="fiona@example.org")

    # The organiser signs in with email and password and sets up a programme.
    org = open_page()
    org.goto("/accounts/login/")
    assert_accessible(org)
    org.fill("input[name=login]", organiser.email)
    org.fill("input[name=password]", STAFF_PASSWORD)
    org.get_by_role("button", name="Sign In").click()
    org.get_by_role("link", name="Set up a new programme").click()
    assert_accessible(org)
    org.get_by_label("Name").fill("Keeping it Personal")
    org.get_by_label("Site or locality").fill("Dumfries")
    org.get_by_label("Starts on").fill(timezone.localdate().isoformat())
    org.get_by_label("Ends on").fill(
        timezone.localdate().replace(year=timezone.localdate().year + 1).isoformat()
    )
    org.get_by_role("button", name="Create programme").click()
    org.get_by_text("Keeping it Personal has been created").wait_for()
    assert_accessible(org)
    programme = Programme.objects.get(name="Keeping it Personal")
    MembershipFactory(user=facilitator, programme=programme, role=Role.FACILITATOR)
    jean = UserFactory(display_name="Jean Robertson")
    MembershipFactory(user=jean, programme=programme, role=Role.LIVED_EXPERIENCE)

    org.get_by_role("link", name="Schedule a session").click()
    org.get_by_label("Title").fill("What matters to you")
    org.get_by_label("Date").fill(timezone.localdate().isoformat())
    org.get_by_label("Starts at").fill("00:00")
    org.get_by_label("Ends at").fill("23:59")
    org.get_by_role("button", name="Schedule session").click()
    org.get_by_text("Session 1 has been scheduled").wait_for()
    for title, kind in [("Welcome", "Go-round"), ("Ideas", "Idea board"), ("Tea", "Break")]:
        org.get_by_label("What kind of activity").select_option(label=kind)
        org.get_by_label("Title").fill(title)
        org.get_by_label("Time (minutes)").fill("10")
        org.get_by_role("button", name="Add to agenda").click()
        org.get_by_text(f"{title} was added to the agenda").wait_for()
    assert_accessible(org)
    session = Session.objects.get(programme=programme)

    # The facilitator opens it and lands in the room.
    fac = open_page(facilitator)
    fac.goto(f"/sessions/{session.pk}/")
    fac.get_by_role("button", name="Open the session now").click()
    wait_connected(fac)
    assert_accessible(fac)
    code = fac.locator(".comhla-join-code__code").inner_text().replace(" ", "")
    assert code == Session.objects.get(pk=session.pk).join_code

    # Two people join by code on their phones: Jean picks her name, Davie is new.
    proxy = TcpProxy(server.port)
    try:
        jean_page = open_page(phone=True, base_url=f"http://127.0.0.1:{proxy.port}")
        jean_page.goto("/join/")
        assert_accessible(jean_page)
        jean_page.get_by_label("Session code").fill(code[:3] + " " + code[3:])
        jean_page.get_by_role("button", name="Continue").click()
        assert_accessible(jean_page)
        jean_page.get_by_label("Jean Robertson").check()
        jean_page.get_by_role("button", name="Join the session").click()
        wait_connected(jean_page)
        assert_accessible(jean_page)

        davie = open_page(phone=True)
        davie.goto(f"/join/?code={code}")
        davie.get_by_role("button", name="Continue").click()
        davie.get_by_label("I'm not on this list").check()
        davie.get_by_label("Your name").fill("Davie Stewart")
        davie.get_by_label("I am an unpaid carer").check()
        davie.get_by_role("button", name="Join the session").click()
        wait_connected(davie)

        # The facilitator sees both arrive.
        fac.locator("#presence").get_by_text("Davie Stewart").wait_for()
        fac.locator("#presence").get_by_text("Jean Robertson").wait_for()
        fac.locator("#people-panel").get_by_role("button", name="Remove Davie Stewart").wait_for()
        assert "Welcome" in jean_page.locator("#activity").inner_text()

        # The facilitator moves the room; both phones follow without reloading.
        fac.get_by_role("button", name="Move room here to Ideas").click()
        jean_page.locator("#activity").get_by_role("heading", name="Ideas").wait_for()
        davie.locator("#activity").get_by_role("heading", name="Ideas").wait_for()
        # The facilitator's agenda gets back just the two items whose "Now" changed: Welcome
        # can be moved to again, Ideas is now, Tea is untouched.
        agenda = fac.locator("#agenda")
        agenda.get_by_role("button", name="Move room here to Welcome").wait_for()
        assert agenda.get_by_role("button", name="Move room here to Ideas").count() == 0
        assert agenda.locator(".comhla-agenda__item--current").inner_text().startswith("Ideas")
        assert agenda.get_by_role("button", name="Move room here to Tea").count() == 1
        assert agenda.locator("li").count() == 3
        assert_accessible(fac)

        # Jean's network drops; the room moves on; her network returns and she is current.
        # A dropped network makes the browser log failed reconnects: expected here.
        for page in (jean_page,):
            expect_console_error(page, "WebSocket connection to")
            expect_console_error(page, "htmx:ws:error")
        proxy.cut()
        jean_page.locator("#connection-status").get_by_text("Reconnecting").wait_for()
        fac.get_by_role("button", name="Move room here to Tea").click()
        davie.locator("#activity").get_by_role("heading", name="Tea").wait_for()
        proxy.restore()
        jean_page.locator("#activity").get_by_role("heading", name="Tea").wait_for(timeout=15_000)
        jean_page.wait_for_function(
            "() => document.getElementById('connection-status').hidden === true"
        )
    finally:
        proxy.close()


def test_wrong_code_gets_a_clear_message(open_page: Any, server: Any) -> None:
    page = open_page(phone=True)
    page.goto("/join/")
    expect_status(page, 400)
    page.get_by_label("Session code").fill("000000")
    page.get_by_role("button", name="Continue").click()
    page.get_by_text("That code does not match a session that is on now").first.wait_for()
    assert_accessible(page)


@pytest.mark.parametrize("phone", [True, False])
def test_start_page_is_accessible(open_page: Any, server: Any, phone: bool) -> None:
    page = open_page(phone=phone)
    page.goto("/")
    assert_accessible(page)
    page.get_by_role("button", name="Use larger text").click()
    page.locator("html.comhla-large-text").wait_for(state="attached")
    assert_accessible(page)
    page.get_by_role("button", name="Use standard text size").click()
    page.get_by_role("button", name="Use larger text").wait_for()
    assert page.locator("html.comhla-large-text").count() == 0


def test_ending_the_session_in_the_room_reaches_every_phone(
    open_page: Any, live_session: Any, facilitator: Any, person: Any
) -> None:
    AttendanceFactory(session=live_session, user=person)
    fac = open_page(facilitator)
    fac.goto(f"/sessions/{live_session.pk}/room/")
    wait_connected(fac)
    phone = open_page(person, phone=True)
    phone.goto(f"/sessions/{live_session.pk}/room/")
    wait_connected(phone)
    fac.get_by_role("button", name="End session").click()
    fac.wait_for_url(f"**/sessions/{live_session.pk}/")
    fac.get_by_text(f"{live_session.title} has ended").wait_for()
    assert_accessible(fac)
    phone.locator("#activity").get_by_role("heading", name="This session has ended").wait_for()
    phone.locator("#connection-status").get_by_text("This session has ended").wait_for()
    assert_accessible(phone)
    assert Session.objects.get(pk=live_session.pk).status == "ended"


def test_a_removed_person_is_let_back_in_without_reloading(
    open_page: Any, live_session: Any, facilitator: Any, person: Any
) -> None:
    AttendanceFactory(session=live_session, user=person)
    fac = open_page(facilitator)
    fac.goto(f"/sessions/{live_session.pk}/room/")
    wait_connected(fac)
    jean = open_page(person, phone=True)
    jean.goto(f"/sessions/{live_session.pk}/room/")
    wait_connected(jean)
    name = person.display_name

    # Removed while in the room, then let back in: the phone comes back by itself.
    fac.get_by_role("button", name=f"Remove {name}").click()
    jean.locator("#connection-status").get_by_text("You are no longer in this room").wait_for()
    assert_accessible(jean)
    fac.get_by_role("button", name=f"Let back in {name}").click()
    wait_connected(jean)
    jean.locator("#presence").get_by_text(name).wait_for()
    assert jean.locator("#connection-status").is_hidden()

    # Removed again, and the phone reloads meanwhile: the closed page moves on by itself too.
    fac.get_by_role("button", name=f"Remove {name}").click()
    jean.locator("#connection-status").get_by_text("You are no longer in this room").wait_for()
    expect_status(jean, 403)
    jean.reload()
    jean.get_by_text("You are not in this session at the moment").wait_for()
    assert_accessible(jean)
    fac.get_by_role("button", name=f"Let back in {name}").click()
    jean.wait_for_url(f"**/sessions/{live_session.pk}/room/")
    wait_connected(jean)


def test_a_frame_the_server_refuses_shows_a_message_and_the_page_does_not_reconnect(
    open_page: Any, live_session: Any, facilitator: Any
) -> None:
    page = open_page(facilitator)
    page.goto(f"/sessions/{live_session.pk}/room/")
    wait_connected(page)
    page.evaluate(
        "() => document.querySelector('[data-room]')._htmx.ws.connection.socket"
        ".send('x'.repeat(17 * 1024))"
    )
    status = page.locator("#connection-status")
    status.get_by_text("Reload the page to rejoin").wait_for()
    page.wait_for_timeout(2000)  # longer than the reconnect delay
    assert page.locator("[data-room]").get_attribute("data-connection") == "down"
    assert "Reload the page to rejoin" in status.inner_text()
    assert_accessible(page)
