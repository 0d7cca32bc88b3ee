"""Reads of payments, one module per concern:

- `lines`: a programme's lines and their totals (always Sum in the database, never a stored
  balance), income told apart from expenses, overdue lines, the audit trail, open queries,
  bulk previews, one person's figures, rate cards
- `benefits`: per-person totals by week, month (or Universal Credit assessment period) and UK
  tax year, the warnings before approving, a person's statement
- `contributors`: the people paid, their preferences, a session's register

Callers use `selectors.<name>`: the names below are the package's whole public API.
"""

from participants.payments.selectors.benefits import (
    METHOD_WORDS,
    Period,
    PersonTotals,
    Statement,
    calendar_month,
    method_words,
    period_words,
    person_totals,
    statement,
    tax_year_start,
    uc_assessment_day,
    uc_period,
    warnings_for,
)
from participants.payments.selectors.contributors import (
    contributor,
    contributors,
    paid_memberships_of,
    preferences,
    register_rows,
)
from participants.payments.selectors.lines import (
    COUNTED,
    INCOME,
    UNPAID,
    ZERO,
    BulkPreview,
    OverdueLine,
    StatusTotals,
    audit,
    bulk_preview,
    days_waiting,
    is_income,
    line_in,
    lines,
    lines_sent_on,
    my_lines,
    open_queries,
    overdue,
    rate_cards,
    status_totals,
    total,
    totals_by,
    totals_by_method,
)

__all__ = [
    "COUNTED",
    "INCOME",
    "METHOD_WORDS",
    "UNPAID",
    "ZERO",
    "BulkPreview",
    "OverdueLine",
    "Period",
    "PersonTotals",
    "Statement",
    "StatusTotals",
    "audit",
    "bulk_preview",
    "calendar_month",
    "contributor",
    "contributors",
    "days_waiting",
    "is_income",
    "line_in",
    "lines",
    "lines_sent_on",
    "method_words",
    "my_lines",
    "open_queries",
    "overdue",
    "paid_memberships_of",
    "period_words",
    "person_totals",
    "preferences",
    "rate_cards",
    "register_rows",
    "statement",
    "status_totals",
    "tax_year_start",
    "total",
    "totals_by",
    "totals_by_method",
    "uc_assessment_day",
    "uc_period",
    "warnings_for",
]
