"""Setting up and steering a board: templates, settings, reveal, lock, results, columns."""

import uuid
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boards import broadcasts
from boards.models import Board, Card, Column
from boards.services.common import clean_text, column_of, first_time, lock_board, may_steer
from participants.models import User
from workshops.access import Action, can_on_session
from workshops.models import Activity

# How a board starts: its prompt and its columns, in the language of whoever sets it up.
TEMPLATES: dict[str, tuple[str | Promise, list[str | Promise]]] = {
    "matters": (
        gettext_lazy("What matters to you, what gets in the way, and your ideas"),
        [
            gettext_lazy("What matters to you"),
            gettext_lazy("What gets in the way"),
            gettext_lazy("Ideas"),
        ],
    ),
    "ideas": (gettext_lazy("Share your ideas"), [gettext_lazy("Ideas")]),
}


@transaction.atomic
def board_create(
    *,
    activity: Activity,
    by: User | None,
    template: str = "matters",
    prompt: str = "",
    anonymity: str = Board.Anonymity.OFF,
    hidden_until_reveal: bool = False,
    votes_per_person: int = 3,
    anyone_can_group: bool = False,
) -> Board:
    """Set up the board of a board activity, from a template ("matters" or "ideas")."""
    if activity.kind != Activity.Kind.BOARD:
        raise ValidationError(_("Only an idea board activity can have a board"))
    if by is not None and not can_on_session(by, Action.STEER, activity.session):
        raise PermissionDenied(_("Only facilitators set up boards"))
    if template not in TEMPLATES:
        raise ValidationError(_("Choose a template for the board"))
    if Board.objects.filter(activity=activity).exists():
        raise ValidationError(_("This activity already has a board"))
    default_prompt, titles = TEMPLATES[template]
    board = Board(
        activity=activity,
        prompt=(prompt or "").strip() or str(default_prompt),
        anonymity=anonymity,
        hidden_until_reveal=hidden_until_reveal,
        votes_per_person=votes_per_person,
        anyone_can_group=anyone_can_group,
    )
    board.full_clean(exclude=["activity"])
    board.save()
    Column.objects.bulk_create(
        [Column(board=board, title=str(t), position=i) for i, t in enumerate(titles)]
    )
    broadcasts.board_set_up(activity)
    return board


@transaction.atomic
def board_update_settings(
    *,
    board: Board,
    by: User,
    client_id: uuid.UUID,
    prompt: str,
    anonymity: str,
    hidden_until_reveal: bool,
    votes_per_person: int,
    anyone_can_group: bool,
) -> Board:
    """Change a board's prompt and settings (facilitators)."""
    board = lock_board(board)
    if not may_steer(by, board):
        raise PermissionDenied(_("Only facilitators change a board's settings"))
    if not first_time(board, client_id, "settings"):
        return board
    budget_before = board.votes_per_person
    board.prompt = clean_text(prompt, kind="prompt", limit=300)
    board.anonymity = anonymity
    if hidden_until_reveal and not board.hidden_until_reveal:
        board.revealed = False
    board.hidden_until_reveal = hidden_until_reveal
    board.votes_per_person = votes_per_person
    board.anyone_can_group = anyone_can_group
    board.full_clean(exclude=["activity"])
    board.save()
    broadcasts.push_board(board, event="board_changed")
    if budget_before != votes_per_person:
        broadcasts.budget_changed(board)
    return board


@transaction.atomic
def board_reveal(*, board: Board, by: User, client_id: uuid.UUID) -> Board:
    """Show everyone's ideas at once: one message per audience, however many cards."""
    board = lock_board(board)
    if not may_steer(by, board):
        raise PermissionDenied(_("Only facilitators reveal ideas"))
    if not first_time(board, client_id, "reveal"):
        return board
    if not board.cards_hidden:
        raise ValidationError(_("The ideas are already showing"))
    board.revealed = True
    board.save(update_fields=["revealed"])
    n = Card.objects.filter(board=board, deleted_at__isnull=True).count()
    broadcasts.ideas_revealed(board, count=n)
    return board


@transaction.atomic
def board_set_flag(
    *,
    board: Board,
    by: User,
    client_id: uuid.UUID,
    flag: Literal["locked", "results_shown"],
    value: bool,
) -> Board:
    """Lock or unlock the board, or show or hide the vote results (facilitators)."""
    board = lock_board(board)
    if not may_steer(by, board):
        raise PermissionDenied(_("Only facilitators lock boards or show results"))
    if not first_time(board, client_id, flag):
        return board
    setattr(board, flag, value)
    board.save(update_fields=[flag])
    broadcasts.flag_changed(board, flag=flag, value=value)
    return board


@transaction.atomic
def column_add(*, board: Board, by: User, client_id: uuid.UUID, title: str) -> Column:
    """Add a column at the right of the board (facilitators)."""
    board = lock_board(board)
    if not may_steer(by, board):
        raise PermissionDenied(_("Only facilitators add columns"))
    title = clean_text(title, kind="column", limit=80)
    if not first_time(board, client_id, "column_add"):
        return Column.objects.filter(board=board).order_by("-pk").first() or Column()
    last = Column.objects.filter(board=board).aggregate(m=Max("position"))["m"]
    column = Column.objects.create(board=board, title=title, position=(last or 0) + 1)
    broadcasts.push_board(board, event="board_changed")
    return column


@transaction.atomic
def column_set_locked(
    *, board: Board, by: User, client_id: uuid.UUID, column_id: int, locked: bool
) -> Column:
    """Lock or unlock one column (facilitators)."""
    board = lock_board(board)
    if not may_steer(by, board):
        raise PermissionDenied(_("Only facilitators lock columns"))
    column = column_of(board, column_id)
    if first_time(board, client_id, "column_lock"):
        column.locked = locked
        column.save(update_fields=["locked"])
        broadcasts.push_board(board, event="board_changed")
    return column
