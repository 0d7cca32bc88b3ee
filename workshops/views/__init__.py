"""Pages and actions for programmes, sessions, the join flow and the live room, one module
per concern; every view is named here, as workshops/urls.py uses them."""

from workshops.views.joining import (
    join,
    join_claim,
    join_claim_decide,
    join_waiting,
    join_who,
    room_join,
    session_join_poster,
)
from workshops.views.programmes import home, programme_create, programme_detail
from workshops.views.room import (
    attendance_admit,
    attendance_co_facilitator,
    attendance_remove,
    room_page,
    room_snapshot,
    session_admission,
    session_end,
    session_move,
    session_open,
)
from workshops.views.sessions import (
    agenda_copy,
    agenda_template_save,
    agenda_template_use,
    session_briefing,
    session_cancel,
    session_create,
    session_detail,
    session_edit,
    session_idea_add,
    session_rsvp,
)

__all__ = [
    "agenda_copy",
    "agenda_template_save",
    "agenda_template_use",
    "attendance_admit",
    "attendance_co_facilitator",
    "attendance_remove",
    "home",
    "join",
    "join_claim",
    "join_claim_decide",
    "join_waiting",
    "join_who",
    "programme_create",
    "programme_detail",
    "room_join",
    "room_page",
    "room_snapshot",
    "session_admission",
    "session_briefing",
    "session_cancel",
    "session_create",
    "session_detail",
    "session_edit",
    "session_end",
    "session_idea_add",
    "session_join_poster",
    "session_move",
    "session_open",
    "session_rsvp",
]
