"""What the payment pages share."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError


def add_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's refusal on the form: on its field when it names one, else on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def parse_date_or_none(text: str) -> date | None:
    """A yyyy-mm-dd date, or None for anything else."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
