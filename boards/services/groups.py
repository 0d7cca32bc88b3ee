"""Groups of ideas: starting one, putting ideas in and out, renaming, dissolving."""

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from boards import broadcasts
from boards.models import GROUP_NAME_MAX, Board, Card, Group, Vote
from boards.services.common import (
    attach,
    card_of,
    check_unlocked,
    clean_text,
    first_time,
    lock_board,
    may_steer,
    totals_move,
)
from participants.models import User


def _check_grouping(board: Board, by: User) -> bool:
    steers = may_steer(by, board)
    if not steers and not board.anyone_can_group:
        raise PermissionDenied(_("Only facilitators group ideas on this board"))
    if board.cards_hidden:
        raise ValidationError(_("Ideas can be grouped once they are revealed"))
    check_unlocked(board, steers)
    return steers


@transaction.atomic
def group_create(
    *, board: Board, by: User, client_id: uuid.UUID, card_uid: uuid.UUID | str, name: str
) -> Group:
    """Start a named group with one idea in it."""
    board = lock_board(board)
    steers = _check_grouping(board, by)
    card = card_of(board, card_uid)
    check_unlocked(board, steers, card.column)
    name = clean_text(name, kind="group", limit=GROUP_NAME_MAX)
    if not first_time(board, client_id, "group_create"):
        return card.group or Group()
    last = Group.objects.filter(column=card.column).aggregate(m=Max("position"))["m"]
    group = Group.objects.create(
        board=board, column=card.column, name=name, position=(last or 0) + 1
    )
    card.group = group
    card.save(update_fields=["group"])
    broadcasts.group_changed(board, card.column_id, event="group_created")
    return group


@transaction.atomic
def card_set_group(
    *,
    board: Board,
    by: User,
    client_id: uuid.UUID,
    card_uid: uuid.UUID | str,
    group_id: int | None,
) -> Card:
    """Put an idea into a group of its column, or take it out (group_id None)."""
    board = lock_board(board)
    steers = _check_grouping(board, by)
    card = card_of(board, card_uid)
    check_unlocked(board, steers, card.column)
    group = None
    if group_id is not None:
        group = Group.objects.filter(board=board, pk=group_id).first()
        if group is None or group.column_id != card.column_id:
            raise ValidationError(_("Choose a group in the same column"))
    if not first_time(board, client_id, "card_group"):
        return card
    old_group_id = card.group_id
    card.group = group
    card.save(update_fields=["group"])
    fragments = broadcasts.card_placed(
        board,
        card,
        event="card_grouped",
        columns=[card.column_id],
        reorders=totals_move(board, card, old_group_id, card.group_id),
    )
    return attach(card, fragments, board)


@transaction.atomic
def group_rename(
    *, board: Board, by: User, client_id: uuid.UUID, group_id: int, name: str
) -> Group:
    """Rename a group."""
    board = lock_board(board)
    _check_grouping(board, by)
    group = Group.objects.filter(board=board, pk=group_id).first()
    if group is None:
        raise ValidationError(_("That group is not on this board"))
    name = clean_text(name, kind="group", limit=GROUP_NAME_MAX)
    if first_time(board, client_id, "group_rename"):
        group.name = name
        group.save(update_fields=["name"])
        broadcasts.group_changed(board, group.column_id, event="group_renamed")
    return group


@transaction.atomic
def group_dissolve(*, board: Board, by: User, client_id: uuid.UUID, group_id: int) -> None:
    """Dissolve a group: its ideas stay in the column, its dots go back to their owners."""
    board = lock_board(board)
    _check_grouping(board, by)
    group = Group.objects.filter(board=board, pk=group_id).first()
    if group is None:
        raise ValidationError(_("That group is not on this board"))
    if not first_time(board, client_id, "group_dissolve"):
        return
    voters = list(Vote.objects.filter(group=group).values_list("voter_id", flat=True))
    column_id = group.column_id
    Card.objects.filter(group=group).update(group=None)
    group.delete()
    broadcasts.group_changed(board, column_id, event="group_dissolved", voters=voters)
