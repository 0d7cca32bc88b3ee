"""Forms for payments: money fields are Decimal with two places."""

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from participants.payments.models import PaymentLine, PaymentPreference, RateCard
from project.text import Text

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class DateInput(forms.DateInput):
    """A native date picker."""

    input_type = "date"


def _first_words(label: "StrOrPromise") -> str:
    return str(label).split(",")[0].lower()


def money_field(
    label: "StrOrPromise",
    *,
    required: bool = True,
    min_value: str = "0.01",
    required_message: "StrOrPromise" = "",
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
            "min_value": _("Enter an amount above £0"),
            "invalid": _("Enter an amount in pounds, like 12.50"),
            # Lazy: the label is translated when the page is made, not when this is imported.
            "required": required_message
            or format_lazy(_("Enter the {}"), lazy(_first_words, str)(label)),
        },
    )


class RateCardForm(forms.Form):
    """A version of the programme's rates."""

    starts_on = forms.DateField(
        label=_("These rates apply from"),
        widget=DateInput(),
        error_messages={"required": _("Enter the date these rates apply from")},
    )
    basis = forms.ChoiceField(
        label=_("Pay for time as"),
        choices=RateCard.Basis.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose an hourly rate or a fixed fee")},
    )
    hourly_rate = money_field(_("Hourly rate, £ (optional)"), required=False)
    session_fee = money_field(_("Fee per session, £ (optional)"), required=False)
    preparation_minutes = forms.IntegerField(
        label=_("Preparation time allowed (minutes)"),
        min_value=0,
        max_value=480,
        initial=0,
        error_messages={"required": _("Enter the preparation time allowed, or 0")},
    )
    rounding_minutes = forms.IntegerField(
        label=_("Round time up to the next (minutes)"),
        min_value=1,
        max_value=120,
        initial=30,
        error_messages={"required": _("Enter the minutes to round time up to, like 30")},
    )
    mileage_rate = money_field(
        _("Mileage rate, £ per mile"),
        min_value="0",
        required_message=_("Enter the mileage rate, or 0"),
    )
    cap_fares = money_field(_("Cap on fares, £ (optional)"), required=False)
    cap_parking = money_field(_("Cap on parking, £ (optional)"), required=False)
    cap_meals = money_field(_("Cap on meals, £ (optional)"), required=False)
    cap_care = money_field(_("Cap on care or childcare cover, £ (optional)"), required=False)
    cap_other = money_field(_("Cap on other expenses, £ (optional)"), required=False)


class ExpenseForm(forms.Form):
    """An expense claim."""

    worked_on = forms.DateField(
        label=_("Date"), widget=DateInput(), error_messages={"required": _("Enter the date")}
    )
    category = forms.ChoiceField(
        label=_("What was it for"),
        choices=PaymentLine.Category.choices,
        error_messages={"required": _("Choose what the expense was for")},
    )
    amount = money_field(_("Amount, £ (not for mileage)"), required=False)
    miles = forms.DecimalField(
        label=_("Miles (mileage only)"),
        required=False,
        max_digits=7,
        decimal_places=1,
        min_value=Decimal("0.1"),
    )
    receipt_note = Text(label=_("Receipt note (optional)"), max_length=200, required=False)
    over_cap_reason = Text(
        label=_("If over the cap, why (optional)"), max_length=200, required=False
    )

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
                    label=_("Which programme is it for"),
                    choices=[("", _("Choose a programme")), *programmes],
                    coerce=int,
                    error_messages={
                        "required": _("Choose which programme the expense is for"),
                        "invalid_choice": _("Choose one of your programmes"),
                    },
                ),
                **self.fields,
            }
        if people is not None:
            self.fields = {
                "person": forms.TypedChoiceField(
                    label=_("Person"),
                    choices=people,
                    coerce=int,
                    error_messages={"required": _("Choose the person")},
                ),
                **self.fields,
            }


class ActionForm(forms.Form):
    """A workflow step on one line."""

    action = forms.ChoiceField(
        choices=[(a, a) for a in ("approve", "query", "answer", "decline", "send", "pay")],
        error_messages={"required": _("Choose what to do with the line")},
    )
    reason = Text(label=_("Reason"), max_length=300, required=False)
    payment_reference = Text(label=_("Payment reference"), max_length=60, required=False)
    paid_on = forms.DateField(label=_("Paid on"), required=False, widget=DateInput())


class AdjustmentForm(forms.Form):
    """A correction to an approved or later line."""

    amount = forms.DecimalField(
        label=_("Adjustment, £ (use a minus sign to reduce)"),
        max_digits=10,
        decimal_places=2,
        error_messages={"required": _("Enter the adjustment in pounds, like -5.00")},
    )
    reason = Text(
        label=_("Why"),
        max_length=300,
        error_messages={"required": _("Say why the line needs correcting")},
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
            raise forms.ValidationError(_("Choose the lines again")) from None


class BulkForm(forms.Form):
    """Approve, send or mark paid every eligible line (of a session): shown first, then confirmed
    for exactly the lines that were shown."""

    action = forms.ChoiceField(
        choices=[("approve", "approve"), ("pay", "pay"), ("send", "send")],
        error_messages={"required": _("Choose what to do")},
    )
    session = forms.IntegerField(required=False)
    line = LineIdsField(required=False)
    chosen = forms.BooleanField(required=False)
    confirm = forms.BooleanField(required=False)
    payment_reference = Text(label=_("Payment reference"), max_length=60, required=False)
    paid_on = forms.DateField(label=_("Paid on"), required=False, widget=DateInput())


class PreferenceForm(forms.Form):
    """How I would like to be paid."""

    method = forms.ChoiceField(
        label=_("How would you like to be paid?"),
        choices=PaymentPreference.Method.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how to be paid")},
    )
    reduced_amount = money_field(
        _("Reduced amount per session, £ (only if you chose a reduced amount)"), required=False
    )


UC_DAY_ERROR = _("Enter a day between 1 and 31, or leave it empty")


def uc_day_field(label: "StrOrPromise", *, help_text: "StrOrPromise") -> forms.IntegerField:
    """The day of the month a Universal Credit assessment period starts, or empty."""
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=1,
        max_value=31,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "min_value": UC_DAY_ERROR,
            "max_value": UC_DAY_ERROR,
            "invalid": UC_DAY_ERROR,
        },
    )


class UcPeriodForm(forms.Form):
    """The day my Universal Credit assessment period starts."""

    uc_assessment_day = uc_day_field(
        _("My assessment period starts on this day of each month"),
        help_text=_(
            "It is on your Universal Credit statement, e.g. 3 for the 3rd of each month. Leave "
            "it empty if not on Universal Credit."
        ),
    )


class StatementForm(forms.Form):
    """The dates a statement covers, both included."""

    start = forms.DateField(
        label=_("From"),
        widget=DateInput(),
        error_messages={
            "required": _("Enter the first day, like 2026-04-06"),
            "invalid": _("Enter the first day, like 2026-04-06"),
        },
    )
    end = forms.DateField(
        label=_("To"),
        widget=DateInput(),
        error_messages={
            "required": _("Enter the last day, like 2027-04-05"),
            "invalid": _("Enter the last day, like 2027-04-05"),
        },
    )

    def clean(self) -> dict[str, Any]:
        """The end is on or after the start."""
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end date must be on or after the start date"))
        return data


class OrganiserPreferenceForm(PreferenceForm):
    """What the organiser records: benefits and finance references (never bank details)."""

    receives_benefits = forms.TypedChoiceField(
        label=_("Do they receive benefits?"),
        required=False,
        widget=forms.RadioSelect,
        choices=[("yes", _("Yes")), ("no", _("No")), ("", _("Not known"))],
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
    )
    benefits_advice_offered_on = forms.DateField(
        label=_("Independent benefits advice offered on (optional)"),
        required=False,
        widget=DateInput(),
    )
    works_in_public_sector = forms.TypedChoiceField(
        label=_("Do they work in the public sector?"),
        required=False,
        widget=forms.RadioSelect,
        choices=[("yes", _("Yes")), ("no", _("No")), ("", _("Not known"))],
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
    )
    payee_reference = Text(
        label=_("Payee reference from finance (optional)"), max_length=40, required=False
    )
    cost_code = Text(label=_("Cost code (optional)"), max_length=40, required=False)
    uc_assessment_day = uc_day_field(
        _("Their Universal Credit assessment period starts on this day of each month (optional)"),
        help_text=_(
            "It is on their Universal Credit statement, e.g. 3 for the 3rd of each month. Leave "
            "it empty if not on Universal Credit."
        ),
    )


class AttendanceForm(forms.Form):
    """A person's times in the register."""

    person = forms.IntegerField(min_value=1, error_messages={"required": _("Choose the person")})
    checked_in_at = forms.TimeField(
        label=_("Time in"),
        widget=forms.TimeInput(attrs={"type": "time"}),
        error_messages={"required": _("Enter the time they arrived")},
    )
    checked_out_at = forms.TimeField(
        label=_("Time out"),
        widget=forms.TimeInput(attrs={"type": "time"}),
        error_messages={"required": _("Enter the time they left")},
    )


class ConfirmRegisterForm(forms.Form):
    """Confirm a session's register (payment lines are made from it)."""

    confirm = forms.BooleanField(
        error_messages={"required": _("Tick to confirm the register is right")}
    )


class ThresholdsForm(forms.Form):
    """When to warn the organiser about one person's totals."""

    threshold_week = money_field(_("Warn above this much in a week, £ (optional)"), required=False)
    threshold_month = money_field(
        _("Warn above this much in a month, £ (optional)"), required=False
    )
    threshold_tax_year = money_field(
        _("Warn above this much in a tax year (6 April to 5 April), £ (optional)"), required=False
    )
    overdue_after_days = forms.IntegerField(
        label=_("Show a line as overdue when it is unpaid this many days after its session"),
        required=False,
        min_value=1,
        max_value=365,
        initial=14,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("Enter a number of days between 1 and 365, like 14"),
            "min_value": _("Enter a number of days between 1 and 365, like 14"),
            "max_value": _("Enter a number of days between 1 and 365, like 14"),
            "invalid": _("Enter a number of days between 1 and 365, like 14"),
        },
    )
