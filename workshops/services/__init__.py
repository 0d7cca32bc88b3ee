"""Every write to programmes, sessions, agendas and attendance, one module per concern; every
public name is here, as callers use `services.<name>`."""

from workshops.services.attendance import (
    MAX_PENDING_CLAIMS_PER_PERSON,
    attendance_admit,
    attendance_remove,
    attendance_set_co_facilitator,
    join_claim_create,
    join_claim_decide,
    join_claim_use,
    person_join_session,
)
from workshops.services.live import (
    session_end,
    session_move_to_activity,
    session_open,
    session_set_admission,
    session_set_turn_limit,
)
from workshops.services.programmes import programme_create
from workshops.services.sessions import (
    AGENDA_FIELDS,
    RSVP_NEEDS_MAX,
    WHEN_FORMAT,
    activity_add,
    agenda_copy,
    agenda_template_save,
    agenda_template_use,
    rsvp_set,
    session_cancel,
    session_schedule,
    session_update,
    unused_join_code,
    validate_online_link,
)

__all__ = [
    "AGENDA_FIELDS",
    "MAX_PENDING_CLAIMS_PER_PERSON",
    "RSVP_NEEDS_MAX",
    "WHEN_FORMAT",
    "activity_add",
    "agenda_copy",
    "agenda_template_save",
    "agenda_template_use",
    "attendance_admit",
    "attendance_remove",
    "attendance_set_co_facilitator",
    "join_claim_create",
    "join_claim_decide",
    "join_claim_use",
    "person_join_session",
    "programme_create",
    "rsvp_set",
    "session_cancel",
    "session_end",
    "session_move_to_activity",
    "session_open",
    "session_schedule",
    "session_set_admission",
    "session_set_turn_limit",
    "session_update",
    "unused_join_code",
    "validate_online_link",
]
