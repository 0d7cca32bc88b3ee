"""Renders a board's fragments once per audience (the room, its facilitators, one person).

Visibility (names, hidden ideas, controls) is decided here in Python from the audience,
never by a template looking at who is viewing.
"""

from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse

from boards import selectors
from boards.cardhtml import card_li
from boards.models import Board
from boards.selectors import Audience, BoardState, CardChange, CardView

TEMPLATE = "boards/board.html"


def audience_for(steers: bool) -> Audience:
    """The audience a person belongs to for board renders."""
    return "facilitators" if steers else "room"


def board_urls(board: Board) -> dict[str, str]:
    """URL prefixes for the per-card forms, reversed once per render rather than per card."""
    base = reverse("board_page", args=[board.activity.session_id, board.pk])
    return {
        "cards": base + "cards/",
        "groups": base + "groups/",
        "columns": base + "columns/",
        "vote_add": reverse("vote_add", args=[board.activity.session_id, board.pk]),
        "vote_remove": reverse("vote_remove", args=[board.activity.session_id, board.pk]),
    }


def base_context(
    state: BoardState, *, people: list[tuple[int, str]] | None = None
) -> dict[str, Any]:
    """What every board partial needs for one audience."""
    board = state.board
    steers = state.audience == "facilitators"
    urls = board_urls(board)
    can_change = steers or not board.locked
    can_group = (steers or board.anyone_can_group) and not board.cards_hidden
    voting = board.votes_per_person > 0 and not board.cards_hidden
    for column in state.columns:
        can_move = (can_change and not column.locked) or steers
        cards = column.cards + [c for g in column.groups for c in g.cards]
        for card in cards:
            card.html = card_li(
                card,
                urls=urls,
                voting=voting,
                can_move=can_move,
                can_group=can_group and can_change,
                steers=steers,
                results_shown=board.results_shown,
            )
    return {
        "board": board,
        "session": board.activity.session,
        "activity": board.activity,
        "state": state,
        "steers": steers,
        "can_change": can_change,
        "can_group": can_group,
        "voting": voting,
        "people": people or [],
        "anonymity_choices": Board.Anonymity.choices,
        "urls": urls,
    }


def _people(state: BoardState) -> list[tuple[int, str]] | None:
    if state.audience != "facilitators":
        return None
    return selectors.supportable_people(session=state.board.activity.session)


def render_board(board: Board, *, audience: Audience, oob: bool = True) -> str:
    """The #board-<id> container: head, add form, controls and every column."""
    state = selectors.board_state(board=board, audience=audience)
    context = base_context(state, people=_people(state))
    context["oob"] = oob
    return render_to_string(f"{TEMPLATE}#board", context)


def render_columns(board: Board, column_ids: list[int], *, audience: Audience) -> str:
    """Whole #column-<id> containers, out of band, in the order given (destination first)."""
    state = selectors.board_state(board=board, audience=audience)
    context = base_context(state)
    by_pk = {c.pk: c for c in state.columns}
    parts = [
        render_to_string(f"{TEMPLATE}#column", {**context, "column": by_pk[pk], "oob": True})
        for pk in column_ids
        if pk in by_pk
    ]
    parts.append(render_to_string(f"{TEMPLATE}#board-head", {**context, "oob": True}))
    return "".join(parts)


def render_head(board: Board, *, audience: Audience) -> str:
    """The #board-<id>-head container: prompt, status and how many ideas there are."""
    return render_board_head(board, selectors.card_count(board=board))


def mine_context(board: Board, *, user_id: int, state: BoardState | None = None) -> dict[str, Any]:
    """One person's own ideas and dots."""
    state = state or selectors.board_state(board=board, audience="room")
    return {
        "board": board,
        "session": board.activity.session,
        "mine": selectors.mine(state=state, user_id=user_id),
        "urls": board_urls(board),
    }


def render_mine(board: Board, *, user_id: int, oob: bool = True) -> str:
    """The #board-mine-<id> container for one person (read without the rest of the board)."""
    context = {
        "board": board,
        "session": board.activity.session,
        "mine": selectors.mine_only(board=board, user_id=user_id),
        "urls": board_urls(board),
    }
    context["oob"] = oob
    return render_to_string(f"{TEMPLATE}#mine", context)


def render_mine_loader(board: Board) -> str:
    """A placeholder that makes each browser fetch its own panel again (rendered once)."""
    return render_to_string(
        f"{TEMPLATE}#mine-loader",
        {"board": board, "session": board.activity.session, "oob": True},
    )


def render_activity_body(*, session: Any, activity: Any, viewer: Any, steers: bool) -> str:
    """What the room shows while a board activity is current (registered with the room)."""
    board = selectors.board_for_activity(activity_id=activity.pk)
    if board is None:
        return render_to_string(
            f"{TEMPLATE}#setup",
            {"session": session, "activity": activity, "steers": steers, "errors": []},
        )
    return render_board_wrap(board, viewer=viewer, steers=steers)


def render_own_in_room(*, session: Any, activity: Any, viewer: Any) -> tuple[str, str]:
    """A person's own panel for a room snapshot shared by everyone, and the placeholder it
    takes the place of there (the browser would otherwise fetch the panel at once)."""
    board = selectors.board_for_activity(activity_id=activity.pk)
    if board is None or viewer is None or not viewer.is_authenticated:
        return "", ""
    placeholder = render_to_string(
        f"{TEMPLATE}#mine-loader",
        {"board": board, "session": board.activity.session, "oob": False},
    )
    return placeholder, render_mine(board, user_id=viewer.pk, oob=False)


def render_board_wrap(board: Board, *, viewer: Any, steers: bool) -> str:
    """The board with the viewer's own panel (or a placeholder that fetches it)."""
    audience = audience_for(steers)
    state = selectors.board_state(board=board, audience=audience)
    context = base_context(state, people=_people(state))
    context["oob"] = False
    if viewer is not None:
        context.update(mine_context(board, user_id=viewer.pk, state=state))
    return render_to_string(f"{TEMPLATE}#board-wrap", context)


# ---------------------------------------------------------------------------------------------
# one change: the changed idea and its column's head, rendered once per audience


def _card_html(
    board: Board, view: CardView, *, audience: Audience, column_locked: bool, urls: dict[str, str]
) -> str:
    steers = audience == "facilitators"
    can_change = steers or not board.locked
    return card_li(
        view,
        urls=urls,
        voting=board.votes_per_person > 0 and not board.cards_hidden,
        can_move=(can_change and not column_locked) or steers,
        can_group=(steers or board.anyone_can_group) and not board.cards_hidden and can_change,
        steers=steers,
        results_shown=board.results_shown,
    )


def render_column_head(board: Board, column: Any, count: int) -> str:
    """A column's title with its count, out of band (the same for every audience)."""
    view = {"pk": column.pk, "title": column.title, "locked": column.locked, "count": count}
    return render_to_string(
        f"{TEMPLATE}#column-title", {"board": board, "column": view, "oob": True}
    )


def render_board_head(board: Board, card_count: int) -> str:
    """The board head with its count, out of band (the same for every audience)."""
    return render_to_string(
        f"{TEMPLATE}#board-head",
        {"board": board, "state": {"card_count": card_count}, "oob": True},
    )


def render_card_change(
    board: Board, change: CardChange, *, added: bool = False, place: bool = False
) -> dict[Audience, str]:
    """The changed idea for each audience: appended to its column (added), or swapped in
    place and, if `place`, moved after its new neighbour by board.js."""
    urls = board_urls(board)
    out: dict[Audience, str] = {}
    for audience, view in change.views.items():
        li = _card_html(
            board, view, audience=audience, column_locked=change.column.locked, urls=urls
        )
        if added:
            out[audience] = f'<div hx-swap-oob="beforeend:#{change.list_id}">{li}</div>'
        else:
            attrs = ' hx-swap-oob="outerHTML settle:0"'
            if place:
                attrs += f' data-list="{change.list_id}" data-after="{change.after_id}"'
            out[audience] = li.replace(' class="comhla-idea"', attrs + ' class="comhla-idea"', 1)
    return out
