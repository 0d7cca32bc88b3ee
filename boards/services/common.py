"""What every board service shares: who steers, a change applied once, clean text, locks."""

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from boards import broadcasts
from boards.models import CARD_TEXT_MAX, Board, Card, ChangeReceipt, Column, Vote
from participants.models import User
from workshops.access import Action, can_on_session
from workshops.models import Session


def may_steer(by: User, board: Board) -> bool:
    """Does this person steer the board's session (facilitators)?"""
    return can_on_session(by, Action.STEER, board.activity.session)


def first_time(board: Board, client_id: uuid.UUID, action: str) -> bool:
    """Record a change's id; False if it was applied before (a repeated POST)."""
    try:
        with transaction.atomic():
            ChangeReceipt.objects.create(client_id=client_id, board=board, action=action)
    except IntegrityError:
        return False
    return True


def clean_text(text: str, *, what: str = "Your idea", limit: int = CARD_TEXT_MAX) -> str:
    """Typed text, stripped; refused if empty or longer than `limit`."""
    text = (text or "").strip()
    if not text:
        raise ValidationError(f"{what} is empty: write something first")
    if len(text) > limit:
        raise ValidationError(
            f"{what} is {len(text)} characters long: keep it to {limit} characters or fewer"
        )
    return text


def check_unlocked(board: Board, steers: bool, *columns: Column) -> None:
    """Refuse a participant's change to a locked board or column (facilitators always may)."""
    if steers:
        return
    if board.locked:
        raise ValidationError("The facilitator has locked this board: it cannot change now")
    for column in columns:
        if column.locked:
            raise ValidationError(f"The facilitator has locked the column “{column.title}”")


def column_of(board: Board, column_id: int | None) -> Column:
    """A column of this board, or a clear error."""
    column = Column.objects.filter(board=board, pk=column_id).first() if column_id else None
    if column is None:
        raise ValidationError("Choose a column on this board")
    return column


def card_of(board: Board, card_uid: uuid.UUID | str, *, include_deleted: bool = False) -> Card:
    """An idea on this board (taken off it too, if asked), or a clear error."""
    qs = Card.objects.filter(board=board, uid=card_uid)
    if not include_deleted:
        qs = qs.filter(deleted_at__isnull=True)
    card = qs.first()
    if card is None:
        raise ValidationError("That idea is not on this board")
    return card


def attach(obj: Any, fragments: broadcasts.Fragments | None, board: Board) -> Any:
    """Hand the change's renders to the view (None: it renders what the sender needs).

    With them goes the room's sequence number of this change (read inside its transaction),
    so a sender whose socket lost earlier pushes can tell and catch up.
    """
    if fragments is None:
        return obj
    if fragments.board and broadcasts.in_room(board):
        fragments.seq = Session.objects.values_list("seq", flat=True).get(
            pk=board.activity.session_id
        )
    obj.fragments = fragments
    return obj


def totals_move(board: Board, card: Card, *group_ids: int | None) -> bool:
    """Would a group's shown vote total change (so the groups may reorder)?"""
    if not board.results_shown or not any(group_ids):
        return False
    return Vote.objects.filter(card=card).exists()


def lock_board(board: Board) -> Board:
    """The board again, its row locked for the rest of the transaction."""
    # Board changes of one board are serialised on its row (PostgreSQL), so positions and
    # settings are read and written without another change slipping in between.
    return Board.objects.select_for_update().select_related("activity__session").get(pk=board.pk)
