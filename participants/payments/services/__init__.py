"""Every write to payments, one module per concern; each change writes its audit event
(`ledger.event_record`) in the same transaction, and every line is made by `ledger.line_create`.

- `ledger`: the one way a line or an audit event is written
- `rates`: rate card versions and the warning thresholds
- `lines`: the register's time lines, and adjustments
- `expenses`: expense claims
- `approvals`: the workflow (approve … pay), bulk changes, exports recorded
- `preferences`: how someone is paid, and their Universal Credit assessment period

Callers use `services.<verb>`: the names below are the package's whole public API.
"""

from participants.payments.services.approvals import (
    action_words,
    bulk_transition,
    export_recorded,
    line_transition,
)
from participants.payments.services.expenses import expense_add
from participants.payments.services.ledger import event_record, line_create
from participants.payments.services.lines import (
    adjustment_add,
    attendance_correct,
    register_confirm,
)
from participants.payments.services.preferences import preference_set, uc_period_set
from participants.payments.services.rates import (
    policy_for,
    rate_card_create,
    rate_card_on,
    thresholds_set,
    time_line_figures,
)

__all__ = [
    "action_words",
    "adjustment_add",
    "attendance_correct",
    "bulk_transition",
    "event_record",
    "expense_add",
    "export_recorded",
    "line_create",
    "line_transition",
    "policy_for",
    "preference_set",
    "rate_card_create",
    "rate_card_on",
    "register_confirm",
    "thresholds_set",
    "time_line_figures",
    "uc_period_set",
]
