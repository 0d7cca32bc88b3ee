"""Reads for one change: the few rows it touched, whatever the board holds."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from boards.models import Board, Card, Column, Group, Vote
from boards.selectors.people import owned_by
from boards.selectors.state import Audience, CardView, MineView, card_view, names_visible

AUDIENCES: tuple[Audience, ...] = ("room", "facilitators")


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


def in_group(group_id: int | None) -> Q:
    """The ideas of one list: a group's, or (None) a column's loose ones."""
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
    views: dict[Audience, CardView] = {
        audience: card_view(card, votes=votes, names=names_visible(board, audience))
        for audience in AUDIENCES
    }
    siblings = Card.objects.filter(
        in_group(card.group_id), column_id=card.column_id, deleted_at__isnull=True
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
    votes_on += [
        ("group", str(g.pk), _("Group: %(name)s") % {"name": g.name}, n)
        for g, n in group_dots.items()
    ]
    return MineView(
        cards=own,
        votes_used=len(mine_votes),
        budget=board.votes_per_person,
        votes_on=votes_on,
    )


def live_card(*, board: Board, card_uid: str) -> Card | None:
    """An idea on the board (not taken off it), or None."""
    return board.cards.filter(uid=card_uid, deleted_at__isnull=True).first()


def card_column(*, board: Board, card_uid: str) -> int:
    """The column an idea is in now (0 if unknown)."""
    return board.cards.filter(uid=card_uid).values_list("column_id", flat=True).first() or 0


def groups_in_column(*, board: Board, column_id: int) -> list[Group]:
    """The groups of one column of a board, in their order."""
    return list(board.groups.filter(column_id=column_id))
