"""Forms for payments: money fields are Decimal with two places."""

from decimal import Decimal
from typing import Any

from django import forms

from participants.payments.models import PaymentLine, PaymentPreference, RateCard
from project.text import Text


class DateInput(forms.DateInput):
    """A native date picker."""

    input_type = "date"


def money_field(
    label: str, *, required: bool = True, min_value: str = "0.01", required_message: str = ""
) -> forms.DecimalField:
    """A pounds-and-pence field."""
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=10,
        decimal_places=2,
        min_value=Decimal(min_value),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={
            "min_value": "Enter an amount above £0",
            "invalid": "Enter an amount in pounds, like 12.50",
            "required": required_message or f"Enter the {label.split(',')[0].lower()}",
        },
    )


class RateCardForm(forms.Form):
    """A version of the programme's rates."""

    starts_on = forms.DateField(
        label="These rates apply from",
        widget=DateInput(),
        error_messages={"required": "Enter the date these rates apply from"},
    )
    basis = forms.ChoiceField(
        label="Pay for time as",
        choices=RateCard.Basis.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose an hourly rate or a fixed fee"},
    )
    hourly_rate = money_field("Hourly rate, £ (optional)", required=False)
    session_fee = money_field("Fee per session, £ (optional)", required=False)
    preparation_minutes = forms.IntegerField(
        label="Preparation time allowed (minutes)",
        min_value=0,
        max_value=480,
        initial=0,
        error_messages={"required": "Enter the preparation time allowed, or 0"},
    )
    rounding_minutes = forms.IntegerField(
        label="Round time up to the next (minutes)",
        min_value=1,
        max_value=120,
        initial=30,
        error_messages={"required": "Enter the minutes to round time up to, like 30"},
    )
    mileage_rate = money_field(
        "Mileage rate, £ per mile", min_value="0", required_message="Enter the mileage rate, or 0"
    )
    cap_fares = money_field("Cap on fares, £ (optional)", required=False)
    cap_parking = money_field("Cap on parking, £ (optional)", required=False)
    cap_meals = money_field("Cap on meals, £ (optional)", required=False)
    cap_care = money_field("Cap on care or childcare cover, £ (optional)", required=False)
    cap_other = money_field("Cap on other expenses, £ (optional)", required=False)


class ExpenseForm(forms.Form):
    """An expense claim."""

    worked_on = forms.DateField(
        label="Date", widget=DateInput(), error_messages={"required": "Enter the date"}
    )
    category = forms.ChoiceField(
        label="What was it for",
        choices=PaymentLine.Category.choices,
        error_messages={"required": "Choose what the expense was for"},
    )
    amount = money_field("Amount, £ (not for mileage)", required=False)
    miles = forms.DecimalField(
        label="Miles (mileage only)",
        required=False,
        max_digits=7,
        decimal_places=1,
        min_value=Decimal("0.1"),
    )
    receipt_note = Text(label="Receipt note (optional)", max_length=200, required=False)
    over_cap_reason = Text(label="If over the cap, why (optional)", max_length=200, required=False)

    def __init__(
        self,
        *args: Any,
        people: list[tuple[int, str]] | None = None,
        programmes: list[tuple[int, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if programmes is not None and len(programmes) > 1:
            # Someone paid in two programmes says which one the expense belongs to.
            self.fields = {
                "programme": forms.TypedChoiceField(
                    label="Which programme is it for",
                    choices=[("", "Choose a programme"), *programmes],
                    coerce=int,
                    error_messages={
                        "required": "Choose which programme the expense is for",
                        "invalid_choice": "Choose one of your programmes",
                    },
                ),
                **self.fields,
            }
        if people is not None:
            self.fields = {
                "person": forms.TypedChoiceField(
                    label="Person",
                    choices=people,
                    coerce=int,
                    error_messages={"required": "Choose the person"},
                ),
                **self.fields,
            }


class ActionForm(forms.Form):
    """A workflow step on one line."""

    action = forms.ChoiceField(
        choices=[(a, a) for a in ("approve", "query", "answer", "decline", "send", "pay")],
        error_messages={"required": "Choose what to do with the line"},
    )
    reason = Text(label="Reason", max_length=300, required=False)
    payment_reference = Text(label="Payment reference", max_length=60, required=False)
    paid_on = forms.DateField(label="Paid on", required=False, widget=DateInput())


class AdjustmentForm(forms.Form):
    """A correction to an approved or later line."""

    amount = forms.DecimalField(
        label="Adjustment, £ (use a minus sign to reduce)",
        max_digits=10,
        decimal_places=2,
        error_messages={"required": "Enter the adjustment in pounds, like -5.00"},
    )
    reason = Text(
        label="Why",
        max_length=300,
        error_messages={"required": "Say why the line needs correcting"},
    )


class LineIdsField(forms.Field):
    """The ids of the lines a bulk action was shown for."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        if not value:
            return []
        try:
            return [int(v) for v in value]
        except (TypeError, ValueError):
            raise forms.ValidationError("Choose the lines again") from None


class BulkForm(forms.Form):
    """Approve, send or mark paid every eligible line (of a session): shown first, then confirmed
    for exactly the lines that were shown."""

    action = forms.ChoiceField(
        choices=[("approve", "approve"), ("pay", "pay"), ("send", "send")],
        error_messages={"required": "Choose what to do"},
    )
    session = forms.IntegerField(required=False)
    line = LineIdsField(required=False)
    chosen = forms.BooleanField(required=False)
    confirm = forms.BooleanField(required=False)
    payment_reference = Text(label="Payment reference", max_length=60, required=False)
    paid_on = forms.DateField(label="Paid on", required=False, widget=DateInput())


class PreferenceForm(forms.Form):
    """How I would like to be paid."""

    method = forms.ChoiceField(
        label="How would you like to be paid?",
        choices=PaymentPreference.Method.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how to be paid"},
    )
    reduced_amount = money_field(
        "Reduced amount per session, £ (only if you chose a reduced amount)", required=False
    )


UC_DAY_ERROR = "Enter a day between 1 and 31, or leave it empty"


def uc_day_field(label: str, *, whose: str = "your") -> forms.IntegerField:
    """The day of the month a Universal Credit assessment period starts, or empty."""
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=1,
        max_value=31,
        help_text=f"It is on {whose} Universal Credit statement, e.g. 3 for the 3rd of each "
        "month. Leave it empty if not on Universal Credit.",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "min_value": UC_DAY_ERROR,
            "max_value": UC_DAY_ERROR,
            "invalid": UC_DAY_ERROR,
        },
    )


class UcPeriodForm(forms.Form):
    """The day my Universal Credit assessment period starts."""

    uc_assessment_day = uc_day_field("My assessment period starts on this day of each month")


class StatementForm(forms.Form):
    """The dates a statement covers, both included."""

    start = forms.DateField(
        label="From",
        widget=DateInput(),
        error_messages={
            "required": "Enter the first day, like 2026-04-06",
            "invalid": "Enter the first day, like 2026-04-06",
        },
    )
    end = forms.DateField(
        label="To",
        widget=DateInput(),
        error_messages={
            "required": "Enter the last day, like 2027-04-05",
            "invalid": "Enter the last day, like 2027-04-05",
        },
    )

    def clean(self) -> dict[str, Any]:
        """The end is on or after the start."""
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "The end date must be on or after the start date")
        return data


class OrganiserPreferenceForm(PreferenceForm):
    """What the organiser records: benefits and finance references (never bank details)."""

    receives_benefits = forms.TypedChoiceField(
        label="Do they receive benefits?",
        required=False,
        widget=forms.RadioSelect,
        choices=[("yes", "Yes"), ("no", "No"), ("", "Not known")],
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
    )
    benefits_advice_offered_on = forms.DateField(
        label="Independent benefits advice offered on (optional)",
        required=False,
        widget=DateInput(),
    )
    works_in_public_sector = forms.TypedChoiceField(
        label="Do they work in the public sector?",
        required=False,
        widget=forms.RadioSelect,
        choices=[("yes", "Yes"), ("no", "No"), ("", "Not known")],
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
    )
    payee_reference = Text(
        label="Payee reference from finance (optional)", max_length=40, required=False
    )
    cost_code = Text(label="Cost code (optional)", max_length=40, required=False)
    uc_assessment_day = uc_day_field(
        "Their Universal Credit assessment period starts on this day of each month (optional)",
        whose="their",
    )


class AttendanceForm(forms.Form):
    """A person's times in the register."""

    person = forms.IntegerField(min_value=1, error_messages={"required": "Choose the person"})
    checked_in_at = forms.TimeField(
        label="Time in",
        widget=forms.TimeInput(attrs={"type": "time"}),
        error_messages={"required": "Enter the time they arrived"},
    )
    checked_out_at = forms.TimeField(
        label="Time out",
        widget=forms.TimeInput(attrs={"type": "time"}),
        error_messages={"required": "Enter the time they left"},
    )


class ConfirmRegisterForm(forms.Form):
    """Confirm a session's register (payment lines are made from it)."""

    confirm = forms.BooleanField(
        error_messages={"required": "Tick to confirm the register is right"}
    )


class ThresholdsForm(forms.Form):
    """When to warn the organiser about one person's totals."""

    threshold_week = money_field("Warn above this much in a week, £ (optional)", required=False)
    threshold_month = money_field("Warn above this much in a month, £ (optional)", required=False)
    threshold_tax_year = money_field(
        "Warn above this much in a tax year (6 April to 5 April), £ (optional)", required=False
    )
    overdue_after_days = forms.IntegerField(
        label="Show a line as overdue when it is unpaid this many days after its session",
        required=False,
        min_value=1,
        max_value=365,
        initial=14,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter a number of days between 1 and 365, like 14",
            "min_value": "Enter a number of days between 1 and 365, like 14",
            "max_value": "Enter a number of days between 1 and 365, like 14",
            "invalid": "Enter a number of days between 1 and 365, like 14",
        },
    )
