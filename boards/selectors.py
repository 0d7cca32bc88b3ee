"""Reads for boards: one board's state for an audience in a fixed number of queries."""

import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

from django.db.models import Count, Prefetch, Q

from boards.models import Board, Card, Column, Group, Vote
from participants.models import STEERING_ROLES, Membership
from workshops.models import Activity, Attendance, Programme, Session

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
            author_name = ""
            if names:
                owner = card.on_behalf_of if card.on_behalf_of_id else card.author
                author_name = owner.display_name if owner else ""
            view_card = CardView(
                uid=str(card.uid),
                text=card.text,
                column_id=card.column_id,
                group_id=card.group_id,
                supported=card.supported,
                version=card.version,
                votes=card_votes[card.pk] if shown else 0,
                short=card.short,
                author_name=author_name,
                before_session=card.before_session,
            )
            group = group_views.get(card.group_id) if card.group_id else None
            if group is not None and group.column_id == card.column_id:
                group.cards.append(view_card)
            elif card.column_id in column_views:
                column_views[card.column_id].cards.append(view_card)
    if shown:
        for col in column_views.values():
            col.cards.sort(key=lambda c: -c.votes)
            col.groups.sort(key=lambda g: -g.votes)
            for group_view in col.groups:
                group_view.cards.sort(key=lambda c: -c.votes)
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
        votes_on.append(("group", str(pk), f"Group: {groups.get(pk, '')}", n))
    return MineView(
        cards=own,
        votes_used=len(mine_votes),
        budget=state.board.votes_per_person,
        votes_on=votes_on,
    )


def supportable_people(*, session: Session) -> list[tuple[int, str]]:
    """People admitted to a session that a facilitator may type an idea for (one query)."""
    rows = (
        Attendance.objects.filter(session=session, admission=Attendance.Admission.ADMITTED)
        .exclude(
            user__memberships__programme_id=session.programme_id,
            user__memberships__role__in=STEERING_ROLES,
        )
        .order_by("user__display_name")
        .values_list("user_id", "user__display_name")
    )
    return [(pk, name) for pk, name in rows]


def contributions_by_person(*, session: Session) -> dict[int, dict[str, int]]:
    """Cards and dots per person in a session: {user_id: {"cards": n, "votes": n}}.

    A supported card counts for the person it was typed for; cards on boards where nobody
    sees names are not counted.
    """
    result: dict[int, dict[str, int]] = {}
    # Ideas on boards where nobody sees names count in nobody's figures: a per-person count
    # that ticks up as a card appears would tell the facilitator who wrote it.
    card_rows = (
        Card.objects.filter(board__activity__session=session, deleted_at__isnull=True)
        .exclude(board__anonymity=Board.Anonymity.NOBODY)
        .values("author_id", "on_behalf_of_id")
        .annotate(n=Count("pk"))
    )
    for row in card_rows:
        owner = row["on_behalf_of_id"] or row["author_id"]
        result.setdefault(owner, {"cards": 0, "votes": 0})["cards"] += row["n"]
    vote_rows = (
        Vote.objects.filter(board__activity__session=session)
        .values("voter_id")
        .annotate(n=Count("pk"))
    )
    for vote_row in vote_rows:
        result.setdefault(vote_row["voter_id"], {"cards": 0, "votes": 0})["votes"] += vote_row["n"]
    return result


def owned_by(user_id: int) -> Q:
    """Cards that are this person's idea."""
    return Q(on_behalf_of_id=user_id) | Q(on_behalf_of__isnull=True, author_id=user_id)


def is_member(*, user_id: int, programme_id: int) -> bool:
    """Is this person an active member of the programme?"""
    return Membership.objects.filter(
        user_id=user_id, programme_id=programme_id, left_on__isnull=True
    ).exists()


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
            "supported": "yes" if card.supported else "no",
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


# ---------------------------------------------------------------------------------------------
# one change: the few rows it touched, whatever the board holds


@dataclass
class CardChange:
    """One changed idea as each audience sees it, where it now sits, and its column's count."""

    card: Card
    views: dict[Audience, CardView]
    column: Column
    column_count: int
    list_id: str
    after_id: str


def _display_before(card: Card, votes: int, shown: bool) -> Q:
    """Cards shown above this one in its list (by votes when the results show, then place)."""
    earlier = Q(position__lt=card.position) | Q(position=card.position, pk__lt=card.pk)
    if not shown:
        return earlier
    return Q(n__gt=votes) | (Q(n=votes) & earlier)


def _in_list(group_id: int | None) -> Q:
    return Q(group_id=group_id) if group_id is not None else Q(group__isnull=True)


def card_change(*, board: Board, card_pk: int, neighbour: bool = True) -> CardChange:
    """Load one idea for both audiences, its column's count and (if asked) the idea now
    shown above it (3 queries)."""
    shown = board.results_shown
    cards = Card.objects.select_related("author", "on_behalf_of", "column")
    if shown:
        cards = cards.annotate(n=Count("votes"))
    card = cards.get(pk=card_pk)
    votes = card.n if shown else 0  # type: ignore[attr-defined]
    owner = card.on_behalf_of if card.on_behalf_of_id else card.author
    views: dict[Audience, CardView] = {}
    for audience in ("room", "facilitators"):
        views[audience] = CardView(
            uid=str(card.uid),
            text=card.text,
            column_id=card.column_id,
            group_id=card.group_id,
            supported=card.supported,
            version=card.version,
            votes=votes,
            short=card.short,
            author_name=owner.display_name if owner and names_visible(board, audience) else "",
            before_session=card.before_session,
        )
    siblings = Card.objects.filter(
        _in_list(card.group_id), column_id=card.column_id, deleted_at__isnull=True
    ).exclude(pk=card.pk)
    if shown:
        siblings = siblings.annotate(n=Count("votes"))
        order = ["-n", "-position", "-pk"]
    else:
        order = ["-position", "-pk"]
    above = None
    if neighbour:
        above = (
            siblings.filter(_display_before(card, votes, shown))
            .order_by(*order)
            .values_list("uid", flat=True)
            .first()
        )
    count = Card.objects.filter(column_id=card.column_id, deleted_at__isnull=True).count()
    list_id = f"group-{card.group_id}-cards" if card.group_id else f"column-{card.column_id}-cards"
    return CardChange(
        card=card,
        views=views,
        column=card.column,
        column_count=count,
        list_id=list_id,
        after_id=f"card-{above}" if above else "",
    )


def column_count(*, column_id: int) -> int:
    """Live ideas in one column."""
    return Card.objects.filter(column_id=column_id, deleted_at__isnull=True).count()


def card_count(*, board: Board) -> int:
    """Live ideas on a board."""
    return Card.objects.filter(board=board, deleted_at__isnull=True).count()


def mine_only(*, board: Board, user_id: int) -> MineView:
    """One person's own ideas and dots, read without the rest of the board (2 queries)."""
    own = list(
        Card.objects.filter(owned_by(user_id), board=board, deleted_at__isnull=True)
        .select_related("column")
        .order_by("position", "pk")
    )
    for card in own:
        card.column_title = card.column.title  # type: ignore[attr-defined]
    mine_votes = list(
        Vote.objects.filter(board=board, voter_id=user_id)
        .select_related("card", "group")
        .order_by("pk")
    )
    card_dots: Counter[Card] = Counter(
        v.card for v in mine_votes if v.card is not None and v.card.deleted_at is None
    )
    group_dots: Counter[Group] = Counter(v.group for v in mine_votes if v.group is not None)
    votes_on: list[tuple[str, str, str, int]] = [
        ("card", str(c.uid), c.text, n) for c, n in card_dots.items()
    ]
    votes_on += [("group", str(g.pk), f"Group: {g.name}", n) for g, n in group_dots.items()]
    return MineView(
        cards=own,
        votes_used=len(mine_votes),
        budget=board.votes_per_person,
        votes_on=votes_on,
    )


# ---------------------------------------------------------------------------------------------
# between sessions: past boards read-only, and the "Last time" recap

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
