"""Reads for boards: one board's state for an audience in a fixed number of queries.

By concern: state.py (a whole board for one audience), change.py (the few rows one change
touched), people.py (whose ideas, who may be typed for, contributions), past.py (between
sessions). Callers import from here.
"""

from boards.selectors.change import (
    CardChange,
    card_change,
    card_column,
    card_count,
    column_count,
    groups_in_column,
    in_group,
    mine_only,
)
from boards.selectors.past import (
    LAST_TIME_IDEAS,
    IdeaBoard,
    LastTime,
    PastBoard,
    PastCard,
    PastColumn,
    PastGroup,
    boards_before_session,
    last_time,
    past_board,
    past_sessions,
)
from boards.selectors.people import (
    contributions_by_person,
    is_member,
    owned_by,
    supportable_people,
)
from boards.selectors.state import (
    Audience,
    BoardState,
    CardView,
    ColumnView,
    GroupView,
    MineView,
    board_for_activity,
    board_state,
    card_view,
    columns_order,
    export_rows,
    mine,
    names_visible,
)

__all__ = [
    "LAST_TIME_IDEAS",
    "Audience",
    "BoardState",
    "CardChange",
    "CardView",
    "ColumnView",
    "GroupView",
    "IdeaBoard",
    "LastTime",
    "MineView",
    "PastBoard",
    "PastCard",
    "PastColumn",
    "PastGroup",
    "board_for_activity",
    "board_state",
    "boards_before_session",
    "card_change",
    "card_column",
    "card_count",
    "card_view",
    "column_count",
    "columns_order",
    "contributions_by_person",
    "export_rows",
    "groups_in_column",
    "in_group",
    "is_member",
    "last_time",
    "mine",
    "mine_only",
    "names_visible",
    "owned_by",
    "past_board",
    "past_sessions",
    "supportable_people",
]
