"""Reads of payments: lines, totals (always Sum in the database, never a stored balance),
per-person totals by week, month and UK tax year, and the warnings before approving."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum
from django.db.models.functions import Coalesce

from participants.payments.models import PaymentEvent, PaymentLine, PaymentPolicy, PaymentPreference
from participants.payments.money import format_money, to_money

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
        "person", "session", "rate_card"
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
    from django.db.models import Count

    rows = qs.order_by().values(field).annotate(t=Sum("amount"), n=Count("pk")).order_by(field)
    return [(r[field], to_money(r["t"]), r["n"]) for r in rows]


def tax_year_start(day: date) -> date:
    """The UK tax year runs from 6 April to 5 April."""
    start = date(day.year, 4, 6)
    return start if day >= start else date(day.year - 1, 4, 6)


@dataclass(frozen=True)
class PersonTotals:
    """One person's totals around a day, across every programme."""

    week: Decimal
    month: Decimal
    tax_year: Decimal


def person_totals(*, person_id: int, day: date, exclude_line_id: int | None = None) -> PersonTotals:
    """A person's counted totals (not declined) in the week, month and tax year of a day."""
    qs = PaymentLine.objects.filter(person_id=person_id, status__in=COUNTED)
    if exclude_line_id:
        qs = qs.exclude(pk=exclude_line_id)
    week_start = day - timedelta(days=day.weekday())
    return PersonTotals(
        week=total(
            qs.filter(worked_on__gte=week_start, worked_on__lt=week_start + timedelta(days=7))
        ),
        month=total(qs.filter(worked_on__year=day.year, worked_on__month=day.month)),
        tax_year=total(
            qs.filter(
                worked_on__gte=tax_year_start(day),
                worked_on__lt=tax_year_start(day).replace(year=tax_year_start(day).year + 1),
            )
        ),
    )


def warnings_for(line: PaymentLine) -> list[str]:
    """What approving this line would cross, in plain words (checked before approval)."""
    policy = PaymentPolicy.objects.filter(programme_id=line.programme_id).first()
    if policy is None:
        return []
    before = person_totals(person_id=line.person_id, day=line.worked_on, exclude_line_id=line.pk)
    found = []
    for label, limit, so_far in (
        ("week", policy.threshold_week, before.week),
        ("month", policy.threshold_month, before.month),
        ("tax year (6 April to 5 April)", policy.threshold_tax_year, before.tax_year),
    ):
        if limit is not None and so_far + line.amount > limit:
            found.append(
                f"This takes {line.person.display_name} to {format_money(so_far + line.amount)} "
                f"this {label}, over the {format_money(limit)} threshold "
                f"(set {policy.thresholds_set_on:%d %B %Y})"
            )
    return found


def preferences(*, programme_id: int) -> dict[int, PaymentPreference]:
    """Payment preferences by person in a programme."""
    return {
        p.membership.user_id: p
        for p in PaymentPreference.objects.filter(
            membership__programme_id=programme_id
        ).select_related("membership")
    }


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
        label = pref.get_method_display() if pref else "Not chosen yet"
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
    sessions = sorted({line.session.title if line.session else "No session" for line in line_list})
    return BulkPreview(
        lines=line_list,
        total=to_money(sum((line.amount for line in line_list), ZERO)),
        people=len({line.person_id for line in line_list}),
        sessions=sessions,
    )
