"""What one change costs, whatever the board holds (DESIGN.md §8).

Each change is made over htmx at 10 and at 200 ideas: the SQL queries must be the same, each
idea rendered at most once per audience, and each audience's push carry only the changed idea
(and its column's head), in one frame of at most 4 KB.
"""

from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from boards import render
from boards.models import Board, Card, Group, Vote
from tests.boards.conftest import cid
from tests.helpers import captured_broadcasts
from workshops.room import broadcast

pytestmark = pytest.mark.django_db
HTMX: Any = {"HTTP_HX_REQUEST": "true"}
FRAME_MAX = 4096


def url(name: str, board: Board, *args: Any) -> str:
    return reverse(name, args=[board.activity.session_id, board.pk, *args])


def fill(board: Board, author: Any, n: int) -> None:
    """Ideas by someone else, over two columns, three of them in a group, a few with dots."""
    first, second = list(board.columns.order_by("position"))[:2]
    have = Card.objects.filter(board=board).count()
    Card.objects.bulk_create(
        [
            Card(
                board=board,
                column=first if i % 2 else second,
                author=author,
                text=f"Filler idea number {i} with a few words in it",
                position=i + 1,
                client_id=cid(),
            )
            for i in range(have, have + n)
        ]
    )
    group = Group.objects.filter(board=board).first() or Group.objects.create(
        board=board, column=first, name="A group"
    )
    for card in Card.objects.filter(column=first, group__isnull=True)[:3]:
        card.group = group
        card.save(update_fields=["group"])
    for card in Card.objects.filter(board=board).order_by("pk")[:2]:
        Vote.objects.get_or_create(board=board, voter=author, card=card, client_id=cid())


def target(board: Board, owner: Any) -> Card:
    """A loose idea of the person making the change, at the top of the first column."""
    first = board.columns.order_by("position").first()
    return Card.objects.create(
        board=board, column=first, author=owner, text="The idea that changes", client_id=cid()
    )


Change = Callable[[Client, Board, Card], Any]


def card_add(client: Client, board: Board, card: Card) -> Any:
    data = {"text": "A brand new idea", "column": card.column_id, "client_id": str(cid())}
    return client.post(url("card_add", board), data, **HTMX)


def card_edit(client: Client, board: Board, card: Card) -> Any:
    data = {"text": "Changed words", "version": card.version, "client_id": str(cid())}
    return client.post(url("card_edit", board, card.uid), data, **HTMX)


def vote_add(client: Client, board: Board, card: Card) -> Any:
    return client.post(url("vote_add", board), {"card": card.uid, "client_id": str(cid())}, **HTMX)


def vote_remove(client: Client, board: Board, card: Card) -> Any:
    data = {"card": card.uid, "client_id": str(cid())}
    return client.post(url("vote_remove", board), data, **HTMX)


def move_down(client: Client, board: Board, card: Card) -> Any:
    data = {"direction": "down", "client_id": str(cid())}
    return client.post(url("card_move", board, card.uid), data, **HTMX)


def move_right(client: Client, board: Board, card: Card) -> Any:
    data = {"direction": "right", "client_id": str(cid())}
    return client.post(url("card_move", board, card.uid), data, **HTMX)


def group(client: Client, board: Board, card: Card) -> Any:
    existing = Group.objects.get(board=board)
    data = {"group": existing.pk, "client_id": str(cid())}
    return client.post(url("card_group", board, card.uid), data, **HTMX)


CHANGES: dict[str, Change] = {
    "card add": card_add,
    "card edit": card_edit,
    "vote add": vote_add,
    "vote remove": vote_remove,
    "move within a column": move_down,
    "move to another column": move_right,
    "group": group,
}


def measure(
    client: Client, board: Board, change: Change, card: Card, capture: Any
) -> tuple[int, Any, Any, int]:
    """Queries, pushes, the HTTP answer and how many ideas were rendered for one change."""
    if change is vote_remove:
        Vote.objects.create(board=board, voter=card.author, card=card, client_id=cid())
    renders = mock.patch.object(render, "card_li", wraps=render.card_li)
    with (
        captured_broadcasts(capture) as pushes,
        CaptureQueriesContext(connection) as queries,
        renders as card_li,
    ):
        response = change(client, board, card)
    assert response.status_code == 200, response.content.decode()
    return len(queries), pushes, response, card_li.call_count


@pytest.mark.parametrize("results_shown", [False, True], ids=["votes hidden", "votes shown"])
@pytest.mark.parametrize("kind", list(CHANGES))
def test_a_change_costs_the_same_at_10_and_at_200_ideas(
    client: Client,
    board: Board,
    make_board: Any,
    person: Any,
    carer: Any,
    facilitator: Any,
    django_capture_on_commit_callbacks: Any,
    kind: str,
    results_shown: bool,
) -> None:
    make_board(anonymity="facilitators", results_shown=results_shown, anyone_can_group=True)
    change = CHANGES[kind]
    client.force_login(person)
    client.get(url("board_mine", board))  # the first request of a session writes to it
    fill(board, carer, 10)
    small = measure(
        client, board, change, target(board, person), django_capture_on_commit_callbacks
    )
    fill(board, carer, 190)
    big = measure(client, board, change, target(board, person), django_capture_on_commit_callbacks)
    assert Card.objects.filter(board=board).count() > 200
    assert small[0] == big[0], f"{kind}: {small[0]} queries at 10 ideas, {big[0]} at 200"
    session_id = board.activity.session_id
    for _queries, pushes, response, rendered in (small, big):
        room = pushes.frames(broadcast.room_group(session_id))
        facilitators = pushes.frames(broadcast.facilitators_group(session_id))
        assert len(room) <= 1 and len(facilitators) <= 1, pushes.events()
        for frame in room + facilitators:
            content = frame["content"]
            assert len(content.encode()) <= FRAME_MAX, f"{kind}: a {len(content)} byte frame"
            assert content.count('class="comhla-idea"') <= 1, f"{kind}: pushes other ideas"
        assert all("Jean Robertson" not in f["content"] for f in room), "the room saw a name"
        answer = response.content.decode()
        assert answer.count('class="comhla-idea"') <= 1, f"{kind}: answers with other ideas"
        assert rendered <= 2, f"{kind}: {rendered} ideas rendered for one change"


def test_a_move_puts_the_idea_where_asked(
    board: Board, person: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from boards import services
    from tests.boards.conftest import add

    a, b, c, d = (add(board, person, t) for t in "abcd")
    first, second = list(board.columns.order_by("position"))[:2]

    def order(column: Any) -> str:
        cards = Card.objects.filter(column=column, deleted_at__isnull=True)
        return "".join(cards.order_by("position", "pk").values_list("text", flat=True))

    def move(card: Card, **kw: Any) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            services.card_move(board=board, by=person, client_id=cid(), card_uid=card.uid, **kw)

    move(a, direction="down")
    assert order(first) == "bacd"
    move(d, direction="up")
    assert order(first) == "badc"
    move(b, column_id=first.pk, index=2)
    assert order(first) == "adbc"
    move(c, column_id=second.pk, index=0)
    move(a, column_id=second.pk, index=1)
    move(d, column_id=second.pk, index=1)
    assert order(first) == "b" and order(second) == "cda"
    move(b, direction="right")
    assert order(second) == "cdab"
