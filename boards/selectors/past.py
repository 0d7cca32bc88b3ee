"""Boards between sessions: ended sessions' boards to read, the "Last time" recap, and the
ideas members add to a scheduled session's boards before it starts."""

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q

from boards.models import Board, Card, Column, Group
from boards.selectors.people import owned_by
from workshops.models import Activity, Programme, Session

LAST_TIME_IDEAS = 5


@dataclass
class PastCard:
    """An idea on an ended session's board: no author, its dots and what it led to."""

    text: str
    dots: int
    before_session: bool
    actions: list[tuple[str, str]] = field(default_factory=list)  # (title, status label)

    @property
    def chosen(self) -> bool:
        """The group chose to act on it (it is linked to a You said, we did action)."""
        return bool(self.actions)


@dataclass
class PastGroup:
    """A group of ideas on a past board."""

    name: str
    own_dots: int
    cards: list[PastCard] = field(default_factory=list)

    @property
    def dots(self) -> int:
        """Dots on the group and on its ideas."""
        return self.own_dots + sum(c.dots for c in self.cards)


@dataclass
class PastColumn:
    """A column of a past board: its groups, then its loose ideas."""

    title: str
    groups: list[PastGroup] = field(default_factory=list)
    cards: list[PastCard] = field(default_factory=list)


@dataclass
class PastBoard:
    """An ended session's board, to read."""

    board: Board
    columns: list[PastColumn]
    hidden: bool


@dataclass
class LastTime:
    """The previous session's chosen ideas, for the recap at the start of the next one."""

    session: Session
    ideas: list[PastCard]


def _past_card(card: Card) -> PastCard:
    return PastCard(
        text=card.text,
        dots=card.dots,  # type: ignore[attr-defined]
        before_session=card.before_session,
        actions=[(a.title, a.get_status_display()) for a in card.actions.all()],
    )


def _past_cards(**filters: Any) -> list[Card]:
    return list(
        Card.objects.filter(deleted_at__isnull=True, **filters)
        .annotate(dots=Count("votes"))
        .prefetch_related("actions")
        .order_by("position", "pk")
    )


def past_sessions(*, programme: Programme) -> list[Session]:
    """A programme's ended sessions, latest first, each with `board_activities` (set-up boards)."""
    boards = Activity.objects.filter(kind=Activity.Kind.BOARD, board__isnull=False).select_related(
        "board"
    )
    return list(
        Session.objects.filter(programme=programme, status=Session.Status.ENDED)
        .order_by("-number")
        .prefetch_related(Prefetch("activities", queryset=boards, to_attr="board_activities"))
    )


def past_board(*, board: Board) -> PastBoard:
    """An ended session's board by column and group, with dots and chosen ideas, no names.

    Ideas never revealed to the group (silent ideation not revealed) stay unshown.
    """
    columns = {c.pk: PastColumn(title=c.title) for c in board.columns.order_by("position", "pk")}
    if board.cards_hidden:
        return PastBoard(board=board, columns=list(columns.values()), hidden=True)
    groups: dict[int, tuple[int, PastGroup]] = {}
    for g in Group.objects.filter(board=board).annotate(dots=Count("votes")):
        group = PastGroup(name=g.name, own_dots=g.dots)
        groups[g.pk] = (g.column_id, group)
        if g.column_id in columns:
            columns[g.column_id].groups.append(group)
    for card in _past_cards(board=board):
        view = _past_card(card)
        column_and_group = groups.get(card.group_id or 0)
        if column_and_group is not None and column_and_group[0] == card.column_id:
            column_and_group[1].cards.append(view)
        elif card.column_id in columns:
            columns[card.column_id].cards.append(view)
    return PastBoard(board=board, columns=list(columns.values()), hidden=False)


def last_time(*, session: Session) -> LastTime | None:
    """The programme's previous ended session and its chosen ideas (acted on, or most dots)."""
    previous = (
        Session.objects.filter(
            programme_id=session.programme_id,
            status=Session.Status.ENDED,
            number__lt=session.number,
        )
        .order_by("-number")
        .first()
    )
    if previous is None:
        return None
    shown = Q(board__hidden_until_reveal=False) | Q(board__revealed=True)
    cards = [
        _past_card(c)
        for c in Card.objects.filter(
            shown, board__activity__session=previous, deleted_at__isnull=True
        )
        .annotate(dots=Count("votes"))
        .prefetch_related("actions")
    ]
    chosen = [c for c in cards if c.chosen or c.dots > 0]
    chosen.sort(key=lambda c: (not c.chosen, -c.dots))
    return LastTime(session=previous, ideas=chosen[:LAST_TIME_IDEAS])


@dataclass
class IdeaBoard:
    """A scheduled session's board that members may add ideas to before it starts."""

    board: Board
    columns: list[Column]
    ideas: list[Card]
    client_id: uuid.UUID = field(default_factory=uuid.uuid4)


def boards_before_session(*, session: Session, user_id: int, steers: bool) -> list[IdeaBoard]:
    """The session's boards with the ideas added before it: one's own, or all for staff."""
    boards = list(
        Board.objects.filter(activity__session=session)
        .select_related("activity")
        .order_by("activity__order", "activity__pk")
    )
    columns = Column.objects.filter(board__in=boards).order_by("position", "pk")
    ideas = Card.objects.filter(board__in=boards, before_session=True, deleted_at__isnull=True)
    if not steers:
        ideas = ideas.filter(owned_by(user_id))
    ideas = ideas.order_by("created_at", "pk")
    return [
        IdeaBoard(
            board=b,
            columns=[c for c in columns if c.board_id == b.pk],
            ideas=[i for i in ideas if i.board_id == b.pk],
        )
        for b in boards
    ]
