"""Ideas: adding (in the room or before the session), changing, taking off, bringing back,
moving."""

import uuid
from datetime import timedelta
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from boards import broadcasts
from boards.models import Board, Card, Column, Vote
from boards.selectors import in_group, is_member
from boards.services.common import (
    attach,
    card_of,
    check_unlocked,
    clean_text,
    column_of,
    first_time,
    lock_board,
    may_steer,
    totals_move,
)
from participants.models import User
from workshops.models import Session

UNDO_WINDOW = timedelta(seconds=60)
Direction = Literal["left", "right", "up", "down"]


class CardConflict(Exception):
    """Someone else changed the card since this editor loaded it."""

    def __init__(self, card: Card) -> None:
        super().__init__("The card changed")
        self.card = card


@transaction.atomic
def card_add(
    *,
    board: Board,
    by: User,
    client_id: uuid.UUID,
    column_id: int | None,
    text: str,
    on_behalf_of_id: int | None = None,
    before_session: bool = False,
) -> Card:
    """Add an idea to a column; a facilitator may add it for someone (it counts as theirs).

    A repeated POST with the same client id returns the card made the first time.
    `before_session` marks an idea added from the session page before the session started.
    """
    existing = Card.objects.filter(client_id=client_id).first()
    if existing is not None:
        if existing.board_id != board.pk:
            raise ValidationError(_("That idea is not on this board"))
        return existing
    board = lock_board(board)
    steers = may_steer(by, board)
    column = column_of(board, column_id)
    check_unlocked(board, steers, column)
    text = clean_text(text)
    if on_behalf_of_id is not None and on_behalf_of_id != by.pk:
        if not steers:
            raise PermissionDenied(_("Only facilitators add ideas for someone else"))
        if not is_member(user_id=on_behalf_of_id, programme_id=board.activity.session.programme_id):
            raise ValidationError(_("That person is not in this programme"))
    else:
        on_behalf_of_id = None
    last = Card.objects.filter(column=column).aggregate(m=Max("position"))["m"]
    try:
        with transaction.atomic():
            card = Card.objects.create(
                board=board,
                column=column,
                author=by,
                on_behalf_of_id=on_behalf_of_id,
                text=text,
                position=(last or 0) + 1,
                client_id=client_id,
                before_session=before_session,
            )
    except IntegrityError:
        # The same change arrived twice at once: the other request made the card.
        return Card.objects.get(client_id=client_id)
    return attach(card, broadcasts.card_added(board, card, column), board)


def idea_before_session(
    *,
    session: Session,
    by: User,
    board_id: int | None,
    client_id: uuid.UUID,
    column_id: int | None,
    text: str,
) -> Card:
    """Add one's own idea to a scheduled session's board from the session page (no room yet)."""
    if session.status != Session.Status.SCHEDULED:
        raise ValidationError(_("This session has started: add your idea in the room"))
    board = (
        Board.objects.select_related("activity__session")
        .filter(pk=board_id or 0, activity__session=session)
        .first()
    )
    if board is None:
        raise ValidationError(_("Choose a board of this session"))
    return card_add(
        board=board,
        by=by,
        client_id=client_id,
        column_id=column_id,
        text=text,
        before_session=True,
    )


def _may_edit(by: User, card: Card, steers: bool) -> None:
    if not steers and card.owner_id != by.pk and card.author_id != by.pk:
        raise PermissionDenied(_("You can change only your own ideas"))


def _may_move(by: User, board: Board, card: Card, steers: bool) -> None:
    # An idea is its owner's: only a board set up for anyone to organise lets others move it.
    if steers or board.anyone_can_group or by.pk in (card.owner_id, card.author_id):
        return
    raise PermissionDenied(
        _("You can move only your own ideas. Ask the facilitator if this one belongs elsewhere.")
    )


@transaction.atomic
def card_edit(
    *,
    board: Board,
    by: User,
    client_id: uuid.UUID,
    card_uid: uuid.UUID | str,
    text: str,
    version: int,
) -> Card:
    """Change an idea's text if nobody changed it since `version`; else raise CardConflict."""
    board = lock_board(board)
    steers = may_steer(by, board)
    card = card_of(board, card_uid)
    _may_edit(by, card, steers)
    check_unlocked(board, steers, card.column)
    text = clean_text(text)
    if not first_time(board, client_id, "card_edit"):
        return card
    updated = Card.objects.filter(pk=card.pk, version=version).update(
        text=text, version=version + 1
    )
    if not updated:
        card.refresh_from_db()
        raise CardConflict(card)
    card.refresh_from_db()
    return attach(card, broadcasts.card_edited(board, card), board)


@transaction.atomic
def card_delete(*, board: Board, by: User, client_id: uuid.UUID, card_uid: uuid.UUID | str) -> Card:
    """Take an idea off the board; it can be brought back for a minute (undo)."""
    board = lock_board(board)
    steers = may_steer(by, board)
    card = card_of(board, card_uid, include_deleted=True)
    _may_edit(by, card, steers)
    check_unlocked(board, steers, card.column)
    if not first_time(board, client_id, "card_delete") or card.deleted_at is not None:
        return card
    card.deleted_at = timezone.now()
    card.save(update_fields=["deleted_at"])
    Vote.objects.filter(card=card).delete()
    broadcasts.card_came_or_went(board, card, event="card_deleted")
    return card


@transaction.atomic
def card_restore(
    *, board: Board, by: User, client_id: uuid.UUID, card_uid: uuid.UUID | str
) -> Card:
    """Undo a delete made in the last minute."""
    board = lock_board(board)
    steers = may_steer(by, board)
    card = card_of(board, card_uid, include_deleted=True)
    _may_edit(by, card, steers)
    if not first_time(board, client_id, "card_restore") or card.deleted_at is None:
        return card
    if timezone.now() - card.deleted_at > UNDO_WINDOW:
        raise ValidationError(_("It is too late to undo: add the idea again"))
    card.deleted_at = None
    card.save(update_fields=["deleted_at"])
    broadcasts.card_came_or_went(board, card, event="card_restored")
    return card


@transaction.atomic
def card_move(
    *,
    board: Board,
    by: User,
    client_id: uuid.UUID,
    card_uid: uuid.UUID | str,
    direction: Direction | None = None,
    column_id: int | None = None,
    index: int | None = None,
) -> Card:
    """Move an idea one step (left, right, up, down) or to a place in a column (drag and drop).

    Moving to another column takes the idea out of its group. Participants move their own
    ideas; facilitators, and everyone on a board that lets anyone group, move any.
    """
    board = lock_board(board)
    steers = may_steer(by, board)
    card = card_of(board, card_uid)
    _may_move(by, board, card, steers)
    if board.cards_hidden:
        raise ValidationError(_("Ideas can be moved once they are revealed"))
    columns = list(Column.objects.filter(board=board).order_by("position", "pk"))
    source = next(c for c in columns if c.pk == card.column_id)
    target: Column | None
    if direction is not None:
        i = columns.index(source)
        if direction in ("left", "right"):
            j = i - 1 if direction == "left" else i + 1
            if not 0 <= j < len(columns):
                raise ValidationError(
                    _("This idea is already in the left-most column")
                    if direction == "left"
                    else _("This idea is already in the right-most column")
                )
            target, index = columns[j], None
        else:
            target = source
            siblings = list(
                Card.objects.filter(in_group(card.group_id), column=source, deleted_at__isnull=True)
                .order_by("position", "pk")
                .values_list("pk", flat=True)
            )
            k = siblings.index(card.pk)
            k2 = k - 1 if direction == "up" else k + 1
            if not 0 <= k2 < len(siblings):
                raise ValidationError(
                    _("This idea is already at the top")
                    if direction == "up"
                    else _("This idea is already at the bottom")
                )
            index = k2
    else:
        target = next((c for c in columns if c.pk == column_id), None)
        if target is None:
            raise ValidationError(_("Choose a column on this board"))
    check_unlocked(board, steers, source, target)
    if not first_time(board, client_id, "card_move"):
        return card
    old_group_id = card.group_id
    if target.pk != source.pk:
        card.group = None
    card.column = target
    card.position = _make_room(card, target, index)
    card.save(update_fields=["column", "group", "position"])
    moved_column = target.pk != source.pk
    fragments = broadcasts.card_placed(
        board,
        card,
        event="card_moved",
        columns=[target.pk, source.pk] if moved_column else [target.pk],
        reorders=totals_move(board, card, old_group_id),
        left=source if moved_column else None,
    )
    return attach(card, fragments, board)


def _make_room(card: Card, column: Column, index: int | None) -> int:
    """The position that puts the idea at `index` of its list (None: at the end).

    Shifts the ideas from that place down in one UPDATE rather than renumbering the list, so a
    move costs the same in a column of any length.
    """
    others = Card.objects.filter(
        in_group(card.group_id), column=column, deleted_at__isnull=True
    ).exclude(pk=card.pk)
    at = None
    if index is not None:
        i = max(index, 0)
        at = others.order_by("position", "pk").values_list("position", flat=True)[i : i + 1].first()
    if at is None:
        last = others.aggregate(m=Max("position"))["m"]
        return (last or 0) + 1
    others.filter(position__gte=at).update(position=F("position") + 1)
    return at
