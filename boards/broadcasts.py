"""What boards push to the room: every change to a board is announced here.

Services change the board, then call one of these. Each renders the changed fragments once per
audience (boards/render.py) and hands them to workshops.room.broadcast, which sends them when
the service's transaction commits. A board that is not on the room's screens pushes nothing,
though what a change rendered is still handed back for the sender's own answer.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from django.utils.translation import gettext as _

from boards import render, selectors
from boards.models import Board, Card, Column, Group
from boards.selectors import Audience
from workshops.models import Activity
from workshops.room import broadcast
from workshops.room import render as room_render

AUDIENCES: tuple[Audience, ...] = ("room", "facilitators")


@dataclass
class Fragments:
    """What a change rendered once per audience, for its push and for the sender's answer."""

    board: dict[Audience, str] = field(default_factory=dict)
    mine: dict[int, str] = field(default_factory=dict)
    seq: int | None = None


def in_room(board: Board) -> bool:
    """Is the board on the room's screens now (its activity the session's current one)?"""
    return board.activity.session.current_activity_id == board.activity_id


def _send(board: Board, *, event: str, html_for: dict[Audience, str], announce: str = "") -> None:
    """One message per audience: the room's (numbered, with what screen readers hear) and the
    facilitators'."""
    session_id = board.activity.session_id
    broadcast.broadcast_on_commit(
        session_id=session_id, event=event, html=html_for["room"], announce=announce
    )
    broadcast.broadcast_on_commit(
        session_id=session_id,
        event=event,
        audience="facilitators",
        html=html_for["facilitators"],
    )


def push_board(
    board: Board,
    *,
    event: str,
    announce: str = "",
    columns: list[int] | None = None,
    head_only: bool = False,
) -> None:
    """Push the board to the room and to its facilitators, one message per audience however
    many ideas it holds: the whole board; or only `columns` (destination first) and the board
    head; or, `head_only`, only the head (while ideas are hidden nothing else changes for
    others)."""
    if not in_room(board):
        return
    html_for: dict[Audience, str] = {}
    for audience in AUDIENCES:
        if head_only:
            html_for[audience] = render.render_head(board, audience=audience)
        elif columns is not None:
            html_for[audience] = render.render_columns(board, columns, audience=audience)
        else:
            html_for[audience] = render.render_board(board, audience=audience)
    _send(board, event=event, announce=announce, html_for=html_for)


def push_card(
    board: Board,
    card: Card,
    *,
    event: str,
    announce: str = "",
    added: bool = False,
    place: bool = False,
    extra: str = "",
) -> dict[Audience, str]:
    """Push one changed idea (and its column's head), rendered once per audience.

    Reads only that idea, its neighbour and a count, so it costs the same on any board.
    """
    change = selectors.card_change(board=board, card_pk=card.pk, neighbour=place)
    cards = render.render_card_change(board, change, added=added, place=place)
    head = render.render_column_head(board, change.column, change.column_count)
    html_for: dict[Audience, str] = {a: cards[a] + head + extra for a in AUDIENCES}
    if in_room(board):
        _send(board, event=event, announce=announce, html_for=html_for)
    return html_for


def push_mine(board: Board, *user_ids: int) -> dict[int, str]:
    """Push each named person's own panel (their ideas and dots) to that person only.

    Returns the panels rendered, so the sender's answer can reuse its own.
    """
    panels = {user_id: render.render_mine(board, user_id=user_id) for user_id in user_ids}
    if in_room(board):
        for user_id, html in panels.items():
            broadcast.broadcast_on_commit(
                session_id=board.activity.session_id,
                event="board_mine_changed",
                audience="person",
                user_id=user_id,
                html=html,
            )
    return panels


def board_set_up(activity: Activity) -> None:
    """A board was set up for an activity: the room's activity shows it, if it is current."""
    session = activity.session
    if session.current_activity_id == activity.pk:
        room_render.broadcast_activity(
            session, event="board_set_up", announce=_("The board is ready")
        )


def budget_changed(board: Board) -> None:
    """Everyone's "votes left" changed: one message makes each browser fetch its own panel."""
    if in_room(board):
        broadcast.broadcast_on_commit(
            session_id=board.activity.session_id,
            event="board_budget_changed",
            html=render.render_mine_loader(board),
        )


def ideas_revealed(board: Board, *, count: int) -> None:
    """Everyone's ideas show at once: one message per audience, however many there are."""
    push_board(
        board,
        event="board_revealed",
        announce=_("Everyone's ideas are showing now: %(count)d") % {"count": count},
    )


def flag_changed(board: Board, *, flag: Literal["locked", "results_shown"], value: bool) -> None:
    """The board was locked or unlocked, or its vote results shown or hidden."""
    announce = {
        ("locked", True): _("The facilitator locked the board"),
        ("locked", False): _("The board is open for changes again"),
        ("results_shown", True): _("The votes are showing: ideas are sorted by votes"),
        ("results_shown", False): _("The votes are hidden again"),
    }[(flag, value)]
    push_board(board, event="board_changed", announce=announce)


def card_added(board: Board, card: Card, column: Column) -> Fragments:
    """A new idea: while ideas are hidden only the count changes for the room (the board head,
    the same for every audience, rendered once); otherwise the idea joins its column."""
    head = render.render_board_head(board, selectors.card_count(board=board))
    if board.cards_hidden:
        html_for: dict[Audience, str] = {a: head for a in AUDIENCES}
        if in_room(board):
            _send(board, event="card_added", announce=_("Someone added an idea"), html_for=html_for)
    else:
        html_for = push_card(
            board,
            card,
            event="card_added",
            announce=_("New idea in %(column)s: %(idea)s")
            % {"column": column.title, "idea": card.text},
            added=True,
            extra=head,
        )
    return Fragments(html_for, push_mine(board, card.owner_id))


def card_edited(board: Board, card: Card) -> Fragments:
    """An idea's new text: to everyone once ideas show, and always to its owner's own panel."""
    html_for: dict[Audience, str] = {}
    if not board.cards_hidden:
        html_for = push_card(board, card, event="card_edited")
    return Fragments(html_for, push_mine(board, card.owner_id))


def card_came_or_went(board: Board, card: Card, *, event: str) -> None:
    """An idea was taken off the board or brought back: while ideas are hidden only the counts
    change for the room; otherwise its column does."""
    if board.cards_hidden:
        push_board(board, event=event, head_only=True)
    else:
        push_board(board, event=event, columns=[card.column_id])
    push_mine(board, card.owner_id)


def card_placed(
    board: Board,
    card: Card,
    *,
    event: str,
    columns: list[int],
    reorders: bool,
    left: Column | None = None,
) -> Fragments | None:
    """An idea moved, or went into or out of a group. If a group's shown vote total changed
    (`reorders`: the groups may reorder) its `columns` go whole, and the sender's answer
    renders them too (None); otherwise only the idea moves to its new place, and the head of
    the column it `left` (if it changed column) shows one idea fewer."""
    if reorders:
        push_board(board, event=event, columns=columns)
        return None
    extra = ""
    if left is not None:
        count = selectors.column_count(column_id=left.pk)
        extra = render.render_column_head(board, left, count)
    return Fragments(push_card(board, card, event=event, place=True, extra=extra))


def group_changed(board: Board, column_id: int, *, event: str, voters: Iterable[int] = ()) -> None:
    """A group was made, renamed or dissolved: its column goes whole, and the voters whose dots
    went back (a dissolved group's) get their own panels."""
    push_board(board, event=event, columns=[column_id])
    push_mine(board, *voters)


def votes_changed(
    board: Board, card: Card | None, group: Group | None, voter_id: int
) -> Fragments | None:
    """Results hidden: only the voter's panel changes. Shown: a loose idea moves to its new
    place by votes; a dot in a group changes the group's total and order, so its column goes
    (None: the sender's answer renders it too)."""
    if board.results_shown and (card is None or card.group_id is not None):
        column_id = card.column_id if card else group.column_id  # type: ignore[union-attr]
        push_board(board, event="votes_changed", columns=[column_id])
        push_mine(board, voter_id)
        return None
    fragments = Fragments()
    if board.results_shown and card is not None:
        fragments.board = push_card(board, card, event="votes_changed", place=True)
    fragments.mine = push_mine(board, voter_id)
    return fragments
