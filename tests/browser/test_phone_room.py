"""The live room on a phone: the main action and every message stay in reach, and a press
that fails always says so where the person is looking."""

import uuid
from typing import Any

from boards import services
from participants.models import Role
from tests.browser.conftest import (
    assert_accessible,
    expect_console_error,
    expect_status,
    wait_connected,
)
from tests.browser.tcp_proxy import TcpProxy
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    LiveSessionFactory,
    MembershipFactory,
    ProgrammeFactory,
    StaffUserFactory,
    UserFactory,
)

NOT_SAVED = "Not saved — please try again"


def board_room(**board_settings: Any) -> tuple[Any, Any, Any, Any]:
    """A live session on a board with a second activity after it, a facilitator and Jean."""
    programme = ProgrammeFactory()
    fiona: Any = StaffUserFactory(display_name="Fiona Facilitator")
    MembershipFactory(user=fiona, programme=programme, role=Role.FACILITATOR)
    jean = UserFactory(display_name="Jean Robertson")
    MembershipFactory(user=jean, programme=programme, role=Role.LIVED_EXPERIENCE)
    session: Any = LiveSessionFactory(programme=programme, title="What matters to you")
    activity: Any = ActivityFactory(session=session, kind="board", title="What matters", order=0)
    ActivityFactory(session=session, kind="discussion", title="Tea", order=1)
    AttendanceFactory(session=session, user=jean)
    board = services.board_create(activity=activity, by=fiona, **board_settings)
    session.current_activity = activity
    session.save()
    return session, board, fiona, jean


def in_viewport(page: Any, selector: str) -> bool:
    """Is the element wholly on the screen as it is now (no scrolling)?"""
    box = page.locator(selector).bounding_box()
    if box is None:
        return False
    view = page.viewport_size
    return (
        box["y"] >= 0
        and box["y"] + box["height"] <= view["height"]
        and box["x"] >= 0
        and box["x"] + box["width"] <= view["width"]
    )


def open_room(open_page: Any, user: Any, session: Any, *, phone: bool = True) -> Any:
    page = open_page(user, phone=phone)
    page.goto(f"/sessions/{session.pk}/room/")
    wait_connected(page)
    return page


def message_in_view(page: Any, text: str) -> None:
    """The message is shown, on screen, and has the keyboard focus (so it is read out)."""
    message = page.locator("#page-errors").get_by_text(text)
    message.wait_for()
    assert in_viewport(page, "#page-errors"), page.locator("#page-errors").bounding_box()
    page.wait_for_function(
        "() => document.getElementById('page-errors').contains(document.activeElement)"
    )


def test_a_raised_hand_that_is_not_saved_says_so_on_screen(open_page: Any, server: Any) -> None:
    session, _board, _fiona, jean = board_room()
    page = open_room(open_page, jean, session)
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")

    # The network fails on the way: the press says so, in view, wherever the page is.
    expect_console_error(page, "Failed to load resource")
    expect_console_error(page, "htmx:error")
    page.route("**/floor/hand/raise/", lambda route: route.abort())
    page.get_by_role("button", name="Raise my hand").click()
    message_in_view(page, NOT_SAVED)
    assert_accessible(page)

    # The server answers with an error page: the same.
    page.unroute("**/floor/hand/raise/")
    expect_status(page, 503)
    page.route(
        "**/floor/hand/raise/",
        lambda route: route.fulfill(status=503, body="<h1>Service unavailable</h1>"),
    )
    page.evaluate("document.getElementById('page-errors').replaceChildren()")
    page.get_by_role("button", name="Raise my hand").click()
    message_in_view(page, NOT_SAVED)

    # Back to normal: the hand goes up and the old message goes away.
    page.unroute("**/floor/hand/raise/")
    page.get_by_role("button", name="Raise my hand").click()
    page.get_by_role("button", name="Lower my hand").wait_for()
    page.locator("#page-errors").get_by_text(NOT_SAVED).wait_for(state="detached")


def test_a_removed_person_adding_an_idea_is_told_why(open_page: Any, server: Any) -> None:
    session, board, fiona, jean = board_room()
    page = open_room(open_page, jean, session)
    fac = open_room(open_page, fiona, session, phone=False)
    page.get_by_label("Your idea", exact=True).fill("Being listened to")
    fac.get_by_role("button", name="Remove Jean Robertson").click()
    page.locator("#connection-status").get_by_text("You are no longer in this room").wait_for()
    expect_status(page, 403, 404)
    page.get_by_role("button", name="Add idea").click()
    message_in_view(page, "You are no longer in this room")
    print(page.locator("#page-errors").inner_text())
    assert board.cards.count() == 0


def test_the_fourth_vote_is_refused_in_view_on_a_phone(open_page: Any, server: Any) -> None:
    session, board, _fiona, jean = board_room()
    column = board.columns.order_by("position").first()
    services.card_add(board=board, by=jean, client_id=uuid.uuid4(), column_id=column.pk, text="Tea")
    page = open_room(open_page, jean, session)
    vote = page.get_by_role("button", name="Vote for: Tea")
    for left in (2, 1, 0):
        vote.click()
        page.locator(f"#board-{board.pk}-budget").get_by_text(f"You have {left} of 3").wait_for()
    expect_status(page, 422)
    vote.click()
    message_in_view(page, "You have used all 3 of your votes")


def test_raise_my_hand_is_in_reach_on_a_phone_and_so_is_the_connection(
    open_page: Any, server: Any
) -> None:
    session, _board, _fiona, jean = board_room()
    proxy = TcpProxy(server.port)
    try:
        page = open_page(jean, phone=True, base_url=f"http://127.0.0.1:{proxy.port}")
        page.goto(f"/sessions/{session.pk}/room/")
        wait_connected(page)
        assert_accessible(page)
        assert in_viewport(page, "#floor-me .comhla-big-button")
        box = page.locator("#floor-me .comhla-big-button").bounding_box()
        assert box["height"] >= 44

        # A few Tab presses from the top of the page reach it.
        for _ in range(10):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.textContent.trim()") == "Raise my hand":
                break
        else:
            raise AssertionError("Raise my hand is more than 10 Tab presses away")

        # Scrolled to the foot or the middle of the page, the hand and the notice are in view.
        expect_console_error(page, "WebSocket connection to")
        expect_console_error(page, "htmx:ws:error")
        page.evaluate("window.scrollTo(0, document.body.scrollHeight / 2)")
        assert in_viewport(page, "#floor-me .comhla-big-button")
        proxy.cut()
        page.locator("#connection-status").get_by_text("Reconnecting").wait_for()
        assert in_viewport(page, "#connection-status")
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        assert in_viewport(page, "#connection-status")
        assert in_viewport(page, "#floor-me .comhla-big-button")
        page.evaluate("window.scrollTo(0, 0)")
        assert in_viewport(page, "#connection-status")
        # Nothing at the foot of the page hides under the bar.
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        footer_button = page.locator(".comhla-footer__button").bounding_box()
        dock = page.locator(".comhla-dock").bounding_box()
        assert footer_button["y"] + footer_button["height"] <= dock["y"]
        proxy.restore()
        wait_connected(page)
    finally:
        proxy.close()


def test_the_phone_room_works_at_320_px_with_larger_text(open_page: Any, server: Any) -> None:
    session, _board, _fiona, jean = board_room()
    page = open_page(jean, phone=True)
    page.set_viewport_size({"width": 320, "height": 568})
    page.context.add_cookies([{"name": "comhla_large_text", "value": "1", "url": server.url}])
    page.goto(f"/sessions/{session.pk}/room/")
    wait_connected(page)
    page.locator("html.comhla-large-text").wait_for(state="attached")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert in_viewport(page, "#floor-me .comhla-big-button")
    # The dock leaves most of the screen to the activity.
    assert page.locator(".comhla-dock").bounding_box()["height"] <= 568 * 0.4
    assert_accessible(page)
    # A control reached by Tab is never hidden under the dock.
    page.locator(f"#board-{_board.pk}-add-button").focus()
    assert in_viewport(page, f"#board-{_board.pk}-add-button")
    dock_top = page.locator(".comhla-dock").bounding_box()["y"]
    add_button = page.locator(f"#board-{_board.pk}-add-button").bounding_box()
    assert add_button["y"] + add_button["height"] <= dock_top


def test_a_session_that_ended_offers_no_hand_to_raise(open_page: Any, server: Any) -> None:
    session, _board, fiona, jean = board_room()
    page = open_room(open_page, jean, session)
    fac = open_room(open_page, fiona, session, phone=False)
    fac.get_by_role("button", name="End session").click()
    page.locator("#activity").get_by_role("heading", name="This session has ended").wait_for()
    page.get_by_role("button", name="Raise my hand").wait_for(state="hidden")


def test_focus_stays_on_the_hand_button(open_page: Any, server: Any) -> None:
    session, _board, _fiona, jean = board_room()
    page = open_room(open_page, jean, session)
    page.get_by_role("button", name="Raise my hand").focus()
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Lower my hand").wait_for()
    page.wait_for_function("() => document.activeElement.textContent.trim() === 'Lower my hand'")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Raise my hand").wait_for()
    page.wait_for_function("() => document.activeElement.textContent.trim() === 'Raise my hand'")


def test_touch_targets_on_the_phone_room_are_44_px(open_page: Any, server: Any) -> None:
    session, board, _fiona, jean = board_room()
    page = open_room(open_page, jean, session)
    for selector in (f"#board-{board.pk}-column", ".comhla-footer__button"):
        box = page.locator(selector).bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, (selector, box)


def test_moving_the_room_on_clears_an_old_error(open_page: Any, server: Any) -> None:
    session, board, fiona, jean = board_room()
    column = board.columns.order_by("position").first()
    services.card_add(board=board, by=jean, client_id=uuid.uuid4(), column_id=column.pk, text="Tea")
    page = open_room(open_page, jean, session)
    fac = open_room(open_page, fiona, session, phone=False)
    vote = page.get_by_role("button", name="Vote for: Tea")
    for left in (2, 1, 0):
        vote.click()
        page.locator(f"#board-{board.pk}-budget").get_by_text(f"You have {left} of 3").wait_for()
    expect_status(page, 422)
    vote.click()
    page.locator("#page-errors").get_by_text("You have used all 3 of your votes").wait_for()
    fac.get_by_role("button", name="Move room here to Tea").click()
    page.locator("#activity").get_by_role("heading", name="Tea").wait_for()
    page.locator("#page-errors").get_by_text("You have used all").wait_for(state="detached")


def test_the_facilitator_room_fits_a_phone(open_page: Any, server: Any) -> None:
    session, board, fiona, jean = board_room()
    column = board.columns.order_by("position").first()
    services.card_add(board=board, by=jean, client_id=uuid.uuid4(), column_id=column.pk, text="Tea")
    page = open_room(open_page, fiona, session)
    assert_accessible(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, width
    # With larger text too.
    page.context.add_cookies([{"name": "comhla_large_text", "value": "1", "url": server.url}])
    page.reload()
    wait_connected(page)
    page.locator("html.comhla-large-text").wait_for(state="attached")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, width
    assert_accessible(page)


def test_people_move_their_own_ideas_and_are_told_when_not(open_page: Any, server: Any) -> None:
    session, board, _fiona, jean = board_room()
    isla = UserFactory(display_name="Isla Carer")
    MembershipFactory(user=isla, programme=session.programme, role=Role.CARER)
    AttendanceFactory(session=session, user=isla)
    first, second, _third = board.columns.order_by("position")
    jeans = services.card_add(
        board=board, by=jean, client_id=uuid.uuid4(), column_id=first.pk, text="Jean's"
    )
    islas = services.card_add(
        board=board, by=isla, client_id=uuid.uuid4(), column_id=first.pk, text="Isla's"
    )
    page = open_room(open_page, isla, session)
    # Isla has arrows on her own idea only.
    page.locator(f"#card-{islas.uid}-right").wait_for()
    assert page.locator(f"#card-{jeans.uid}-right").is_hidden()
    assert_accessible(page)

    # A press on Jean's idea from a page out of date is refused, clearly, and nothing moves.
    expect_status(page, 403)
    page.evaluate(f"document.getElementById('card-{jeans.uid}-right').click()")
    message_in_view(page, "You can move only your own ideas")
    jeans.refresh_from_db()
    assert jeans.column_id == first.pk

    # Her own moves, and the keyboard focus stays on the arrow she pressed.
    page.locator(f"#card-{islas.uid}-right").focus()
    page.keyboard.press("Enter")
    page.locator(f"#column-{second.pk} #card-{islas.uid}").wait_for()
    page.wait_for_function(f"() => document.activeElement.id === 'card-{islas.uid}-right'")
    page.locator("#page-errors").get_by_text("only your own").wait_for(state="detached")


def test_a_drag_that_is_not_saved_says_so(open_page: Any, server: Any) -> None:
    session, board, _fiona, jean = board_room()
    first, second, _third = board.columns.order_by("position")
    services.card_add(board=board, by=jean, client_id=uuid.uuid4(), column_id=first.pk, text="Drag")
    page = open_room(open_page, jean, session, phone=False)
    expect_console_error(page, "Failed to load resource")
    page.route("**/move/", lambda route: route.abort())
    source = page.locator(f"#column-{first.pk} .comhla-idea--mine .comhla-idea__text")
    source.evaluate("e => e.scrollIntoView({block: 'center'})")
    target = page.locator(f"#column-{second.pk} ol.comhla-column__cards")
    box_from, box_to = source.bounding_box(), target.bounding_box()
    page.mouse.move(box_from["x"] + 10, box_from["y"] + 5)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(
            box_from["x"] + 10 + (box_to["x"] - box_from["x"]) * step / 10,
            box_from["y"] + 5 + (box_to["y"] + 10 - box_from["y"]) * step / 10,
        )
    page.mouse.up()
    message_in_view(page, NOT_SAVED)
    # The idea is shown where it really is.
    page.locator(f"#column-{first.pk} .comhla-idea__text", has_text="Drag").wait_for()
