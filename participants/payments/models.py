"""Paying unpaid contributors: rate cards, preferences, the register, payment lines and their
append-only audit trail. Money is Decimal, two places; corrections are new lines."""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.dateformat import format as date_words
from django.utils.translation import gettext_lazy as _

MONEY: dict[str, Any] = {"max_digits": 10, "decimal_places": 2}


class RateCard(models.Model):
    """A programme's rates from a date: a new version never changes lines already made."""

    class Basis(models.TextChoices):
        HOURLY = "hourly", _("An hourly rate")
        FEE = "fee", _("A fixed fee per session")

    programme = models.ForeignKey(
        "workshops.Programme", on_delete=models.CASCADE, related_name="rate_cards"
    )
    starts_on = models.DateField()
    basis = models.CharField(max_length=8, choices=Basis.choices, default=Basis.HOURLY)
    hourly_rate = models.DecimalField(**MONEY, null=True, blank=True)
    session_fee = models.DecimalField(**MONEY, null=True, blank=True)
    preparation_minutes = models.PositiveSmallIntegerField(default=0)
    rounding_minutes = models.PositiveSmallIntegerField(default=30)
    mileage_rate = models.DecimalField(**MONEY, default=Decimal("0.45"))
    cap_fares = models.DecimalField(**MONEY, null=True, blank=True)
    cap_parking = models.DecimalField(**MONEY, null=True, blank=True)
    cap_meals = models.DecimalField(**MONEY, null=True, blank=True)
    cap_care = models.DecimalField(**MONEY, null=True, blank=True)
    cap_other = models.DecimalField(**MONEY, null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["programme", "-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "starts_on"], name="one_rate_card_a_day"),
            models.CheckConstraint(
                condition=models.Q(hourly_rate__isnull=True) | models.Q(hourly_rate__gt=0),
                name="hourly_rate_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(session_fee__isnull=True) | models.Q(session_fee__gt=0),
                name="session_fee_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(mileage_rate__gte=0), name="mileage_rate_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return _("Rates from %(date)s") % {"date": date_words(self.starts_on, "d M Y")}

    def cap_for(self, category: str) -> Decimal | None:
        """The cap on an expense category, if any."""
        return getattr(self, f"cap_{category}", None)


class PaymentPolicy(models.Model):
    """A programme's warning thresholds for one person's totals."""

    programme = models.OneToOneField(
        "workshops.Programme", on_delete=models.CASCADE, related_name="payment_policy"
    )
    threshold_week = models.DecimalField(**MONEY, null=True, blank=True)
    threshold_month = models.DecimalField(**MONEY, null=True, blank=True)
    threshold_tax_year = models.DecimalField(
        **MONEY, null=True, blank=True, default=Decimal("1000.00")
    )
    thresholds_set_on = models.DateField(default=timezone.localdate)
    overdue_after_days = models.PositiveSmallIntegerField(default=14)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(overdue_after_days__gte=1), name="overdue_after_a_day_or_more"
            ),
        ]

    def __str__(self) -> str:
        return f"Payment thresholds for {self.programme_id}"


class PaymentPreference(models.Model):
    """How a contributor wants to be paid, and what the organiser must know about benefits.

    No bank details: finance holds those, against the payee reference.
    """

    class Method(models.TextChoices):
        BANK = "bank", _("Bank transfer through the finance team")
        VOUCHER = "voucher", _("Vouchers")
        CASH = "cash", _("Cash")
        REDUCED = "reduced", _("A reduced amount")
        NONE = "none", _("Please don't pay me")

    membership = models.OneToOneField(
        "participants.Membership", on_delete=models.CASCADE, related_name="payment_preference"
    )
    # Blank until the person (or the organiser) chooses: e.g. when only their UC period is known.
    method = models.CharField(
        max_length=10, choices=Method.choices, default=Method.BANK, blank=True
    )
    reduced_amount = models.DecimalField(**MONEY, null=True, blank=True)
    receives_benefits = models.BooleanField(null=True, blank=True)
    benefits_advice_offered_on = models.DateField(null=True, blank=True)
    works_in_public_sector = models.BooleanField(null=True, blank=True)
    payee_reference = models.CharField(max_length=40, blank=True)
    cost_code = models.CharField(max_length=40, blank=True)
    # The day of the month their Universal Credit assessment period starts (1–31), if on UC.
    uc_assessment_day = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[
            MinValueValidator(1, _("Enter a day between 1 and 31, or leave it empty")),
            MaxValueValidator(31, _("Enter a day between 1 and 31, or leave it empty")),
        ],
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(uc_assessment_day__isnull=True)
                | models.Q(uc_assessment_day__gte=1, uc_assessment_day__lte=31),
                name="uc_assessment_day_in_a_month",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()} for {self.membership_id}"


class RegisterConfirmation(models.Model):
    """A facilitator confirmed a session's register: its time lines were made from it."""

    session = models.OneToOneField(
        "workshops.Session", on_delete=models.CASCADE, related_name="register_confirmation"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Register of {self.session_id}"


class PaymentLine(models.Model):
    """One amount owed to one person: time, an expense, or an adjustment to another line."""

    class Kind(models.TextChoices):
        TIME = "time", _("Time")
        EXPENSE = "expense", _("Expense")
        ADJUSTMENT = "adjustment", _("Adjustment")

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        QUERIED = "queried", "Queried"
        APPROVED = "approved", "Approved"
        SENT = "sent", "Sent to finance"
        PAID = "paid", "Paid"
        DECLINED = "declined", "Declined"

    class Category(models.TextChoices):
        MILEAGE = "mileage", _("Mileage")
        FARES = "fares", _("Fares")
        PARKING = "parking", _("Parking")
        MEALS = "meals", _("Meals")
        CARE = "care", _("Care or childcare cover")
        OTHER = "other", _("Other")

    programme = models.ForeignKey(
        "workshops.Programme", on_delete=models.CASCADE, related_name="payment_lines"
    )
    session = models.ForeignKey(
        "workshops.Session",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payment_lines",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payment_lines"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    rate_card = models.ForeignKey(
        RateCard, on_delete=models.PROTECT, null=True, blank=True, related_name="lines"
    )
    worked_on = models.DateField()
    minutes_attended = models.PositiveIntegerField(null=True, blank=True)
    minutes_paid = models.PositiveIntegerField(null=True, blank=True)
    hours = models.DecimalField(max_digits=6, decimal_places=4, null=True, blank=True)
    rate = models.DecimalField(**MONEY, null=True, blank=True)
    amount = models.DecimalField(**MONEY)
    category = models.CharField(max_length=10, choices=Category.choices, blank=True)
    miles = models.DecimalField(max_digits=7, decimal_places=1, null=True, blank=True)
    receipt_note = models.CharField(max_length=200, blank=True)
    over_cap_reason = models.CharField(max_length=200, blank=True)
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="adjustments"
    )
    payment_reference = models.CharField(max_length=60, blank=True)
    paid_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-worked_on", "person_id", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="adjustment") | models.Q(amount__gt=0),
                name="line_amount_positive",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="adjustment") | models.Q(corrects__isnull=False),
                name="adjustment_points_at_a_line",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="paid") | ~models.Q(payment_reference=""),
                name="paid_lines_have_a_reference",
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "status"]),
            models.Index(fields=["person", "worked_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} £{self.amount} for {self.person_id}"


class PaymentEvent(models.Model):
    """The audit trail: every change to a payment line, who, when, from what, to what, why.

    Written by the same service in the same transaction; never updated or deleted.
    """

    line = models.ForeignKey(
        PaymentLine, on_delete=models.PROTECT, related_name="events", null=True
    )
    programme = models.ForeignKey("workshops.Programme", on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10, blank=True)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.from_status}→{self.to_status}"
