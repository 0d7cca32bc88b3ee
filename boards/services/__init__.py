"""Every write to boards, columns, groups, cards and dots.

Each service validates first, writes in one transaction, then announces the change through
boards/broadcasts.py (which renders the changed fragments once per audience and sends them
after commit). Every change carries a client-generated id: a repeated POST is applied once.

By concern: board.py (setting up and steering), cards.py, groups.py, votes.py; what they share
is in common.py. Callers import from here.
"""

from boards.services.board import (
    TEMPLATES,
    board_create,
    board_reveal,
    board_set_flag,
    board_update_settings,
    column_add,
    column_set_locked,
)
from boards.services.cards import (
    UNDO_WINDOW,
    CardConflict,
    Direction,
    card_add,
    card_delete,
    card_edit,
    card_move,
    card_restore,
    idea_before_session,
)
from boards.services.groups import card_set_group, group_create, group_dissolve, group_rename
from boards.services.votes import vote_add, vote_remove

__all__ = [
    "TEMPLATES",
    "UNDO_WINDOW",
    "CardConflict",
    "Direction",
    "board_create",
    "board_reveal",
    "board_set_flag",
    "board_update_settings",
    "card_add",
    "card_delete",
    "card_edit",
    "card_move",
    "card_restore",
    "card_set_group",
    "column_add",
    "column_set_locked",
    "group_create",
    "group_dissolve",
    "group_rename",
    "idea_before_session",
    "vote_add",
    "vote_remove",
]
