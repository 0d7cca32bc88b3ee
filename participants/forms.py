"""Forms for people."""

from typing import Any

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms

from participants.models import Role
from project.text import Name, Text


class SignupForm(AllauthSignupForm):
    """Staff sign-up: a name as well as an email address and password."""

    display_name = Name(label="Your name", max_length=80)

    def save(self, request: Any) -> Any:
        user = super().save(request)
        user.display_name = self.cleaned_data["display_name"].strip()
        user.save(update_fields=["display_name"])
        return user


class AddPersonForm(forms.Form):
    """Add a person to a programme, with or without an email address."""

    display_name = Name(label="Name", max_length=80)
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        help_text="Only if they want to sign in from an emailed code. People can join without one.",
    )
    role = forms.ChoiceField(label="Role in this programme", choices=Role.choices)


class TextSizeForm(forms.Form):
    """Choose larger text on this device."""

    large_text = forms.BooleanField(required=False)
    next = Text(max_length=2000, required=False)
