"""What every board service shares: who steers, a change applied once, clean text, locks."""

import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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


# What a text is refused with, for each kind of text typed: (empty, too long).
TEXT_ERRORS = {
    "idea": (
        gettext_lazy("Your idea is empty: write something first"),
        gettext_lazy(
            "Your idea is %(length)d characters long: keep it to %(limit)d characters or fewer"
        ),
    ),
    "prompt": (
        gettext_lazy("The prompt is empty: write something first"),
        gettext_lazy(
            "The prompt is %(length)d characters long: keep it to %(limit)d characters or fewer"
        ),
    ),
    "column": (
        gettext_lazy("The column title is empty: write something first"),
        gettext_lazy(
            "The column title is %(length)d characters long: keep it to %(limit)d characters "
            "or fewer"
        ),
    ),
    "group": (
        gettext_lazy("The group name is empty: write something first"),
        gettext_lazy(
            "The group name is %(length)d characters long: keep it to %(limit)d characters or fewer"
        ),
    ),
}


def clean_text(text: str, *, kind: str = "idea", limit: int = CARD_TEXT_MAX) -> str:
    """Typed text, stripped; refused if empty or longer than `limit` (`kind`: which
    TEXT_ERRORS say so)."""
    empty, too_long = TEXT_ERRORS[kind]
    text = (text or "").strip()
    if not text:
        raise ValidationError(str(empty))
    if len(text) > limit:
        raise ValidationError(too_long % {"length": len(text), "limit": limit})
    return text


def check_unlocked(board: Board, steers: bool, *columns: Column) -> None:
    """Refuse a participant's change to a locked board or column (facilitators always may)."""
    if steers:
        return
    if board.locked:
        raise ValidationError(_("The facilitator has locked this board: it cannot change now"))
    for column in columns:
        if column.locked:
            raise ValidationError(
                _("The facilitator has locked the column “%(title)s”") % {"title": column.title}
            )


def column_of(board: Board, column_id: int | None) -> Column:
    """A column of this board, or a clear error."""
    column = Column.objects.filter(board=board, pk=column_id).first() if column_id else None
    if column is None:
        raise ValidationError(_("Choose a column on this board"))
    return column


def card_of(board: Board, card_uid: uuid.UUID | str, *, include_deleted: bool = False) -> Card:
    """An idea on this board (taken off it too, if asked), or a clear error."""
    qs = Card.objects.filter(board=board, uid=card_uid)
    if not include_deleted:
        qs = qs.filter(deleted_at__isnull=True)
    card = qs.first()
    if card is None:
        raise ValidationError(_("That idea is not on this board"))
    return card


def attach[Changed: models.Model](
    obj: Changed, fragments: broadcasts.Fragments | None, board: Board
) -> Changed:
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
    # The view reads them off the changed object it is handed (boards.views.common).
    obj.fragments = fragments  # type: ignore[attr-defined]
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
