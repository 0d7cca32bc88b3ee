"""Forms for people."""

from typing import Any

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils.translation import gettext_lazy as _

from participants.models import Role, Sector
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


class OrganisationForm(forms.Form):
    """Which organisation and sector a person comes from, in one programme."""

    organisation = Text(
        label=_("Organisation (optional)"),
        max_length=120,
        required=False,
        help_text=_("Where they work or volunteer, if anywhere. For example: NHS Fife."),
    )
    sector = forms.ChoiceField(
        label=_("Sector (optional)"),
        choices=[*Sector.choices, ("", _("Not known"))],
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Reports use it to show which sectors worked together."),
        error_messages={"invalid_choice": _("Choose a sector from the list")},
    )


class AddPersonForm(OrganisationForm):
    """Add a person to a programme, with or without an email address."""

    field_order = ("display_name", "email", "role", "organisation", "sector")

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


def _yes_no(question: str, hint: str) -> forms.TypedChoiceField:
    message = f"Choose yes or no: {question[0].lower()}{question[1:]}"
    return forms.TypedChoiceField(
        label=question,
        help_text=hint,
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": message, "invalid_choice": message},
    )


CONSENT_USES = ("take_part", "quotes", "contact", "photos")


class ConsentForm(forms.Form):
    """The Easy Read consent page: yes or no to each use, and what the person needs."""

    take_part = _yes_no("Do you want to take part?", "Come to the sessions and share your ideas.")
    quotes = _yes_no("Can we use your words in reports?", "We will not use your name.")
    contact = _yes_no("Can we contact you later?", "To ask how things went after the sessions.")
    photos = _yes_no("Can we take photos of you?", "Photos of the sessions for reports.")
    supported = forms.BooleanField(label="A supporter helped me answer", required=False)
    large_text = forms.BooleanField(label="Larger text", required=False)
    read_aloud = forms.BooleanField(label="Things read aloud to me", required=False)
    needs_supporter = forms.BooleanField(label="A supporter with me", required=False)
    needs_bsl = forms.BooleanField(label="British Sign Language (BSL)", required=False)
    needs_hearing_loop = forms.BooleanField(label="Hearing loop", required=False)
    needs_transport = forms.BooleanField(label="Help with transport", required=False)
    dietary_needs = Text(
        label="Food and drink",
        max_length=200,
        required=False,
        help_text="For example: no gluten, soft food, halal.",
    )
    other_needs = Text(
        label="Anything else we should know",
        max_length=300,
        multiline=True,
        required=False,
        widget=forms.Textarea,
        help_text="Up to 300 letters.",
    )

    def consent_fields(self) -> list[forms.BoundField]:
        """The four yes-or-no questions, in order."""
        return [self[name] for name in CONSENT_USES]

    def needs_fields(self) -> list[forms.BoundField]:
        """The access needs that are a tick."""
        return [
            self[name]
            for name in (
                "large_text",
                "read_aloud",
                "needs_supporter",
                "needs_bsl",
                "needs_hearing_loop",
                "needs_transport",
            )
        ]


class PaperConsentForm(forms.Form):
    """Answers a person gave on the paper consent form, typed in by a facilitator."""

    take_part = _yes_no("Do they want to take part?", "")
    quotes = _yes_no("Can we use their words in reports?", "Without their name.")
    contact = _yes_no("Can we contact them later?", "To ask how things went.")
    photos = _yes_no("Can we take photos of them?", "")
    supported = forms.BooleanField(label="A supporter helped them answer", required=False)
    have_paper = forms.BooleanField(
        label="I have their signed paper form, and these are its answers",
        error_messages={"required": "Tick to say you have their signed paper form"},
    )

    def consent_fields(self) -> list[forms.BoundField]:
        """The four yes-or-no questions, in order."""
        return [self[name] for name in CONSENT_USES]
