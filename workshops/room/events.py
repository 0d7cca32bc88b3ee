"""Every event a room's socket can carry, in one list.

A frame's `event` names what happened; browsers swap the frame's HTML whatever the event, and
the benchmarks and tests read it. `realtime.encode_frame` refuses a name not listed here, so a
misspelt or undocumented event fails at the first test that sends it.
"""

from enum import StrEnum


class RoomEvent(StrEnum):
    """What a pushed frame is about."""

    # The room itself
    SNAPSHOT = "snapshot"  # the whole room, first on every connect and on a resync
    SESSION_OPENED = "session_opened"
    SESSION_ENDED = "session_ended"
    ACTIVITY_CHANGED = "activity_changed"  # the room moved on
    AGENDA_CHANGED = "agenda_changed"
    PRESENCE_CHANGED = "presence_changed"
    # People at the door and in the room
    PERSON_JOINED = "person_joined"
    PERSON_ADMITTED = "person_admitted"
    PERSON_REMOVED = "person_removed"
    ADMISSION_CHANGED = "admission_changed"
    CLAIM_MADE = "claim_made"  # someone picked a name that needs a facilitator's yes
    CLAIM_DECIDED = "claim_decided"
    CO_FACILITATOR_CHANGED = "co_facilitator_changed"  # a contributor co-facilitates, or stops
    # Idea boards
    BOARD_SET_UP = "board_set_up"
    BOARD_CHANGED = "board_changed"  # settings, lock, a whole-board change
    BOARD_REVEALED = "board_revealed"
    BOARD_BUDGET_CHANGED = "board_budget_changed"
    BOARD_MINE_CHANGED = "board_mine_changed"  # one person's own view of the board
    CARD_ADDED = "card_added"
    CARD_EDITED = "card_edited"
    CARD_MOVED = "card_moved"
    CARD_GROUPED = "card_grouped"
    CARD_DELETED = "card_deleted"
    CARD_RESTORED = "card_restored"
    GROUP_CREATED = "group_created"
    GROUP_RENAMED = "group_renamed"
    GROUP_DISSOLVED = "group_dissolved"
    VOTES_CHANGED = "votes_changed"
    # The floor: hands, turns and go-rounds
    HAND_RAISED = "hand_raised"
    HAND_LOWERED = "hand_lowered"
    FLOOR_GIVEN = "floor_given"
    TURN_ENDED = "turn_ended"
    TURN_PASSED = "turn_passed"
    TURN_SKIPPED = "turn_skipped"
    ROUND_STARTED = "round_started"
    ROUND_PAUSED = "round_paused"
    ROUND_RESUMED = "round_resumed"
    ROUND_FINISHED = "round_finished"
    FLOOR_SETTINGS_CHANGED = "floor_settings_changed"


ROOM_EVENTS = frozenset(RoomEvent)
