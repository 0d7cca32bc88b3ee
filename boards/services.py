"""Every write to boards, columns, groups, cards and dots.

Each service validates first, writes in one transaction, then announces the change through
boards/broadcasts.py (which renders the changed fragments once per audience and sends them
after commit). Every change carries a client-generated id: a repeated POST is applied once.
"""

import uuid
from datetime import timedelta
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from boards import broadcasts
from boards.models import (
    CARD_TEXT_MAX,
    GROUP_NAME_MAX,
    Board,
    Card,
    ChangeReceipt,
    Column,
    Group,
    Vote,
)
from boards.selectors import is_member
from participants.models import User
from workshops.access import Action, can_on_session
from workshops.models import Activity, Session

UNDO_WINDOW = timedelta(seconds=60)
TEMPLATES: dict[str, tuple[str, list[str]]] = {
    "matters": (
        "What matters to you, what gets in the way, and your ideas",
        ["What matters to you", "What gets in the way", "Ideas"],
    ),
    "ideas": ("Share your ideas", ["Ideas"]),
}
Direction = Literal["left", "right", "up", "down"]


class CardConflict(Exception):
    """Someone else changed the card since this editor loaded it."""

    def __init__(self, card: Card) -> None:
        super().__init__("The card changed")
        self.card = card


# ---------------------------------------------------------------------------------------------
# helpers


def _steers(by: User, board: Board) -> bool:
    return can_on_session(by, Action.STEER, board.activity.session)


def _first_time(board: Board, client_id: uuid.UUID, action: str) -> bool:
    """Record a change's id; False if it was applied before (a repeated POST)."""
    try:
        with transaction.atomic():
            ChangeReceipt.objects.create(client_id=client_id, board=board, action=action)
    except IntegrityError:
        return False
    return True


def _clean_text(text: str, *, what: str = "Your idea", limit: int = CARD_TEXT_MAX) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError(f"{what} is empty: write something first")
    if len(text) > limit:
        raise ValidationError(
            f"{what} is {len(text)} characters long: keep it to {limit} characters or fewer"
        )
    return text


def _check_unlocked(board: Board, steers: bool, *columns: Column) -> None:
    if steers:
        return
    if board.locked:
        raise ValidationError("The facilitator has locked this board: it cannot change now")
    for column in columns:
        if column.locked:
            raise ValidationError(f"The facilitator has locked the column “{column.title}”")


def _column(board: Board, column_id: int | None) -> Column:
    column = Column.objects.filter(board=board, pk=column_id).first() if column_id else None
    if column is None:
        raise ValidationError("Choose a column on this board")
    return column


def _card(board: Board, card_uid: uuid.UUID | str, *, include_deleted: bool = False) -> Card:
    qs = Card.objects.filter(board=board, uid=card_uid)
    if not include_deleted:
        qs = qs.filter(deleted_at__isnull=True)
    card = qs.first()
    if card is None:
        raise ValidationError("That idea is not on this board")
    return card


def _in_group(group_id: int | None) -> Q:
    return Q(group_id=group_id) if group_id is not None else Q(group__isnull=True)


def _attach(obj: Any, fragments: broadcasts.Fragments | None, board: Board) -> Any:
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


def _totals_move(board: Board, card: Card, *group_ids: int | None) -> bool:
    """Would a group's shown vote total change (so the groups may reorder)?"""
    if not board.results_shown or not any(group_ids):
        return False
    return Vote.objects.filter(card=card).exists()


def _lock_board(board: Board) -> Board:
    # Board changes of one board are serialised on its row (PostgreSQL), so positions and
    # settings are read and written without another change slipping in between.
    return Board.objects.select_for_update().select_related("activity__session").get(pk=board.pk)


# ---------------------------------------------------------------------------------------------
# boards


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
        raise ValidationError("Only an idea board activity can have a board")
    if by is not None and not can_on_session(by, Action.STEER, activity.session):
        raise PermissionDenied("Only facilitators set up boards")
    if template not in TEMPLATES:
        raise ValidationError("Choose a template for the board")
    if Board.objects.filter(activity=activity).exists():
        raise ValidationError("This activity already has a board")
    default_prompt, titles = TEMPLATES[template]
    board = Board(
        activity=activity,
        prompt=(prompt or "").strip() or default_prompt,
        anonymity=anonymity,
        hidden_until_reveal=hidden_until_reveal,
        votes_per_person=votes_per_person,
        anyone_can_group=anyone_can_group,
    )
    board.full_clean(exclude=["activity"])
    board.save()
    Column.objects.bulk_create(
        [Column(board=board, title=t, position=i) for i, t in enumerate(titles)]
    )
    broadcasts.board_set_up(activity)
    return board


def board_ensure(*, activity: Activity) -> Board:
    """The activity's board, set up with the default template if it has none (demo loading)."""
    existing = Board.objects.filter(activity=activity).first()
    return existing or board_create(activity=activity, by=None)


def boards_ensure_for_session(*, session_id: int) -> None:
    """Give every board activity of a session a default board (used by the demo)."""
    for activity in Activity.objects.filter(session_id=session_id, kind=Activity.Kind.BOARD):
        board_ensure(activity=activity)


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
    board = _lock_board(board)
    if not _steers(by, board):
        raise PermissionDenied("Only facilitators change a board's settings")
    if not _first_time(board, client_id, "settings"):
        return board
    budget_before = board.votes_per_person
    board.prompt = _clean_text(prompt, what="The prompt", limit=300)
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
    board = _lock_board(board)
    if not _steers(by, board):
        raise PermissionDenied("Only facilitators reveal ideas")
    if not _first_time(board, client_id, "reveal"):
        return board
    if not board.cards_hidden:
        raise ValidationError("The ideas are already showing")
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
    board = _lock_board(board)
    if not _steers(by, board):
        raise PermissionDenied("Only facilitators lock boards or show results")
    if not _first_time(board, client_id, flag):
        return board
    setattr(board, flag, value)
    board.save(update_fields=[flag])
    broadcasts.flag_changed(board, flag=flag, value=value)
    return board


@transaction.atomic
def column_add(*, board: Board, by: User, client_id: uuid.UUID, title: str) -> Column:
    """Add a column at the right of the board (facilitators)."""
    board = _lock_board(board)
    if not _steers(by, board):
        raise PermissionDenied("Only facilitators add columns")
    title = _clean_text(title, what="The column title", limit=80)
    if not _first_time(board, client_id, "column_add"):
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
    board = _lock_board(board)
    if not _steers(by, board):
        raise PermissionDenied("Only facilitators lock columns")
    column = _column(board, column_id)
    if _first_time(board, client_id, "column_lock"):
        column.locked = locked
        column.save(update_fields=["locked"])
        broadcasts.push_board(board, event="board_changed")
    return column


# ---------------------------------------------------------------------------------------------
# cards


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
            raise ValidationError("That idea is not on this board")
        return existing
    board = _lock_board(board)
    steers = _steers(by, board)
    column = _column(board, column_id)
    _check_unlocked(board, steers, column)
    text = _clean_text(text)
    if on_behalf_of_id is not None and on_behalf_of_id != by.pk:
        if not steers:
            raise PermissionDenied("Only facilitators add ideas for someone else")
        if not is_member(user_id=on_behalf_of_id, programme_id=board.activity.session.programme_id):
            raise ValidationError("That person is not in this programme")
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
    return _attach(card, broadcasts.card_added(board, card, column), board)


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
        raise ValidationError("This session has started: add your idea in the room")
    board = (
        Board.objects.select_related("activity__session")
        .filter(pk=board_id or 0, activity__session=session)
        .first()
    )
    if board is None:
        raise ValidationError("Choose a board of this session")
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
        raise PermissionDenied("You can change only your own ideas")


def _may_move(by: User, board: Board, card: Card, steers: bool) -> None:
    # An idea is its owner's: only a board set up for anyone to organise lets others move it.
    if steers or board.anyone_can_group or by.pk in (card.owner_id, card.author_id):
        return
    raise PermissionDenied(
        "You can move only your own ideas. Ask the facilitator if this one belongs elsewhere."
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
    board = _lock_board(board)
    steers = _steers(by, board)
    card = _card(board, card_uid)
    _may_edit(by, card, steers)
    _check_unlocked(board, steers, card.column)
    text = _clean_text(text)
    if not _first_time(board, client_id, "card_edit"):
        return card
    updated = Card.objects.filter(pk=card.pk, version=version).update(
        text=text, version=version + 1
    )
    if not updated:
        card.refresh_from_db()
        raise CardConflict(card)
    card.refresh_from_db()
    return _attach(card, broadcasts.card_edited(board, card), board)


@transaction.atomic
def card_delete(*, board: Board, by: User, client_id: uuid.UUID, card_uid: uuid.UUID | str) -> Card:
    """Take an idea off the board; it can be brought back for a minute (undo)."""
    board = _lock_board(board)
    steers = _steers(by, board)
    card = _card(board, card_uid, include_deleted=True)
    _may_edit(by, card, steers)
    _check_unlocked(board, steers, card.column)
    if not _first_time(board, client_id, "card_delete") or card.deleted_at is not None:
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
    board = _lock_board(board)
    steers = _steers(by, board)
    card = _card(board, card_uid, include_deleted=True)
    _may_edit(by, card, steers)
    if not _first_time(board, client_id, "card_restore") or card.deleted_at is None:
        return card
    if timezone.now() - card.deleted_at > UNDO_WINDOW:
        raise ValidationError("It is too late to undo: add the idea again")
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
    board = _lock_board(board)
    steers = _steers(by, board)
    card = _card(board, card_uid)
    _may_move(by, board, card, steers)
    if board.cards_hidden:
        raise ValidationError("Ideas can be moved once they are revealed")
    columns = list(Column.objects.filter(board=board).order_by("position", "pk"))
    source = next(c for c in columns if c.pk == card.column_id)
    target: Column | None
    if direction is not None:
        i = columns.index(source)
        if direction in ("left", "right"):
            j = i - 1 if direction == "left" else i + 1
            if not 0 <= j < len(columns):
                raise ValidationError(f"This idea is already in the {direction}-most column")
            target, index = columns[j], None
        else:
            target = source
            siblings = list(
                Card.objects.filter(
                    _in_group(card.group_id), column=source, deleted_at__isnull=True
                )
                .order_by("position", "pk")
                .values_list("pk", flat=True)
            )
            k = siblings.index(card.pk)
            k2 = k - 1 if direction == "up" else k + 1
            if not 0 <= k2 < len(siblings):
                where = "top" if direction == "up" else "bottom"
                raise ValidationError(f"This idea is already at the {where}")
            index = k2
    else:
        target = next((c for c in columns if c.pk == column_id), None)
        if target is None:
            raise ValidationError("Choose a column on this board")
    _check_unlocked(board, steers, source, target)
    if not _first_time(board, client_id, "card_move"):
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
        reorders=_totals_move(board, card, old_group_id),
        left=source if moved_column else None,
    )
    return _attach(card, fragments, board)


def _make_room(card: Card, column: Column, index: int | None) -> int:
    """The position that puts the idea at `index` of its list (None: at the end).

    Shifts the ideas from that place down in one UPDATE rather than renumbering the list, so a
    move costs the same in a column of any length.
    """
    others = Card.objects.filter(
        _in_group(card.group_id), column=column, deleted_at__isnull=True
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


# ---------------------------------------------------------------------------------------------
# groups


def _check_grouping(board: Board, by: User) -> bool:
    steers = _steers(by, board)
    if not steers and not board.anyone_can_group:
        raise PermissionDenied("Only facilitators group ideas on this board")
    if board.cards_hidden:
        raise ValidationError("Ideas can be grouped once they are revealed")
    _check_unlocked(board, steers)
    return steers


@transaction.atomic
def group_create(
    *, board: Board, by: User, client_id: uuid.UUID, card_uid: uuid.UUID | str, name: str
) -> Group:
    """Start a named group with one idea in it."""
    board = _lock_board(board)
    steers = _check_grouping(board, by)
    card = _card(board, card_uid)
    _check_unlocked(board, steers, card.column)
    name = _clean_text(name, what="The group name", limit=GROUP_NAME_MAX)
    if not _first_time(board, client_id, "group_create"):
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
    board = _lock_board(board)
    steers = _check_grouping(board, by)
    card = _card(board, card_uid)
    _check_unlocked(board, steers, card.column)
    group = None
    if group_id is not None:
        group = Group.objects.filter(board=board, pk=group_id).first()
        if group is None or group.column_id != card.column_id:
            raise ValidationError("Choose a group in the same column")
    if not _first_time(board, client_id, "card_group"):
        return card
    old_group_id = card.group_id
    card.group = group
    card.save(update_fields=["group"])
    fragments = broadcasts.card_placed(
        board,
        card,
        event="card_grouped",
        columns=[card.column_id],
        reorders=_totals_move(board, card, old_group_id, card.group_id),
    )
    return _attach(card, fragments, board)


@transaction.atomic
def group_rename(
    *, board: Board, by: User, client_id: uuid.UUID, group_id: int, name: str
) -> Group:
    """Rename a group."""
    board = _lock_board(board)
    _check_grouping(board, by)
    group = Group.objects.filter(board=board, pk=group_id).first()
    if group is None:
        raise ValidationError("That group is not on this board")
    name = _clean_text(name, what="The group name", limit=GROUP_NAME_MAX)
    if _first_time(board, client_id, "group_rename"):
        group.name = name
        group.save(update_fields=["name"])
        broadcasts.group_changed(board, group.column_id, event="group_renamed")
    return group


@transaction.atomic
def group_dissolve(*, board: Board, by: User, client_id: uuid.UUID, group_id: int) -> None:
    """Dissolve a group: its ideas stay in the column, its dots go back to their owners."""
    board = _lock_board(board)
    _check_grouping(board, by)
    group = Group.objects.filter(board=board, pk=group_id).first()
    if group is None:
        raise ValidationError("That group is not on this board")
    if not _first_time(board, client_id, "group_dissolve"):
        return
    voters = list(Vote.objects.filter(group=group).values_list("voter_id", flat=True))
    column_id = group.column_id
    Card.objects.filter(group=group).update(group=None)
    group.delete()
    broadcasts.group_changed(board, column_id, event="group_dissolved", voters=voters)


# ---------------------------------------------------------------------------------------------
# dot voting


def _vote_target(
    board: Board, card_uid: uuid.UUID | str | None, group_id: int | None
) -> tuple[Card | None, Group | None]:
    if card_uid:
        return _card(board, card_uid), None
    group = Group.objects.filter(board=board, pk=group_id).first() if group_id else None
    if group is None:
        raise ValidationError("Choose an idea or a group to vote for")
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
        raise ValidationError("This board has no voting")
    if board.cards_hidden:
        raise ValidationError("Voting opens once the ideas are revealed")
    card, group = _vote_target(board, card_uid, group_id)
    User.objects.select_for_update().filter(pk=by.pk).first()
    used = Vote.objects.filter(board=board, voter=by).count()
    if used >= board.votes_per_person:
        raise ValidationError(
            f"You have used all {board.votes_per_person} of your votes. "
            "Take one back to vote for something else."
        )
    try:
        with transaction.atomic():
            vote = Vote.objects.create(
                board=board, voter=by, card=card, group=group, client_id=client_id
            )
    except IntegrityError:
        return Vote.objects.get(client_id=client_id)
    return _attach(vote, broadcasts.votes_changed(board, card, group, by.pk), board)


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
    if not _first_time(board, client_id, "vote_remove"):
        return None
    vote = (
        Vote.objects.filter(board=board, voter=by, card=card, group=group).order_by("-pk").first()
    )
    if vote is None:
        raise ValidationError("You have no vote on that to take back")
    vote.delete()
    return _attach(vote, broadcasts.votes_changed(board, card, group, by.pk), board)
