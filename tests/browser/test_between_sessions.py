"""Between sessions, as people use it: a phone looks back, adds an idea early; the room recaps."""

import uuid
from datetime import timedelta
from typing import Any

from django.utils import timezone

from boards import services
from boards.models import Board, Card, Group, Vote
from tests.browser.conftest import assert_accessible, expect_status
from tests.factories import ActivityFactory, SessionFactory
from workshops.evaluation.models import ActionPoint
from workshops.models import Session


def _past_session(programme: Any, facilitator: Any, person: Any, carer: Any) -> Session:
    start = timezone.now() - timedelta(days=14)
    past: Any = SessionFactory(
        programme=programme,
        number=1,
        title="What matters to you",
        status=Session.Status.ENDED,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        ended_at=start + timedelta(hours=2),
    )
    board = services.board_create(
        activity=ActivityFactory(session=past, kind="board", title="Ideas"), by=facilitator
    )
    Board.objects.filter(pk=board.pk).update(results_shown=True)
    column = board.columns.order_by("position")[0]
    group = Group.objects.create(board=board, column=column, name="Getting there")
    bus = Card.objects.create(
        board=board,
        column=column,
        group=group,
        author=person,
        text="A bus that waits",
        client_id=uuid.uuid4(),
    )
    Card.objects.create(
        board=board, column=column, author=carer, text="Somewhere to sit", client_id=uuid.uuid4()
    )
    for voter in (person, carer):
        Vote.objects.create(board=board, voter=voter, card=bus, client_id=uuid.uuid4())
    action = ActionPoint.objects.create(
        programme=programme, title="Ask the bus company to wait", status="under_way"
    )
    action.ideas.add(bus)
    return past


def test_a_phone_looks_back_adds_an_idea_early_and_the_room_recaps(
    open_page: Any, programme: Any, facilitator: Any, person: Any, carer: Any
) -> None:
    _past_session(programme, facilitator, person, carer)
    second = SessionFactory(programme=programme, number=2, title="Making it happen")
    activity = ActivityFactory(session=second, kind="board", title="Next steps", order=0)
    services.board_create(activity=activity, by=facilitator)

    phone = open_page(person, phone=True)
    phone.goto("/")
    assert_accessible(phone)
    phone.get_by_role("link", name=f"Past sessions of {programme.name}").click()
    phone.get_by_role("heading", name="Past sessions").wait_for()
    assert_accessible(phone)
    phone.get_by_role("link", name="See the ideas from Ideas (session 1)").click()
    board = phone.locator("#past-board")
    board.get_by_text("A bus that waits").wait_for()
    assert board.get_by_text("Group: Getting there").is_visible()
    assert board.get_by_text("(2 dots)").first.is_visible()
    assert board.get_by_text("Chosen").is_visible()
    assert board.get_by_role("button").count() == 0
    assert_accessible(phone)

    phone.goto("/")
    phone.get_by_role("link", name=f"You said, we did in {programme.name}").click()
    phone.get_by_role("heading", name="Ask the bus company to wait").wait_for()
    assert phone.get_by_role("button", name="Add the action").count() == 0
    assert_accessible(phone)

    phone.goto(f"/sessions/{second.pk}/")
    phone.get_by_role("heading", name="Before the session: add your ideas").wait_for()
    assert_accessible(phone)
    expect_status(phone, 400)
    phone.get_by_label("Your idea", exact=True).fill("")
    phone.get_by_role("button", name="Add your idea to Next steps").click()
    phone.get_by_text("There is a problem").wait_for()
    assert not Card.objects.filter(board__activity=activity).exists()
    phone.get_by_label("Which part of the board").select_option(label="Ideas")
    phone.get_by_label("Your idea", exact=True).fill("A lift share board at the surgery")
    phone.get_by_role("button", name="Add your idea to Next steps").click()
    phone.get_by_text("Your idea was added").wait_for()
    assert phone.get_by_text("A lift share board at the surgery").is_visible()
    card = Card.objects.get(board__activity=activity)
    assert card.before_session and card.author_id == person.pk

    fac = open_page(facilitator)
    fac.goto(f"/sessions/{second.pk}/")
    ideas = fac.locator("#ideas-before")
    ideas.get_by_text("A lift share board at the surgery").wait_for()
    assert ideas.get_by_text("Added before the session").first.is_visible()
    assert_accessible(fac)
    fac.goto(f"/sessions/{second.pk}/boards/{card.board_id}/")
    on_board = fac.locator(f"#card-{card.uid}")
    on_board.get_by_text("Added before the session").wait_for()

    fac.goto(f"/sessions/{second.pk}/")
    fac.get_by_role("button", name="Open the session now").click()
    fac.wait_for_url(f"**/sessions/{second.pk}/room/")
    recap = fac.locator("#last-time")
    recap.get_by_text("A bus that waits").wait_for()
    assert recap.get_by_text("Under way").is_visible()
    assert "Somewhere to sit" not in recap.inner_text()
    fac.goto(f"/sessions/{second.pk}/")
    fac.locator("#last-time").get_by_text("Ask the bus company to wait").wait_for()
    assert_accessible(fac)

    fac.goto(f"/programmes/{programme.pk}/past-sessions/")
    assert_accessible(fac)

    phone.goto(f"/sessions/{second.pk}/")
    phone.locator("#last-time").get_by_text("A bus that waits").wait_for()
    assert_accessible(phone)
