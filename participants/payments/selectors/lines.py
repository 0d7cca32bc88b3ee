"""Reads of payment lines: a programme's lines, their totals (always Sum in the database, never
a stored balance), income told apart from reimbursed expenses, lines overdue for payment, the
audit trail, open queries, what a bulk action would move, and one person's figures."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from participants.payments.models import PaymentEvent, PaymentLine, RateCard
from participants.payments.money import to_money
from participants.payments.selectors.contributors import preferences

ZERO = Decimal("0.00")
COUNTED = [
    PaymentLine.Status.PENDING,
    PaymentLine.Status.QUERIED,
    PaymentLine.Status.APPROVED,
    PaymentLine.Status.SENT,
    PaymentLine.Status.PAID,
]


def lines(
    *, programme_id: int, status: str = "", session_id: int | None = None
) -> QuerySet[PaymentLine]:
    """A programme's lines, optionally one status or one session, with what tables need."""
    qs = PaymentLine.objects.filter(programme_id=programme_id).select_related(
        "person", "session", "rate_card", "corrects"
    )
    if status:
        qs = qs.filter(status=status)
    if session_id:
        qs = qs.filter(session_id=session_id)
    return qs.order_by("-worked_on", "person__display_name", "pk")


def total(qs: QuerySet[PaymentLine]) -> Decimal:
    """The sum of the amounts of some lines."""
    # SQLite's SUM drops the scale (90 rather than 90.00): always give back pounds and pence.
    return to_money(qs.aggregate(t=Coalesce(Sum("amount"), ZERO))["t"])


def totals_by(qs: QuerySet[PaymentLine], field: str) -> list[tuple[Any, Decimal, int]]:
    """(value, total, number of lines) per value of a field."""
    rows = qs.order_by().values(field).annotate(t=Sum("amount"), n=Count("pk")).order_by(field)
    return [(r[field], to_money(r["t"]), r["n"]) for r in rows]


# Income: time, and corrections to time. An adjustment always points at a time or expense line.
INCOME = Q(kind=PaymentLine.Kind.TIME) | Q(
    kind=PaymentLine.Kind.ADJUSTMENT, corrects__kind=PaymentLine.Kind.TIME
)
UNPAID = [
    PaymentLine.Status.PENDING,
    PaymentLine.Status.QUERIED,
    PaymentLine.Status.APPROVED,
    PaymentLine.Status.SENT,
]


def is_income(line: PaymentLine) -> bool:
    """Whether a line is income (time, or a correction to time), not a reimbursed expense."""
    if line.kind == PaymentLine.Kind.ADJUSTMENT:
        return line.corrects is not None and line.corrects.kind == PaymentLine.Kind.TIME
    return line.kind == PaymentLine.Kind.TIME


def days_waiting(line: PaymentLine, today: date) -> int:
    """Days from the session (or the day of the expense) to paid, or to today if not paid."""
    return ((line.paid_on or today) - line.worked_on).days


@dataclass(frozen=True)
class OverdueLine:
    """A line not yet paid more than the programme's days after its session."""

    line: PaymentLine
    days: int


def overdue(*, programme_id: int, today: date, after_days: int) -> list[OverdueLine]:
    """Lines not paid (nor declined) more than `after_days` after the session, longest first."""
    found = lines(programme_id=programme_id).filter(
        status__in=UNPAID, worked_on__lt=today - timedelta(days=after_days)
    )
    rows = [OverdueLine(line=line, days=days_waiting(line, today)) for line in found]
    return sorted(rows, key=lambda row: (-row.days, row.line.pk))


def audit(*, programme_id: int, line_id: int | None = None) -> QuerySet[PaymentEvent]:
    """The audit trail of a programme (or of one line), newest first."""
    qs = PaymentEvent.objects.filter(programme_id=programme_id).select_related(
        "by", "line", "line__person"
    )
    if line_id is not None:
        qs = qs.filter(line_id=line_id)
    return qs.order_by("-at", "-pk")


def my_lines(*, person_id: int) -> QuerySet[PaymentLine]:
    """A contributor's own lines, every programme."""
    return (
        PaymentLine.objects.filter(person_id=person_id)
        .select_related("session", "programme", "rate_card")
        .order_by("-worked_on", "pk")
    )


def totals_by_method(
    qs: QuerySet[PaymentLine], *, programme_id: int
) -> list[tuple[str, Decimal, int]]:
    """(payment method, total, number of lines), from each person's preference."""
    prefs = preferences(programme_id=programme_id)
    sums: dict[str, tuple[Decimal, int]] = {}
    for person_id, amount in qs.exclude(status=PaymentLine.Status.DECLINED).values_list(
        "person_id", "amount"
    ):
        pref = prefs.get(person_id)
        label = pref.get_method_display() if pref and pref.method else _("Not chosen yet")
        so_far, n = sums.get(label, (ZERO, 0))
        sums[label] = (so_far + amount, n + 1)
    return [(label, t, n) for label, (t, n) in sorted(sums.items())]


def lines_sent_on(*, programme_id: int, day: date) -> QuerySet[PaymentLine]:
    """The lines marked sent to finance on a day (local time), whatever happened to them since."""
    sent = PaymentEvent.objects.filter(
        programme_id=programme_id, action="send", at__date=day
    ).values("line_id")
    return lines(programme_id=programme_id).filter(pk__in=sent)


def open_queries(line_list: list[PaymentLine]) -> dict[int, PaymentEvent]:
    """For each queried line, the query it waits on: why, who asked and when."""
    queried = [line.pk for line in line_list if line.status == PaymentLine.Status.QUERIED]
    found: dict[int, PaymentEvent] = {}
    events = PaymentEvent.objects.filter(line_id__in=queried, action="query").select_related("by")
    for event in events.order_by("at", "pk"):
        found[event.line_id] = event  # type: ignore[index]
    return found


@dataclass(frozen=True)
class BulkPreview:
    """What a bulk action would do: the lines, their total, and who and what they span."""

    lines: list[PaymentLine]
    total: Decimal
    people: int
    sessions: list[str]


def bulk_preview(line_list: list[PaymentLine]) -> BulkPreview:
    """Count, total, people and sessions of the lines a bulk action would move."""
    sessions = sorted(
        {line.session.title if line.session else _("No session") for line in line_list}
    )
    return BulkPreview(
        lines=line_list,
        total=to_money(sum((line.amount for line in line_list), ZERO)),
        people=len({line.person_id for line in line_list}),
        sessions=sessions,
    )


@dataclass(frozen=True)
class StatusTotals:
    """One person's lines, every programme: waiting, approved but not yet paid, and paid."""

    owed: Decimal
    approved: Decimal
    paid: Decimal


def status_totals(*, person_id: int) -> StatusTotals:
    """What a person is owed (waiting or queried), approved (or at finance), and was paid."""
    Status = PaymentLine.Status
    sums = {
        name: Coalesce(Sum("amount", filter=Q(status__in=statuses)), ZERO)
        for name, statuses in (
            ("owed", [Status.PENDING, Status.QUERIED]),
            ("approved", [Status.APPROVED, Status.SENT]),
            ("paid", [Status.PAID]),
        )
    }
    found = PaymentLine.objects.filter(person_id=person_id).aggregate(**sums)
    return StatusTotals(**{name: to_money(found[name]) for name in sums})


def rate_cards(*, programme_id: int) -> QuerySet[RateCard]:
    """A programme's rate card versions, newest first."""
    return RateCard.objects.filter(programme_id=programme_id).order_by("-starts_on")


def line_in(*, programme_id: int, line_id: int) -> PaymentLine | None:
    """One line of a programme, with what its page shows (None if not this programme's)."""
    return (
        PaymentLine.objects.select_related("person", "session", "rate_card", "corrects")
        .filter(pk=line_id, programme_id=programme_id)
        .first()
    )
