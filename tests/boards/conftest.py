"""Board fixtures: a live session whose room is on a board, with people admitted."""

import uuid
from typing import Any

import pytest

from boards import services
from boards.models import Board


def cid() -> uuid.UUID:
    """A fresh client id, as the browser makes for every change."""
    return uuid.uuid4()


@pytest.fixture
def board_activity(live_session: Any) -> Any:
    """The live session's board activity, made current."""
    activity = live_session.activities.get(kind="board")
    live_session.current_activity = activity
    live_session.save(update_fields=["current_activity"])
    return activity


@pytest.fixture
def board(board_activity: Any, admitted: Any, person: Any, carer: Any, facilitator: Any) -> Board:
    """A board from the "what matters" template, with Jean and Isla admitted."""
    admitted(person)
    admitted(carer)
    return services.board_create(activity=board_activity, by=facilitator)


@pytest.fixture
def make_board(board: Board) -> Any:
    """Change the board's settings directly: make_board(anonymity="nobody")."""

    def change(**fields: Any) -> Board:
        Board.objects.filter(pk=board.pk).update(**fields)
        board.refresh_from_db()
        return board

    return change


def add(board: Board, by: Any, text: str = "Being listened to", column: int = 0, **kw: Any) -> Any:
    """Add a card to the n-th column."""
    col = board.columns.order_by("position")[column]
    return services.card_add(
        board=board, by=by, client_id=kw.pop("client_id", cid()), column_id=col.pk, text=text, **kw
    )
