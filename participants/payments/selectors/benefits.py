"""Reads for benefits: per-person income totals by week, month (or Universal Credit assessment
period) and UK tax year, the warnings before approving, and a person's statement.

Reimbursed expenses (and adjustments to them) are paid and exported like any line but are not
income: they are left out of the week, month and tax-year totals and their warnings."""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils.dateformat import format as date_words
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from participants.payments.models import PaymentLine, PaymentPolicy, PaymentPreference
from participants.payments.money import format_money
from participants.payments.selectors.lines import COUNTED, INCOME, is_income, total


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
    return date_words(day, "j F")


def period_words(period: Period, *, uc: bool) -> str:
    """'Universal Credit assessment period (3 March to 2 April 2026)' or 'calendar month (March 2026)'."""
    if not uc:
        return _("calendar month (%(month)s)") % {"month": date_words(period.start, "F Y")}
    if period.start.year == period.end.year:
        span = _("%(start)s to %(end)s %(year)s") % {
            "start": _day_month(period.start),
            "end": _day_month(period.end),
            "year": period.end.year,
        }
    else:
        span = _("%(start)s %(start_year)s to %(end)s %(end_year)s") % {
            "start": _day_month(period.start),
            "start_year": period.start.year,
            "end": _day_month(period.end),
            "end_year": period.end.year,
        }
    return _("Universal Credit assessment period (%(span)s)") % {"span": span}


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
    PaymentPreference.Method.VOUCHER: gettext_lazy(
        "%(name)s is paid in vouchers. Vouchers still count: report them as payment, just like "
        "cash."
    ),
    PaymentPreference.Method.CASH: gettext_lazy(
        "%(name)s is paid in cash. Cash counts: report it as payment."
    ),
    PaymentPreference.Method.BANK: gettext_lazy("%(name)s is paid by bank transfer."),
    PaymentPreference.Method.REDUCED: gettext_lazy(
        "%(name)s asked for a reduced amount; it still counts as payment."
    ),
    PaymentPreference.Method.NONE: gettext_lazy("%(name)s asked not to be paid."),
}


def method_words(*, person_id: int, programme_id: int, name: str) -> str:
    """How someone is paid, in plain words, saying that vouchers count just as cash does."""
    pref = PaymentPreference.objects.filter(
        membership__user_id=person_id, membership__programme_id=programme_id
    ).first()
    if pref is None or not pref.method:
        return _("How %(name)s is paid is not recorded yet.") % {"name": name}
    return str(METHOD_WORDS[PaymentPreference.Method(pref.method)]) % {"name": name}


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
        (_("this week"), policy.threshold_week, before.week),
        (
            _("in this %(period)s") % {"period": before.month_label},
            policy.threshold_month,
            before.month,
        ),
        (_("this tax year (6 April to 5 April)"), policy.threshold_tax_year, before.tax_year),
    ):
        if limit is not None and so_far + line.amount > limit:
            crossed = _(
                "This takes %(name)s to %(total)s %(when)s, over the %(limit)s threshold "
                "(set %(set_on)s)."
            ) % {
                "name": name,
                "total": format_money(so_far + line.amount),
                "when": where,
                "limit": format_money(limit),
                "set_on": date_words(policy.thresholds_set_on, "d F Y"),
            }
            found.append(
                f"{crossed} "
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
