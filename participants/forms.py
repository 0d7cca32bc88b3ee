"""Forms for people."""

from typing import Any

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms

from participants.models import Role
from project.text import Name, Text


class SignupForm(AllauthSignupForm):
    """Staff sign-up: a name as well as an email address and password."""

    display_name = Name(
        label="Your name", max_length=80, error_messages={"required": "Enter your name"}
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, message in (
            ("email", "Enter your email address"),
            ("password1", "Enter a password"),
            ("password2", "Enter the password again"),
        ):
            if name in self.fields:
                self.fields[name].error_messages["required"] = message

    def save(self, request: Any) -> Any:
        user = super().save(request)
        user.display_name = self.cleaned_data["display_name"].strip()
        user.save(update_fields=["display_name"])
        return user


class AddPersonForm(forms.Form):
    """Add a person to a programme, with or without an email address."""

    display_name = Name(
        label="Name", max_length=80, error_messages={"required": "Enter the person’s name"}
    )
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        help_text="Only if they want to sign in from an emailed code. People can join without one.",
    )
    # Least powerful first and nothing chosen for the organiser: "Organiser" sees everyone's
    # payments, so it must be a deliberate choice.
    role = forms.ChoiceField(
        label="Role in this programme",
        choices=[
            (r.value, r.label)
            for r in (
                Role.LIVED_EXPERIENCE,
                Role.CARER,
                Role.PRACTITIONER,
                Role.FACILITATOR,
                Role.ORGANISER,
            )
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the person's role in this programme"},
    )


class TextSizeForm(forms.Form):
    """Choose larger or standard text on this device."""

    large_text = forms.TypedChoiceField(
        choices=[("1", "Larger text"), ("0", "Standard text")],
        coerce=lambda value: value == "1",
        error_messages={"required": "Choose a text size", "invalid_choice": "Choose a text size"},
    )
    next = Text(max_length=2000, required=False)
