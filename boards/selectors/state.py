"""A whole board as one audience sees it: columns, groups, ideas and dots, and each person's
own ideas and dots, in a fixed number of queries whatever the board holds."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from django.utils.translation import gettext as _

from boards.models import Board, Card, Column, Group, Vote
from workshops.models import Activity, Session

Audience = Literal["room", "facilitators"]


def names_visible(board: Board, audience: Audience) -> bool:
    """May this audience see who wrote each idea? Decided here, never in a template."""
    if board.anonymity == Board.Anonymity.OFF:
        return True
    return board.anonymity == Board.Anonymity.FACILITATORS and audience == "facilitators"


@dataclass
class CardView:
    """A card as one audience may see it (no author unless the board allows it)."""

    uid: str
    text: str
    column_id: int
    group_id: int | None
    supported: bool
    version: int
    votes: int
    short: str
    author_name: str = ""
    html: str = ""
    before_session: bool = False


@dataclass
class GroupView:
    """A group of cards as one audience sees it."""

    pk: int
    name: str
    column_id: int
    own_votes: int
    cards: list[CardView] = field(default_factory=list)

    @property
    def votes(self) -> int:
        """Dots on the group and on its cards."""
        return self.own_votes + sum(c.votes for c in self.cards)


@dataclass
class ColumnView:
    """A column with its groups and its loose cards, in order."""

    pk: int
    title: str
    locked: bool
    position: int
    groups: list[GroupView] = field(default_factory=list)
    cards: list[CardView] = field(default_factory=list)

    @property
    def count(self) -> int:
        """Ideas in this column."""
        return len(self.cards) + sum(len(g.cards) for g in self.groups)


@dataclass
class MineView:
    """What one person sees of their own: their ideas and their dots."""

    cards: list[Card]
    votes_used: int
    budget: int
    votes_on: list[tuple[str, str, str, int]]  # (kind, key, label, dots)

    @property
    def votes_left(self) -> int:
        """Dots still to place."""
        return max(self.budget - self.votes_used, 0)


@dataclass
class BoardState:
    """Everything a board render needs for one audience."""

    board: Board
    audience: Audience
    columns: list[ColumnView]
    all_columns: list[Column]
    card_count: int
    names: bool
    cards: list[Card]
    votes: list[Vote]


def board_in_session(*, session: Session, board_id: int) -> Board | None:
    """A board of this session, with its session and programme, or None."""
    return (
        Board.objects.select_related("activity__session__programme")
        .filter(pk=board_id, activity__session=session)
        .first()
    )


def board_activity(*, session: Session, activity_id: int) -> Activity | None:
    """A board activity of this session, or None."""
    return Activity.objects.filter(
        pk=activity_id, session=session, kind=Activity.Kind.BOARD
    ).first()


def board_for_activity(*, activity_id: int) -> Board | None:
    """The board of an activity, with its session, or None if not set up yet."""
    return Board.objects.select_related("activity__session").filter(activity_id=activity_id).first()


def board_state(*, board: Board, audience: Audience) -> BoardState:
    """Load a board for one audience: columns, groups, cards and dots in four queries."""
    names = names_visible(board, audience)
    columns = list(Column.objects.filter(board=board).order_by("position", "pk"))
    groups = list(Group.objects.filter(board=board).order_by("position", "pk"))
    cards_qs = Card.objects.filter(board=board, deleted_at__isnull=True).order_by("position", "pk")
    if names:
        cards_qs = cards_qs.select_related("author", "on_behalf_of")
    cards = list(cards_qs)
    votes = list(Vote.objects.filter(board=board).only("voter_id", "card_id", "group_id"))
    shown = board.results_shown
    card_votes: Counter[int] = Counter(v.card_id for v in votes if v.card_id)
    group_votes: Counter[int] = Counter(v.group_id for v in votes if v.group_id)
    column_views = {
        c.pk: ColumnView(pk=c.pk, title=c.title, locked=c.locked, position=c.position)
        for c in columns
    }
    group_views: dict[int, GroupView] = {}
    for g in groups:
        view = GroupView(
            pk=g.pk,
            name=g.name,
            column_id=g.column_id,
            own_votes=group_votes[g.pk] if shown else 0,
        )
        group_views[g.pk] = view
        if g.column_id in column_views:
            column_views[g.column_id].groups.append(view)
    if not board.cards_hidden:
        for card in cards:
            votes_on_card = card_votes[card.pk] if shown else 0
            _place(card_view(card, votes=votes_on_card, names=names), column_views, group_views)
    if shown:
        _sort_by_votes(column_views.values())
    return BoardState(
        board=board,
        audience=audience,
        columns=list(column_views.values()),
        all_columns=columns,
        card_count=len(cards),
        names=names,
        cards=cards,
        votes=votes,
    )


def card_view(card: Card, *, votes: int, names: bool) -> CardView:
    """An idea as an audience sees it: its author's name only if that audience sees names."""
    author_name = ""
    if names:
        owner = card.on_behalf_of if card.on_behalf_of_id else card.author
        author_name = owner.display_name if owner else ""
    return CardView(
        uid=str(card.uid),
        text=card.text,
        column_id=card.column_id,
        group_id=card.group_id,
        supported=card.supported,
        version=card.version,
        votes=votes,
        short=card.short,
        author_name=author_name,
        before_session=card.before_session,
    )


def _place(view: CardView, columns: dict[int, ColumnView], groups: dict[int, GroupView]) -> None:
    """Put an idea in its group (if the group is in the same column) or loose in its column."""
    group = groups.get(view.group_id) if view.group_id else None
    if group is not None and group.column_id == view.column_id:
        group.cards.append(view)
    elif view.column_id in columns:
        columns[view.column_id].cards.append(view)


def _sort_by_votes(columns: Iterable[ColumnView]) -> None:
    """Most dots first: loose ideas, groups, and the ideas in each group."""
    for col in columns:
        col.cards.sort(key=lambda c: -c.votes)
        col.groups.sort(key=lambda g: -g.votes)
        for group_view in col.groups:
            group_view.cards.sort(key=lambda c: -c.votes)


def mine(*, state: BoardState, user_id: int) -> MineView:
    """One person's own ideas and dots, from an already loaded board state."""
    own = [c for c in state.cards if c.owner_id == user_id]
    by_pk = {c.pk: c for c in state.cards}
    columns = {c.pk: c.title for c in state.all_columns}
    for card in own:
        card.column_title = columns.get(card.column_id, "")  # type: ignore[attr-defined]
    mine_votes = [v for v in state.votes if v.voter_id == user_id]
    card_dots: Counter[int] = Counter(v.card_id for v in mine_votes if v.card_id)
    group_dots: Counter[int] = Counter(v.group_id for v in mine_votes if v.group_id)
    groups = {g.pk: g.name for col in state.columns for g in col.groups}
    votes_on: list[tuple[str, str, str, int]] = []
    for pk, n in card_dots.items():
        voted = by_pk.get(pk)
        if voted is not None:
            votes_on.append(("card", str(voted.uid), voted.text, n))
    for pk, n in group_dots.items():
        label = _("Group: %(name)s") % {"name": groups.get(pk, "")}
        votes_on.append(("group", str(pk), label, n))
    return MineView(
        cards=own,
        votes_used=len(mine_votes),
        budget=state.board.votes_per_person,
        votes_on=votes_on,
    )


def export_rows(*, board: Board, audience: Audience) -> tuple[list[dict[str, Any]], bool]:
    """The board as rows for CSV and print, and whether the author column may be shown."""
    state = board_state(board=board, audience=audience)
    with_authors = state.names
    card_votes: Counter[int] = Counter(v.card_id for v in state.votes if v.card_id)
    columns = {c.pk: c.title for c in state.all_columns}
    groups = {g.pk: g.name for col in state.columns for g in col.groups}
    rows = []
    for card in sorted(state.cards, key=lambda c: (columns_order(state, c.column_id), c.position)):
        row: dict[str, Any] = {
            "card": card.text,
            "column": columns.get(card.column_id, ""),
            "group": groups.get(card.group_id, "") if card.group_id else "",
            "votes": card_votes[card.pk],
            "supported": _("yes") if card.supported else _("no"),
        }
        if with_authors:
            owner = card.on_behalf_of if card.on_behalf_of_id else card.author
            row["author"] = owner.display_name if owner else ""
        rows.append(row)
    return rows, with_authors


def columns_order(state: BoardState, column_id: int) -> int:
    """A column's place on the board."""
    for i, c in enumerate(state.all_columns):
        if c.pk == column_id:
            return i
    return len(state.all_columns)
