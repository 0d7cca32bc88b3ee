"""Dot voting: each person's dots on ideas and groups, within the board's budget."""

import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from boards import broadcasts
from boards.models import Board, Card, Group, Vote
from boards.services.common import attach, card_of, first_time
from participants.models import User


def _vote_target(
    board: Board, card_uid: uuid.UUID | str | None, group_id: int | None
) -> tuple[Card | None, Group | None]:
    if card_uid:
        return card_of(board, card_uid), None
    group = Group.objects.filter(board=board, pk=group_id).first() if group_id else None
    if group is None:
        raise ValidationError(_("Choose an idea or a group to vote for"))
    return None, group


@transaction.atomic
def vote_add(
    *,
    board: Board,
    by: User,
    client_id: uuid.UUID,
    card_uid: uuid.UUID | str | None = None,
    group_id: int | None = None,
) -> Vote:
    """Put one of your dots on an idea or a group, if you have one left.

    Locks the voter's row (PostgreSQL) so two simultaneous votes cannot both pass the budget
    check: the second waits, then counts the first.
    """
    existing = Vote.objects.filter(client_id=client_id).first()
    if existing is not None:
        return existing
    board = Board.objects.select_related("activity__session").get(pk=board.pk)
    if board.votes_per_person == 0:
        raise ValidationError(_("This board has no voting"))
    if board.cards_hidden:
        raise ValidationError(_("Voting opens once the ideas are revealed"))
    card, group = _vote_target(board, card_uid, group_id)
    User.objects.select_for_update().filter(pk=by.pk).first()
    used = Vote.objects.filter(board=board, voter=by).count()
    if used >= board.votes_per_person:
        budget = board.votes_per_person
        raise ValidationError(
            ngettext(
                "You have used all %(count)d of your votes. "
                "Take one back to vote for something else.",
                "You have used all %(count)d of your votes. "
                "Take one back to vote for something else.",
                budget,
            )
            % {"count": budget}
        )
    try:
        with transaction.atomic():
            vote = Vote.objects.create(
                board=board, voter=by, card=card, group=group, client_id=client_id
            )
    except IntegrityError:
        return Vote.objects.get(client_id=client_id)
    return attach(vote, broadcasts.votes_changed(board, card, group, by.pk), board)


@transaction.atomic
def vote_remove(
    *,
    board: Board,
    by: User,
    client_id: uuid.UUID,
    card_uid: uuid.UUID | str | None = None,
    group_id: int | None = None,
) -> Vote | None:
    """Take back one of your dots from an idea or a group."""
    board = Board.objects.select_related("activity__session").get(pk=board.pk)
    card, group = _vote_target(board, card_uid, group_id)
    User.objects.select_for_update().filter(pk=by.pk).first()
    if not first_time(board, client_id, "vote_remove"):
        return None
    vote = (
        Vote.objects.filter(board=board, voter=by, card=card, group=group).order_by("-pk").first()
    )
    if vote is None:
        raise ValidationError(_("You have no vote on that to take back"))
    vote.delete()
    return attach(vote, broadcasts.votes_changed(board, card, group, by.pk), board)
