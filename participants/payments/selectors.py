"""Reads of payments: lines, totals (always Sum in the database, never a stored balance),
per-person totals by week, month (or Universal Credit assessment period) and UK tax year,
the warnings before approving, a person's statement, and lines overdue for payment.

Reimbursed expenses (and adjustments to them) are paid and exported like any line but are not
income: they are left out of the week, month and tax-year totals and their warnings."""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from participants.models import PAID_ROLES, Membership
from participants.payments.models import (
    PaymentEvent,
    PaymentLine,
    PaymentPolicy,
    PaymentPreference,
    RateCard,
)
from participants.payments.money import format_money, to_money
from workshops.models import Attendance, Session

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


def tax_year_start(day: date) -> date:
    """The UK tax year runs from 6 April to 5 April."""
    start = date(day.year, 4, 6)
    return start if day >= start else date(day.year - 1, 4, 6)


@dataclass(frozen=True)
class Period:
    """A span of days, both ends included."""

    start: date
    end: date


def _uc_start_in(year: int, month: int, start_day: int) -> date:
    last = calendar.monthrange(year, month)[1]
    if start_day == 31:
        return date(year, month, last)
    if start_day in (29, 30) and month == 2:
        return date(year, 2, 28 if calendar.isleap(year) else 27)
    return date(year, month, start_day)


def _month_before(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def _month_after(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def uc_period(day: date, start_day: int) -> Period:
    """The Universal Credit assessment period holding a day, for periods starting on a day of
    the month. As the UC Regulations 2013, reg. 21(2): from the 31st means the last day of each
    month; from the 29th or 30th means the 27th of February (the 28th in a leap year)."""
    this_start = _uc_start_in(day.year, day.month, start_day)
    if day >= this_start:
        start = this_start
        following = _uc_start_in(*_month_after(day.year, day.month), start_day)
    else:
        start = _uc_start_in(*_month_before(day.year, day.month), start_day)
        following = this_start
    return Period(start=start, end=following - timedelta(days=1))


def calendar_month(day: date) -> Period:
    """The calendar month holding a day."""
    last = calendar.monthrange(day.year, day.month)[1]
    return Period(start=day.replace(day=1), end=day.replace(day=last))


def _day_month(day: date) -> str:
    return f"{day.day} {day:%B}"


def period_words(period: Period, *, uc: bool) -> str:
    """'Universal Credit assessment period (3 March to 2 April 2026)' or 'calendar month (March 2026)'."""
    if not uc:
        return f"calendar month ({period.start:%B %Y})"
    if period.start.year == period.end.year:
        span = f"{_day_month(period.start)} to {_day_month(period.end)} {period.end.year}"
    else:
        span = f"{_day_month(period.start)} {period.start.year} to {_day_month(period.end)} {period.end.year}"
    return f"Universal Credit assessment period ({span})"


def uc_assessment_day(*, person_id: int, programme_id: int | None = None) -> int | None:
    """The day a person's UC assessment period starts: this programme's record first, else any."""
    prefs = PaymentPreference.objects.filter(
        membership__user_id=person_id, uc_assessment_day__isnull=False
    ).order_by("pk")
    if programme_id is not None:
        here = prefs.filter(membership__programme_id=programme_id).first()
        if here is not None:
            return here.uc_assessment_day
    first = prefs.first()
    return first.uc_assessment_day if first else None


@dataclass(frozen=True)
class PersonTotals:
    """One person's income totals around a day, across every programme (expenses apart).

    `month` is their Universal Credit assessment period when one is recorded, otherwise the
    calendar month; `month_label` says which, with its dates."""

    week: Decimal
    month: Decimal
    tax_year: Decimal
    month_label: str = ""
    month_period: Period | None = None
    expenses_tax_year: Decimal = Decimal("0.00")


def person_totals(
    *,
    person_id: int,
    day: date,
    exclude_line_id: int | None = None,
    programme_id: int | None = None,
) -> PersonTotals:
    """A person's counted income (not declined, not expenses) in the week, month (or UC
    assessment period) and tax year of a day, and their reimbursed expenses that tax year."""
    counted = PaymentLine.objects.filter(person_id=person_id, status__in=COUNTED)
    if exclude_line_id:
        counted = counted.exclude(pk=exclude_line_id)
    qs = counted.filter(INCOME)
    week_start = day - timedelta(days=day.weekday())
    start_day = uc_assessment_day(person_id=person_id, programme_id=programme_id)
    month = uc_period(day, start_day) if start_day else calendar_month(day)
    year_from = tax_year_start(day)
    year_to = year_from.replace(year=year_from.year + 1)
    return PersonTotals(
        week=total(
            qs.filter(worked_on__gte=week_start, worked_on__lt=week_start + timedelta(days=7))
        ),
        month=total(qs.filter(worked_on__gte=month.start, worked_on__lte=month.end)),
        tax_year=total(qs.filter(worked_on__gte=year_from, worked_on__lt=year_to)),
        month_label=period_words(month, uc=bool(start_day)),
        month_period=month,
        expenses_tax_year=total(
            counted.exclude(INCOME).filter(worked_on__gte=year_from, worked_on__lt=year_to)
        ),
    )


METHOD_WORDS = {
    PaymentPreference.Method.VOUCHER: "{name} is paid in vouchers. Vouchers still count: "
    "report them as payment, just like cash.",
    PaymentPreference.Method.CASH: "{name} is paid in cash. Cash counts: report it as payment.",
    PaymentPreference.Method.BANK: "{name} is paid by bank transfer.",
    PaymentPreference.Method.REDUCED: "{name} asked for a reduced amount; it still counts as "
    "payment.",
    PaymentPreference.Method.NONE: "{name} asked not to be paid.",
}


def method_words(*, person_id: int, programme_id: int, name: str) -> str:
    """How someone is paid, in plain words, saying that vouchers count just as cash does."""
    pref = PaymentPreference.objects.filter(
        membership__user_id=person_id, membership__programme_id=programme_id
    ).first()
    if pref is None or not pref.method:
        return f"How {name} is paid is not recorded yet."
    return METHOD_WORDS[PaymentPreference.Method(pref.method)].format(name=name)


def warnings_for(line: PaymentLine) -> list[str]:
    """What approving this line would cross, in plain words (checked before approval).

    A reimbursed expense is not income, so it is never warned about and never counted."""
    policy = PaymentPolicy.objects.filter(programme_id=line.programme_id).first()
    if policy is None or not is_income(line):
        return []
    before = person_totals(
        person_id=line.person_id,
        day=line.worked_on,
        exclude_line_id=line.pk,
        programme_id=line.programme_id,
    )
    name = line.person.display_name
    found = []
    for where, limit, so_far in (
        ("this week", policy.threshold_week, before.week),
        (f"in this {before.month_label}", policy.threshold_month, before.month),
        ("this tax year (6 April to 5 April)", policy.threshold_tax_year, before.tax_year),
    ):
        if limit is not None and so_far + line.amount > limit:
            found.append(
                f"This takes {name} to {format_money(so_far + line.amount)} {where}, over the "
                f"{format_money(limit)} threshold (set {policy.thresholds_set_on:%d %B %Y}). "
                + method_words(person_id=line.person_id, programme_id=line.programme_id, name=name)
            )
    return found


@dataclass(frozen=True)
class Statement:
    """A person's payments for involvement over some dates, income and expenses apart."""

    lines: list[PaymentLine]
    income: Decimal
    income_paid: Decimal
    expenses: Decimal
    expenses_paid: Decimal
    start: date
    end: date


def statement(
    *, person_id: int, start: date, end: date, programme_id: int | None = None
) -> Statement:
    """A person's lines (not declined) between two dates, both included, with totals; one
    programme's only when asked (what its organisers may see)."""
    qs = PaymentLine.objects.filter(
        person_id=person_id, status__in=COUNTED, worked_on__gte=start, worked_on__lte=end
    )
    if programme_id is not None:
        qs = qs.filter(programme_id=programme_id)
    paid = qs.filter(status=PaymentLine.Status.PAID)
    return Statement(
        lines=list(
            qs.select_related("session", "programme", "corrects").order_by("worked_on", "pk")
        ),
        income=total(qs.filter(INCOME)),
        income_paid=total(paid.filter(INCOME)),
        expenses=total(qs.exclude(INCOME)),
        expenses_paid=total(paid.exclude(INCOME)),
        start=start,
        end=end,
    )


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
        label = pref.get_method_display() if pref and pref.method else "Not chosen yet"
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


def paid_memberships_of(*, person_id: int) -> list[Membership]:
    """The programmes a person is paid in now (lived experience or caring), with each programme."""
    return list(
        Membership.objects.filter(
            user_id=person_id, role__in=PAID_ROLES, left_on__isnull=True
        ).select_related("programme")
    )


def contributors(*, programme_id: int) -> list[Membership]:
    """A programme's paid contributors now, by name, with their payment preference."""
    rows = Membership.objects.filter(
        programme_id=programme_id, role__in=PAID_ROLES, left_on__isnull=True
    ).select_related("user", "payment_preference")
    return sorted(rows, key=lambda m: m.user.display_name.lower())


def contributor(*, programme_id: int, membership_id: int) -> Membership | None:
    """One paid contributor's membership of a programme (None if not one of them)."""
    return (
        Membership.objects.filter(pk=membership_id, programme_id=programme_id, role__in=PAID_ROLES)
        .select_related("user")
        .first()
    )


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


def register_rows(*, session: Session) -> list[dict[str, Any]]:
    """A session's register: everyone who may be in it, by name, their role, whether they
    are paid, and their attendance (or None)."""
    attendances = {
        a.user_id: a for a in Attendance.objects.filter(session=session).select_related("user")
    }
    members = Membership.objects.filter(
        programme_id=session.programme_id,
        left_on__isnull=True,
        role__in=PAID_ROLES | {"practitioner"},
    ).select_related("user")
    return [
        {
            "user": m.user,
            "role": m.get_role_display(),
            "paid": m.role in PAID_ROLES,
            "attendance": attendances.get(m.user_id),
        }
        for m in sorted(members, key=lambda m: m.user.display_name.lower())
    ]
