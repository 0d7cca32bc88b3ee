"""Forms for planning an evaluation: outcomes, indicators, moves and the follow-up.

The plan page draws these forms with Django's fields (partials/field.html), so its error
summary links to each input (field_summary).
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from project.text import Text
from workshops.evaluation.models import Indicator
from workshops.evaluation.services.plan import FOLLOW_UP_MONTHS, INDICATOR_MAX, OUTCOME_MAX


class OutcomeForm(forms.Form):
    """An outcome: what the programme sets out to change."""

    title = Text(
        label=_("Outcome"),
        max_length=OUTCOME_MAX,
        help_text=_("What should be different because of the programme"),
        error_messages={
            "required": _("Enter the outcome"),
            "max_length": _("The outcome must be %(limit_value)s characters or fewer"),
        },
    )


class IndicatorForm(forms.Form):
    """An indicator: one kind of evidence for an outcome."""

    title = Text(
        label=_("Indicator"),
        max_length=INDICATOR_MAX,
        help_text=_("What you will see if the outcome happens"),
        error_messages={
            "required": _("Enter the indicator"),
            "max_length": _("The indicator must be %(limit_value)s characters or fewer"),
        },
    )
    kind = forms.ChoiceField(
        label=_("Evidence"),
        choices=Indicator.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what evidences the indicator"),
            "invalid_choice": _("Choose what evidences the indicator"),
        },
    )
    question_text = forms.ChoiceField(
        label=_("Which question (for the average answer to a form question)"),
        required=False,
        error_messages={"invalid_choice": _("Choose the question whose answers count")},
    )

    def __init__(self, *args: Any, questions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        question_field = self.fields["question_text"]
        assert isinstance(question_field, forms.ChoiceField)
        question_field.choices = [("", _("Choose a question"))] + [(q, q) for q in questions]

    def clean(self) -> dict[str, Any]:
        """A form-question indicator names its question; other kinds have none."""
        cleaned = super().clean() or {}
        if cleaned.get("kind") == Indicator.Kind.FEEDBACK_QUESTION:
            if not cleaned.get("question_text"):
                self.add_error("question_text", _("Choose the question whose answers count"))
        else:
            cleaned["question_text"] = ""
        return cleaned


class MoveForm(forms.Form):
    """One place up or down."""

    direction = forms.ChoiceField(
        choices=[("up", _("Up")), ("down", _("Down"))],
        error_messages={
            "required": _("Choose up or down"),
            "invalid_choice": _("Choose up or down"),
        },
    )


class ConfirmForm(forms.Form):
    """ "Yes, remove it" on the page that asks first: without it nothing is removed."""

    confirm = forms.ChoiceField(
        choices=[("yes", _("Yes"))],
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Nothing was removed: press “Yes, remove it” to remove it"),
            "invalid_choice": _("Nothing was removed: press “Yes, remove it” to remove it"),
        },
    )


class FollowUpForm(forms.Form):
    """When the follow-up is due, in months after session 1."""

    months = forms.IntegerField(
        label=_("Follow-up, months after session 1"),
        min_value=FOLLOW_UP_MONTHS[0],
        max_value=FOLLOW_UP_MONTHS[1],
        help_text=_("The baseline is due at session 1. For example 6 or 9"),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("Enter the number of months"),
            "invalid": _("Enter a whole number of months, like 6"),
            "min_value": _("Enter a number of months from 1 to 36"),
            "max_value": _("Enter a number of months from 1 to 36"),
        },
    )


def field_summary(form: forms.Form) -> list[tuple[str, str]]:
    """(anchor, message) for the summary of a form Django draws: each links to its input."""
    items = [("", str(e)) for e in form.non_field_errors()]
    for bound in form:
        # A move's direction and a confirmation are hidden values: no field to link to.
        anchor = "" if isinstance(form, MoveForm | ConfirmForm) else bound.auto_id or ""
        items += [(anchor, str(e)) for e in bound.errors]
    return items
