"""A board activity as three people live it: phones and laptops, each in their own browser."""

import re
from typing import Any

from boards import services
from boards.models import Board, Card
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


def setting(**board_settings: Any) -> tuple[Any, Board, Any, Any, Any]:
    """A live session on a board, with a facilitator and two people admitted."""
    programme = ProgrammeFactory()
    fiona: Any = StaffUserFactory(display_name="Fiona Facilitator")
    MembershipFactory(user=fiona, programme=programme, role=Role.FACILITATOR)
    jean = UserFactory(display_name="Jean Robertson")
    MembershipFactory(user=jean, programme=programme, role=Role.LIVED_EXPERIENCE)
    isla = UserFactory(display_name="Isla Robertson")
    MembershipFactory(user=isla, programme=programme, role=Role.CARER)
    session: Any = LiveSessionFactory(programme=programme, title="What matters to you")
    activity: Any = ActivityFactory(session=session, kind="board", title="What matters", order=0)
    for user in (jean, isla):
        AttendanceFactory(session=session, user=user)
    board = services.board_create(activity=activity, by=fiona, **board_settings)
    session.current_activity = activity
    session.save()
    return session, board, fiona, jean, isla


def column_ids(board: Board) -> list[int]:
    return list(board.columns.order_by("position").values_list("pk", flat=True))


def idea(page: Any, column_id: int, text: str) -> Any:
    return page.locator(f"#column-{column_id} .comhla-idea__text", has_text=text)


def add_idea(page: Any, text: str, column: str | None = None) -> None:
    page.get_by_label("Your idea", exact=True).fill(text)
    if column:
        page.get_by_label("Column", exact=True).select_option(label=column)
    page.get_by_role("button", name="Add idea").click()
    # Saved: the box empties when the answer arrives (a person would wait for that too).
    page.wait_for_function("() => document.querySelector('[data-board-add] textarea').value === ''")


def test_three_people_add_move_vote_and_drop_off(open_page: Any, server: Any) -> None:
    session, board, fiona, jean, isla = setting()
    first, second, _third = column_ids(board)
    room = f"/sessions/{session.pk}/room/"

    fac = open_page(fiona)
    fac.goto(room)
    wait_connected(fac)
    assert_accessible(fac)
    jean_page = open_page(jean, phone=True)
    jean_page.goto(room)
    wait_connected(jean_page)
    assert_accessible(jean_page)
    proxy = TcpProxy(server.port)
    try:
        isla_page = open_page(isla, base_url=f"http://127.0.0.1:{proxy.port}")
        isla_page.goto(room)
        wait_connected(isla_page)
        isla_page.locator(f"#board-{board.pk}-budget", has_text="of 3 votes left").wait_for()

        # A (Jean, phone) adds an idea; B and C see it without reloading.
        add_idea(jean_page, "Being listened to by my GP")
        for page in (fac, isla_page, jean_page):
            idea(page, first, "Being listened to by my GP").wait_for()
        assert jean_page.get_by_label("Your idea", exact=True).input_value() == ""
        jean_page.locator(
            f"#board-mine-{board.pk} .comhla-mine__text", has_text="Being listened to by my GP"
        ).wait_for()
        assert fac.locator("#room-announcer").inner_text() == (
            "New idea in What matters to you: Being listened to by my GP"
        )
        assert_accessible(isla_page)

        # Jean moves it with the keyboard only; focus stays on the button she pressed. Isla
        # has no arrows on Jean's idea: each person moves only their own.
        card = Card.objects.get(text="Being listened to by my GP")
        assert isla_page.locator(f"#card-{card.uid}-right").is_hidden()
        jean_page.locator(f"#card-{card.uid}-right").focus()
        jean_page.keyboard.press("Enter")
        for page in (fac, isla_page, jean_page):
            idea(page, second, "Being listened to by my GP").wait_for()
        jean_page.wait_for_function(
            f"() => document.activeElement && document.activeElement.id === 'card-{card.uid}-right'"
        )
        jean_page.keyboard.press("Enter")
        idea(isla_page, _third, "Being listened to by my GP").wait_for()

        # Isla votes until her three dots are used; the fourth is refused, clearly.
        vote = isla_page.get_by_role("button", name="Vote for: Being listened to by my GP")
        for left in (2, 1, 0):
            vote.click()
            isla_page.locator(f"#board-{board.pk}-budget").get_by_text(
                f"You have {left} of 3 votes left"
            ).wait_for()
        expect_status(isla_page, 422)  # the fourth dot is refused
        vote.click()
        isla_page.locator("#page-errors").get_by_text(
            "You have used all 3 of your votes"
        ).wait_for()
        assert_accessible(isla_page)

        # Isla's network drops; Jean adds two ideas; Isla comes back and sees both.
        # A dropped network makes the browser log failed reconnects: expected here.
        for page in (isla_page,):
            expect_console_error(page, "WebSocket connection to")
            expect_console_error(page, "htmx:ws:error")
        proxy.cut()
        isla_page.locator("#connection-status").get_by_text("Reconnecting").wait_for()
        add_idea(jean_page, "Help with the forms")
        idea(fac, first, "Help with the forms").wait_for()
        add_idea(jean_page, "Someone to go with me", column="Ideas")
        idea(fac, _third, "Someone to go with me").wait_for()
        proxy.restore()
        idea(isla_page, first, "Help with the forms").wait_for(timeout=15_000)
        idea(isla_page, _third, "Someone to go with me").wait_for()
        assert Card.objects.filter(board=board).count() == 3
    finally:
        proxy.close()


def test_a_change_made_while_pushes_are_lost_still_saves_and_shows(
    open_page: Any, server: Any
) -> None:
    session, board, fiona, jean, _isla = setting()
    first = column_ids(board)[0]
    room = f"/sessions/{session.pk}/room/"
    fac = open_page(fiona)
    fac.goto(room)
    wait_connected(fac)
    jean_page = open_page(jean, phone=True)
    lost = {"pushes": False}

    def relay(ws: Any) -> None:
        # Jean's socket stays open but, once `lost` is set, nothing from the server arrives.
        upstream = ws.connect_to_server()
        upstream.on_message(lambda message: None if lost["pushes"] else ws.send(message))
        ws.on_message(lambda message: upstream.send(message))

    jean_page.route_web_socket(re.compile(r".*/ws/sessions/.*"), relay)
    jean_page.goto(room)
    wait_connected(jean_page)
    lost["pushes"] = True

    add_idea(fac, "Only over the socket")
    idea(fac, first, "Only over the socket").wait_for()
    jean_page.wait_for_timeout(1000)
    assert idea(jean_page, first, "Only over the socket").count() == 0  # pushes are lost

    add_idea(jean_page, "Saved over plain HTTP")
    # The POST's own answer redraws the column (bringing the idea Jean missed as well).
    idea(jean_page, first, "Saved over plain HTTP").wait_for()
    idea(jean_page, first, "Only over the socket").wait_for()
    assert Card.objects.filter(text="Saved over plain HTTP").count() == 1
    idea(fac, first, "Saved over plain HTTP").wait_for()


def test_silent_ideation_then_reveal(open_page: Any, server: Any) -> None:
    session, board, fiona, jean, isla = setting(hidden_until_reveal=True)
    first = column_ids(board)[0]
    room = f"/sessions/{session.pk}/room/"
    fac, jean_page, isla_page = open_page(fiona), open_page(jean, phone=True), open_page(isla)
    for page in (fac, jean_page, isla_page):
        page.goto(room)
        wait_connected(page)

    add_idea(jean_page, "Jean's quiet idea")
    add_idea(isla_page, "Isla's quiet idea")
    # Each sees only their own, in their own panel; the columns show a count.
    jean_page.locator(
        f"#board-mine-{board.pk} .comhla-mine__text", has_text="Jean's quiet idea"
    ).wait_for()
    isla_page.locator(
        f"#board-mine-{board.pk} .comhla-mine__text", has_text="Isla's quiet idea"
    ).wait_for()
    fac.locator(f"#board-{board.pk}-head").get_by_text("2 ideas").wait_for()
    assert "Isla's quiet idea" not in jean_page.content()
    assert "Jean's quiet idea" not in isla_page.content()
    assert "quiet idea" not in fac.locator(f"#board-{board.pk}").inner_text()
    assert_accessible(jean_page)

    fac.get_by_role("button", name="Reveal everyone's ideas").click()
    for page in (fac, jean_page, isla_page):
        idea(page, first, "Jean's quiet idea").wait_for()
        idea(page, first, "Isla's quiet idea").wait_for()
    assert jean_page.locator("#room-announcer").inner_text().startswith("Everyone's ideas")
    assert_accessible(fac)


def test_board_is_accessible_with_groups_votes_and_results(open_page: Any, server: Any) -> None:
    session, board, fiona, jean, _isla = setting(anonymity=Board.Anonymity.FACILITATORS)
    first = column_ids(board)[0]
    room = f"/sessions/{session.pk}/room/"
    fac = open_page(fiona)
    fac.goto(room)
    wait_connected(fac)
    add_idea(fac, "Buses that turn up", column="What matters to you")
    idea(fac, first, "Buses that turn up").wait_for()
    fac.locator(f"#column-{first} .comhla-idea summary", has_text="Group").first.click()
    fac.get_by_label("New group name").fill("Getting there")
    fac.get_by_role("button", name="Start group").click()
    fac.locator(f"#column-{first} .comhla-group__name", has_text="Getting there").wait_for()
    fac.get_by_role("button", name="Vote for the group Getting there").click()
    fac.get_by_role("button", name="Show the votes").click()
    fac.locator(f"#column-{first} .comhla-group__name", has_text="1 vote").wait_for()
    assert_accessible(fac)
    for phone in (True, False):
        page = open_page(jean, phone=phone)
        page.goto(room)
        wait_connected(page)
        idea(page, first, "Buses that turn up").wait_for()
        assert "Fiona Facilitator" not in page.locator(f"#board-{board.pk}").inner_text()
        assert_accessible(page)


def test_drag_delete_undo_and_an_edit_clash(open_page: Any, server: Any) -> None:
    session, board, fiona, jean, _isla = setting()
    first, second, _third = column_ids(board)
    room = f"/sessions/{session.pk}/room/"
    fac, jean_page = open_page(fiona), open_page(jean)
    for page in (fac, jean_page):
        page.goto(room)
        wait_connected(page)
    add_idea(jean_page, "Drag me across")
    idea(fac, first, "Drag me across").wait_for()

    # Drag and drop (SortableJS) moves the idea for everyone.
    source = jean_page.locator(f"#column-{first} .comhla-idea__text", has_text="Drag me across")
    target = jean_page.locator(f"#column-{second} ol.comhla-column__cards")
    source.wait_for()
    source.evaluate("e => e.scrollIntoView({block: 'center'})")  # clear of the dock
    # Both this POST's answer and its push redraw the column: wait until it is stable.
    jean_page.wait_for_timeout(300)
    box_from, box_to = source.bounding_box(), target.bounding_box()
    assert box_from and box_to
    jean_page.mouse.move(box_from["x"] + 10, box_from["y"] + 5)
    jean_page.mouse.down()
    for step in range(1, 11):
        jean_page.mouse.move(
            box_from["x"] + 10 + (box_to["x"] - box_from["x"]) * step / 10,
            box_from["y"] + 5 + (box_to["y"] + 10 - box_from["y"]) * step / 10,
        )
    jean_page.mouse.up()
    idea(fac, second, "Drag me across").wait_for()
    idea(jean_page, second, "Drag me across").wait_for()

    # Jean deletes her idea and takes it back with Undo.
    mine = jean_page.locator(f"#board-mine-{board.pk}")
    mine.locator("summary", has_text="Change or delete").click()
    mine.get_by_role("button", name="Delete idea: Drag me across").click()
    jean_page.get_by_role("button", name="Undo").wait_for()
    fac.locator(f"#column-{second}").get_by_text("No ideas here yet.").wait_for()
    jean_page.get_by_role("button", name="Undo").click()
    idea(fac, second, "Drag me across").wait_for()

    # Jean and Fiona edit it at once: Jean is told, sees Fiona's text and keeps her own.
    card = Card.objects.get(text="Drag me across")
    mine.locator("summary", has_text="Change or delete").click()
    jean_page.locator(f"#edit-{card.uid}-text").fill("Jean's better words")
    fac.locator(f"#card-{card.uid} summary", has_text="Change").click()
    fac.locator(f"#fac-edit-{card.uid}-text").fill("Fiona's words")
    fac.locator(f"#fac-edit-{card.uid}").get_by_role("button", name="Save idea").click()
    idea(jean_page, second, "Fiona's words").wait_for()
    # Jean's open panel and her typing survived the push.
    assert jean_page.locator(f"#edit-{card.uid}-text").input_value() == "Jean's better words"
    expect_status(jean_page, 409)  # the clash
    jean_page.locator(f"#edit-{card.uid}").get_by_role("button", name="Save idea").click()
    clash = jean_page.locator(f"#edit-{card.uid}")
    clash.get_by_text("Someone else changed this idea").wait_for()
    assert "Fiona's words" in clash.locator(".comhla-conflict__latest").inner_text()
    assert clash.locator("textarea").input_value() == "Jean's better words"
    assert_accessible(jean_page)
    clash.get_by_role("button", name="Save idea").click()
    idea(fac, second, "Jean's better words").wait_for()


def wait_order(page: Any, column_id: int, texts: list[str]) -> None:
    """Wait until a column shows exactly these ideas, in this order."""
    page.wait_for_function(
        """([column, texts]) => JSON.stringify(Array.from(document.querySelectorAll(
             `#column-${column} .comhla-idea__text`)).map((p) => p.textContent)) ===
             JSON.stringify(texts)""",
        arg=[column_id, texts],
    )


def test_a_moved_or_voted_idea_takes_its_new_place_for_everyone(
    open_page: Any, server: Any
) -> None:
    """Only the changed idea is pushed: the browser puts it where the server says."""
    session, board, _fiona, jean, isla = setting()
    Board.objects.filter(pk=board.pk).update(results_shown=True)
    first = column_ids(board)[0]
    room = f"/sessions/{session.pk}/room/"
    jean_page, isla_page = open_page(jean, phone=True), open_page(isla)
    for page in (jean_page, isla_page):
        page.goto(room)
        wait_connected(page)
    for text in ("Alpha", "Beta", "Gamma"):
        add_idea(jean_page, text)
    wait_order(isla_page, first, ["Alpha", "Beta", "Gamma"])

    down = jean_page.get_by_role("button", name="Move down: Alpha")
    down.focus()
    jean_page.keyboard.press("Enter")
    for page in (isla_page, jean_page):
        wait_order(page, first, ["Beta", "Alpha", "Gamma"])
    # The keyboard user is still on the button they pressed, on the moved idea.
    card = Card.objects.get(text="Alpha")
    jean_page.wait_for_function(f"() => document.activeElement.id === 'card-{card.uid}-down'")

    jean_page.get_by_role("button", name="Vote for: Gamma").click()
    for page in (isla_page, jean_page):
        wait_order(page, first, ["Gamma", "Beta", "Alpha"])
    assert "1 vote" in isla_page.locator(f"#card-{Card.objects.get(text='Gamma').uid}").inner_text()
    assert_accessible(isla_page)
