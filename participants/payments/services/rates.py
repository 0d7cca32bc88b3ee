"""A programme's rates (versions from a date) and its warning thresholds."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.models import User
from participants.payments.models import PaymentPolicy, RateCard
from participants.payments.money import hours_from_minutes, round_up_minutes, to_money
from participants.payments.services.ledger import event_record
from workshops.models import Programme


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
        raise ValidationError({"hourly_rate": _("Enter an hourly rate above £0")})
    if basis == RateCard.Basis.FEE and (session_fee is None or session_fee <= 0):
        raise ValidationError({"session_fee": _("Enter a session fee above £0")})
    if not 1 <= rounding_minutes <= 120:
        raise ValidationError({"rounding_minutes": _("Round to between 1 and 120 minutes")})
    if mileage_rate < 0:
        raise ValidationError({"mileage_rate": _("The mileage rate cannot be negative")})
    for name, cap in (caps or {}).items():
        if cap is not None and cap <= 0:
            raise ValidationError({f"cap_{name}": _("A cap must be above £0, or left empty")})
    if RateCard.objects.filter(programme=programme, starts_on=starts_on).exists():
        raise ValidationError(
            {"starts_on": _("Rates already start on that date: choose another date")}
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


@transaction.atomic
def policy_for(*, programme: Programme) -> PaymentPolicy:
    """The programme's thresholds (created with the defaults the first time)."""
    policy, _created = PaymentPolicy.objects.get_or_create(programme=programme)
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
            raise ValidationError(_("A threshold must be above £0, or left empty"))
    if overdue_after_days is not None and not 1 <= overdue_after_days <= 365:
        raise ValidationError(
            {"overdue_after_days": _("Enter a number of days between 1 and 365, like 14")}
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
    event_record(
        line=None,
        programme_id=programme.pk,
        by=by,
        action="thresholds_changed",
        reason=_(
            "week %(week)s, month %(month)s, tax year %(tax_year)s, overdue after %(days)s days"
        )
        % {
            "week": policy.threshold_week,
            "month": policy.threshold_month,
            "tax_year": policy.threshold_tax_year,
            "days": policy.overdue_after_days,
        },
    )
    return policy
