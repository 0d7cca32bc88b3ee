"""Every write to payments. Each change writes its PaymentEvent in the same transaction.

Status changes are conditional UPDATEs (`… WHERE status = <expected>`) checked by row count:
that holds on SQLite and PostgreSQL alike, so two organisers approving or paying the same
line at the same moment make exactly one transition and one audit record.
"""

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from participants import security
from participants.models import PAID_ROLES, Membership, SecurityEvent, User
from participants.payments.models import (
    PaymentEvent,
    PaymentLine,
    PaymentPolicy,
    PaymentPreference,
    RateCard,
    RegisterConfirmation,
)
from participants.payments.money import hours_from_minutes, round_up_minutes, to_money
from workshops.models import Attendance, Programme, Session

Status = PaymentLine.Status

# Which status each action moves a line from, and to.
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "approve": ((Status.PENDING,), Status.APPROVED),
    "query": ((Status.PENDING, Status.APPROVED), Status.QUERIED),
    "answer": ((Status.QUERIED,), Status.PENDING),
    "decline": ((Status.PENDING, Status.QUERIED), Status.DECLINED),
    "send": ((Status.APPROVED,), Status.SENT),
    "pay": ((Status.SENT,), Status.PAID),
}
NEEDS_REASON = {"query", "answer", "decline"}


def _event(
    *,
    line: PaymentLine | None,
    programme_id: int,
    by: User | None,
    action: str,
    from_status: str = "",
    to_status: str = "",
    reason: str = "",
) -> PaymentEvent:
    return PaymentEvent.objects.create(
        line=line,
        programme_id=programme_id,
        by=by,
        action=action,
        from_status=from_status,
        to_status=to_status,
        reason=reason[:300],
    )


@transaction.atomic
def rate_card_create(
    *,
    programme: Programme,
    by: User,
    starts_on: date,
    basis: str,
    hourly_rate: Decimal | None = None,
    session_fee: Decimal | None = None,
    preparation_minutes: int = 0,
    rounding_minutes: int = 30,
    mileage_rate: Decimal = Decimal("0.45"),
    caps: dict[str, Decimal | None] | None = None,
) -> RateCard:
    """Add a version of the programme's rates, applying from its start date."""
    if basis == RateCard.Basis.HOURLY and (hourly_rate is None or hourly_rate <= 0):
        raise ValidationError({"hourly_rate": "Enter an hourly rate above £0"})
    if basis == RateCard.Basis.FEE and (session_fee is None or session_fee <= 0):
        raise ValidationError({"session_fee": "Enter a session fee above £0"})
    if not 1 <= rounding_minutes <= 120:
        raise ValidationError({"rounding_minutes": "Round to between 1 and 120 minutes"})
    if mileage_rate < 0:
        raise ValidationError({"mileage_rate": "The mileage rate cannot be negative"})
    for name, cap in (caps or {}).items():
        if cap is not None and cap <= 0:
            raise ValidationError({f"cap_{name}": "A cap must be above £0, or left empty"})
    if RateCard.objects.filter(programme=programme, starts_on=starts_on).exists():
        raise ValidationError(
            {"starts_on": "Rates already start on that date: choose another date"}
        )
    card = RateCard(
        programme=programme,
        starts_on=starts_on,
        basis=basis,
        hourly_rate=to_money(hourly_rate) if hourly_rate is not None else None,
        session_fee=to_money(session_fee) if session_fee is not None else None,
        preparation_minutes=preparation_minutes,
        rounding_minutes=rounding_minutes,
        mileage_rate=to_money(mileage_rate),
        created_by=by,
        **{f"cap_{k}": (to_money(v) if v is not None else None) for k, v in (caps or {}).items()},
    )
    card.full_clean()
    card.save()
    return card


def rate_card_on(programme_id: int, day: date) -> RateCard | None:
    """The rates in force on a day: the latest version starting on or before it."""
    return (
        RateCard.objects.filter(programme_id=programme_id, starts_on__lte=day)
        .order_by("-starts_on")
        .first()
    )


def time_line_figures(
    card: RateCard, minutes_attended: int
) -> tuple[int, Decimal | None, Decimal | None, Decimal]:
    """(minutes paid, hours, rate, amount) for attended minutes under a rate card.

    Preparation time is added, the total rounded up to the card's unit, and the amount
    rounded half-up to the penny once, at the end.
    """
    if card.basis == RateCard.Basis.FEE:
        assert card.session_fee is not None
        return minutes_attended, None, None, to_money(card.session_fee)
    assert card.hourly_rate is not None
    paid = round_up_minutes(minutes_attended + card.preparation_minutes, card.rounding_minutes)
    hours = hours_from_minutes(paid)
    return paid, hours, card.hourly_rate, to_money(hours * card.hourly_rate)


def _session_window(session: Session) -> tuple[datetime, datetime]:
    day = timezone.localtime(session.starts_at).date()
    start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    return start, start + timedelta(days=1)


@transaction.atomic
def attendance_correct(
    *, session: Session, by: User, user_id: int, checked_in_at: datetime, checked_out_at: datetime
) -> Attendance:
    """Correct (or record by hand) a person's times in a session's register."""
    if RegisterConfirmation.objects.filter(session=session).exists():
        raise ValidationError("The register is confirmed: correct a payment with an adjustment")
    start, end = _session_window(session)
    if not (start <= checked_in_at < end and start < checked_out_at <= end):
        raise ValidationError("Times must be on the day of the session")
    if checked_out_at <= checked_in_at:
        raise ValidationError("The time out must be after the time in")
    if checked_out_at > timezone.now():
        raise ValidationError("The time out cannot be later than now")
    if not Membership.objects.filter(user_id=user_id, programme_id=session.programme_id).exists():
        raise ValidationError("That person is not in this programme")
    attendance, _ = Attendance.objects.get_or_create(
        session=session, user_id=user_id, defaults={"admission": Attendance.Admission.ADMITTED}
    )
    attendance.admission = Attendance.Admission.ADMITTED
    attendance.checked_in_at, attendance.checked_out_at = checked_in_at, checked_out_at
    attendance.admitted_by = attendance.admitted_by or by
    attendance.save()
    return attendance


@transaction.atomic
def register_confirm(*, session: Session, by: User) -> list[PaymentLine]:
    """Confirm a session's register: a time line for each person with lived experience and
    each carer who attended. Staff roles get none. A register is confirmed once."""
    if RegisterConfirmation.objects.filter(session=session).exists():
        raise ValidationError("This register has already been confirmed")
    open_rows = Attendance.objects.filter(
        session=session,
        admission=Attendance.Admission.ADMITTED,
        checked_in_at__isnull=False,
        checked_out_at__isnull=True,
    )
    still_in = sorted(open_rows.values_list("user__display_name", flat=True), key=str.lower)
    if still_in:
        raise ValidationError(
            "These people are still checked in and need a time out before you confirm: "
            + ", ".join(still_in)
        )
    day = timezone.localtime(session.starts_at).date()
    card = rate_card_on(session.programme_id, day)
    if card is None:
        raise ValidationError("Set the programme's rates before confirming a register")
    RegisterConfirmation.objects.create(session=session, confirmed_by=by)
    paid_roles = dict(
        Membership.objects.filter(
            programme_id=session.programme_id, role__in=PAID_ROLES
        ).values_list("user_id", "role")
    )
    lines = []
    for attendance in Attendance.objects.filter(
        session=session,
        checked_in_at__isnull=False,
        checked_out_at__isnull=False,
        user_id__in=paid_roles,
    ).order_by("user_id"):
        assert attendance.checked_in_at and attendance.checked_out_at
        minutes = int((attendance.checked_out_at - attendance.checked_in_at).total_seconds() // 60)
        if minutes <= 0:
            continue
        paid, hours, rate, amount = time_line_figures(card, minutes)
        line = PaymentLine.objects.create(
            programme_id=session.programme_id,
            session=session,
            person_id=attendance.user_id,
            kind=PaymentLine.Kind.TIME,
            rate_card=card,
            worked_on=day,
            minutes_attended=minutes,
            minutes_paid=paid,
            hours=hours,
            rate=rate,
            amount=amount,
            created_by=by,
        )
        _event(
            line=line,
            programme_id=session.programme_id,
            by=by,
            action="created",
            to_status=Status.PENDING,
            reason="From the confirmed register",
        )
        lines.append(line)
    return lines


@transaction.atomic
def expense_add(
    *,
    programme: Programme,
    person: User,
    by: User,
    worked_on: date,
    category: str,
    amount: Decimal | None = None,
    miles: Decimal | None = None,
    receipt_note: str = "",
    over_cap_reason: str = "",
    session: Session | None = None,
) -> PaymentLine:
    """Add an expense line (mileage at the card's rate, or a receipted amount)."""
    membership = Membership.objects.filter(user=person, programme=programme).first()
    if membership is None or membership.role not in PAID_ROLES:
        raise ValidationError("Expenses are for people with lived experience and carers")
    if session is not None and session.programme_id != programme.pk:
        raise ValidationError("That session is not in this programme")
    if category not in PaymentLine.Category.values:
        raise ValidationError({"category": "Choose what the expense was for"})
    card = rate_card_on(programme.pk, worked_on)
    if card is None:
        raise ValidationError("Set the programme's rates first")
    if category == PaymentLine.Category.MILEAGE:
        if miles is None or miles <= 0:
            raise ValidationError({"miles": "Enter the miles travelled, above 0"})
        amount = to_money(miles * card.mileage_rate)
    elif amount is None or amount <= 0:
        raise ValidationError({"amount": "Enter an amount above £0"})
    amount = to_money(amount)
    if amount <= 0:
        raise ValidationError({"amount": "Enter an amount above £0"})
    cap = card.cap_for(category)
    if cap is not None and amount > cap and not over_cap_reason.strip():
        raise ValidationError({"over_cap_reason": f"This is over the £{cap} cap: say why"})
    line = PaymentLine.objects.create(
        programme=programme,
        session=session,
        person=person,
        kind=PaymentLine.Kind.EXPENSE,
        rate_card=card,
        worked_on=worked_on,
        category=category,
        miles=miles,
        rate=card.mileage_rate if category == PaymentLine.Category.MILEAGE else None,
        amount=amount,
        receipt_note=receipt_note.strip(),
        over_cap_reason=over_cap_reason.strip(),
        created_by=by,
    )
    _event(
        line=line,
        programme_id=programme.pk,
        by=by,
        action="created",
        to_status=Status.PENDING,
        reason=f"Expense: {line.get_category_display()}",
    )
    return line


@transaction.atomic
def line_transition(
    *,
    line: PaymentLine,
    by: User,
    action: str,
    reason: str = "",
    payment_reference: str = "",
    paid_on: date | None = None,
) -> PaymentLine:
    """Move a line along the workflow, once. A stale or repeated change is refused."""
    if action not in TRANSITIONS:
        raise ValidationError("Choose what to do with the line")
    sources, target = TRANSITIONS[action]
    reason = reason.strip()
    if action in NEEDS_REASON and not reason:
        raise ValidationError({"reason": "Say why"})
    if action == "approve" and line.person_id == by.pk:
        raise ValidationError("You cannot approve your own claim")
    extra: dict[str, object] = {}
    if action == "pay":
        payment_reference = payment_reference.strip()
        if not payment_reference:
            raise ValidationError({"payment_reference": "Enter the payment reference from finance"})
        extra = {"payment_reference": payment_reference, "paid_on": paid_on or timezone.localdate()}
    updated = PaymentLine.objects.filter(pk=line.pk, status__in=sources).update(
        status=target, **extra
    )
    if not updated:
        current = PaymentLine.objects.values_list("status", flat=True).get(pk=line.pk)
        raise ValidationError(
            f"This line is {PaymentLine.Status(current).label.lower()}: it cannot be {action_words(action)} now"
        )
    from_status = line.status if line.status in sources else sources[0]
    _event(
        line=line,
        programme_id=line.programme_id,
        by=by,
        action=action,
        from_status=from_status,
        to_status=target,
        reason=reason or payment_reference,
    )
    security.record(
        kind=SecurityEvent.Kind.PAYMENT_TRANSITION,
        actor=by,
        target=f"payment_line:{line.pk}",
        outcome=f"{from_status}->{target}",
    )
    line.refresh_from_db()
    return line


def action_words(action: str) -> str:
    """An action in plain words."""
    return {
        "approve": "approved",
        "query": "queried",
        "answer": "answered",
        "decline": "declined",
        "send": "sent to finance",
        "pay": "marked paid",
    }.get(action, action)


@transaction.atomic
def adjustment_add(*, line: PaymentLine, by: User, amount: Decimal, reason: str) -> PaymentLine:
    """Correct an approved or later line with a new line pointing at it (never an edit)."""
    if line.kind == PaymentLine.Kind.ADJUSTMENT:
        raise ValidationError("Adjust the original line, not an adjustment")
    if line.status in (Status.PENDING, Status.QUERIED, Status.DECLINED):
        raise ValidationError("Only approved, sent or paid lines are corrected with an adjustment")
    amount = to_money(amount)
    if amount == 0:
        raise ValidationError({"amount": "An adjustment cannot be £0"})
    if not reason.strip():
        raise ValidationError({"reason": "Say why the line needs correcting"})
    if (
        line.amount
        + amount
        + sum(a.amount for a in line.adjustments.exclude(status=Status.DECLINED))
        < 0
    ):
        raise ValidationError({"amount": "That would take the line below £0"})
    adjustment = PaymentLine.objects.create(
        programme_id=line.programme_id,
        session=line.session,
        person_id=line.person_id,
        kind=PaymentLine.Kind.ADJUSTMENT,
        worked_on=line.worked_on,
        amount=amount,
        corrects=line,
        created_by=by,
    )
    _event(
        line=adjustment,
        programme_id=line.programme_id,
        by=by,
        action="created",
        to_status=Status.PENDING,
        reason=f"Adjusts line {line.pk}: {reason.strip()}",
    )
    return adjustment


@transaction.atomic
def bulk_transition(
    *,
    lines: Iterable[PaymentLine],
    by: User,
    action: str,
    payment_reference: str = "",
    paid_on: date | None = None,
) -> tuple[int, list[str]]:
    """Approve (or mark paid) many lines; each one that can't move says why."""
    moved, problems = 0, []
    for line in lines:
        try:
            with transaction.atomic():
                line_transition(
                    line=line,
                    by=by,
                    action=action,
                    payment_reference=payment_reference,
                    paid_on=paid_on,
                )
            moved += 1
        except ValidationError as exc:
            problems.append(f"Line {line.pk}: {' '.join(exc.messages)}")
    return moved, problems


@transaction.atomic
def export_recorded(
    *, programme: Programme, by: User, lines: list[PaymentLine], file_format: str
) -> None:
    """Record an export for finance in the audit trail (once per line) and as a security event."""
    for line in lines:
        _event(
            line=line,
            programme_id=programme.pk,
            by=by,
            action="exported",
            from_status=line.status,
            to_status=line.status,
            reason=file_format.upper(),
        )
    security.record(
        kind=SecurityEvent.Kind.EXPORT,
        actor=by,
        target=f"programme:{programme.pk}",
        outcome=f"{len(lines)} payment lines as {file_format}",
    )


@transaction.atomic
def preference_set(
    *,
    membership: Membership,
    by: User,
    method: str,
    reduced_amount: Decimal | None = None,
    **organiser_fields: object,
) -> PaymentPreference:
    """Save how someone wants to be paid (and, for organisers, benefits and finance details)."""
    if method not in PaymentPreference.Method.values:
        raise ValidationError({"method": "Choose how you would like to be paid"})
    if method == PaymentPreference.Method.REDUCED and (
        reduced_amount is None or reduced_amount <= 0
    ):
        raise ValidationError({"reduced_amount": "Enter the reduced amount, above £0"})
    preference, _ = PaymentPreference.objects.get_or_create(membership=membership)
    preference.method = method
    preference.reduced_amount = to_money(reduced_amount) if reduced_amount is not None else None
    for name, value in organiser_fields.items():
        setattr(preference, name, value)
    preference.full_clean()
    preference.save()
    _event(
        line=None,
        programme_id=membership.programme_id,
        by=by,
        action="preference_changed",
        reason=f"Method: {preference.get_method_display()}",
    )
    return preference


@transaction.atomic
def policy_for(*, programme: Programme) -> PaymentPolicy:
    """The programme's thresholds (created with the defaults the first time)."""
    policy, _ = PaymentPolicy.objects.get_or_create(programme=programme)
    return policy


@transaction.atomic
def thresholds_set(
    *,
    programme: Programme,
    by: User,
    threshold_week: Decimal | None,
    threshold_month: Decimal | None,
    threshold_tax_year: Decimal | None,
    overdue_after_days: int | None = None,
) -> PaymentPolicy:
    """Change the warning thresholds (the date they were set is shown beside them) and after
    how many days an unpaid line counts as overdue."""
    for value in (threshold_week, threshold_month, threshold_tax_year):
        if value is not None and value <= 0:
            raise ValidationError("A threshold must be above £0, or left empty")
    if overdue_after_days is not None and not 1 <= overdue_after_days <= 365:
        raise ValidationError(
            {"overdue_after_days": "Enter a number of days between 1 and 365, like 14"}
        )
    policy = policy_for(programme=programme)
    if overdue_after_days is not None:
        policy.overdue_after_days = overdue_after_days
    policy.threshold_week = to_money(threshold_week) if threshold_week is not None else None
    policy.threshold_month = to_money(threshold_month) if threshold_month is not None else None
    policy.threshold_tax_year = (
        to_money(threshold_tax_year) if threshold_tax_year is not None else None
    )
    policy.thresholds_set_on = timezone.localdate()
    policy.save()
    _event(
        line=None,
        programme_id=programme.pk,
        by=by,
        action="thresholds_changed",
        reason=f"week {policy.threshold_week}, month {policy.threshold_month}, tax year {policy.threshold_tax_year}, overdue after {policy.overdue_after_days} days",
    )
    return policy


UC_DAY_ERROR = "Enter a day between 1 and 31, or leave it empty"


@transaction.atomic
def uc_period_set(*, membership: Membership, by: User, day: int | None) -> PaymentPreference:
    """Record the day of the month someone's Universal Credit assessment period starts (None:
    not on UC, or not known); their monthly totals and warnings then follow that period."""
    if day is not None and not 1 <= day <= 31:
        raise ValidationError({"uc_assessment_day": UC_DAY_ERROR})
    preference, _ = PaymentPreference.objects.get_or_create(
        membership=membership, defaults={"method": ""}
    )
    preference.uc_assessment_day = day
    preference.full_clean()
    preference.save()
    _event(
        line=None,
        programme_id=membership.programme_id,
        by=by,
        action="uc_period_changed",
        reason="Universal Credit assessment period "
        + (f"from day {day} of each month" if day else "not recorded"),
    )
    return preference
