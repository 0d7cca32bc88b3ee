"""Forms for planning an evaluation: outcomes, indicators, moves and the follow-up."""

from typing import Any

from django import forms

from project.text import Text
from workshops.evaluation.models import Indicator
from workshops.evaluation.services import INDICATOR_MAX, OUTCOME_MAX


class OutcomeForm(forms.Form):
    """An outcome: what the programme sets out to change."""

    title = Text(
        label="Outcome",
        max_length=OUTCOME_MAX,
        help_text="What should be different because of the programme",
        error_messages={
            "required": "Enter the outcome",
            "max_length": f"The outcome must be {OUTCOME_MAX} characters or fewer",
        },
    )


class IndicatorForm(forms.Form):
    """An indicator: one kind of evidence for an outcome."""

    title = Text(
        label="Indicator",
        max_length=INDICATOR_MAX,
        help_text="What you will see if the outcome happens",
        error_messages={
            "required": "Enter the indicator",
            "max_length": f"The indicator must be {INDICATOR_MAX} characters or fewer",
        },
    )
    kind = forms.ChoiceField(
        label="Evidence",
        choices=Indicator.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose what evidences the indicator",
            "invalid_choice": "Choose what evidences the indicator",
        },
    )
    question_text = forms.ChoiceField(
        label="Which question (for the average answer to a form question)",
        required=False,
        error_messages={"invalid_choice": "Choose the question whose answers count"},
    )

    def __init__(self, *args: Any, questions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        question_field = self.fields["question_text"]
        assert isinstance(question_field, forms.ChoiceField)
        question_field.choices = [("", "Choose a question")] + [(q, q) for q in questions]

    def clean(self) -> dict[str, Any]:
        """A form-question indicator names its question; other kinds have none."""
        cleaned = super().clean() or {}
        if cleaned.get("kind") == Indicator.Kind.FEEDBACK_QUESTION:
            if not cleaned.get("question_text"):
                self.add_error("question_text", "Choose the question whose answers count")
        else:
            cleaned["question_text"] = ""
        return cleaned


class MoveForm(forms.Form):
    """One place up or down."""

    direction = forms.ChoiceField(
        choices=[("up", "Up"), ("down", "Down")],
        error_messages={
            "required": "Choose up or down",
            "invalid_choice": "Choose up or down",
        },
    )


class ConfirmForm(forms.Form):
    """A button press with nothing to fill in (the CSRF token is checked by middleware)."""


class FollowUpForm(forms.Form):
    """When the follow-up is due, in months after session 1."""

    months = forms.IntegerField(
        label="Follow-up, months after session 1",
        min_value=1,
        max_value=36,
        help_text="The baseline is due at session 1. For example 6 or 9",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter the number of months",
            "invalid": "Enter a whole number of months, like 6",
            "min_value": "Enter a number of months from 1 to 36",
            "max_value": "Enter a number of months from 1 to 36",
        },
    )
