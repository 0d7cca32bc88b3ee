"""Forms for people."""

from typing import TYPE_CHECKING, Any

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from participants.models import Role, Sector
from project.text import Name, Text

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class SignupForm(AllauthSignupForm):
    """Staff sign-up: a name as well as an email address and password."""

    display_name = Name(
        label=_("Your name"), max_length=80, error_messages={"required": _("Enter your name")}
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, message in (
            ("email", _("Enter your email address")),
            ("password1", _("Enter a password")),
            ("password2", _("Enter the password again")),
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
        label=_("Name"), max_length=80, error_messages={"required": _("Enter the person’s name")}
    )
    email = forms.EmailField(
        label=_("Email address (optional)"),
        required=False,
        help_text=_(
            "Only if they want to sign in from an emailed code. People can join without one."
        ),
    )
    # Least powerful first and nothing chosen for the organiser: "Organiser" sees everyone's
    # payments, so it must be a deliberate choice.
    role = forms.ChoiceField(
        label=_("Role in this programme"),
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
        error_messages={"required": _("Choose the person's role in this programme")},
    )


class TextSizeForm(forms.Form):
    """Choose larger or standard text on this device."""

    large_text = forms.TypedChoiceField(
        choices=[("1", _("Larger text")), ("0", _("Standard text"))],
        coerce=lambda value: value == "1",
        error_messages={
            "required": _("Choose a text size"),
            "invalid_choice": _("Choose a text size"),
        },
    )
    next = Text(max_length=2000, required=False)


def _lower_first(text: "StrOrPromise") -> str:
    text = str(text)
    return f"{text[:1].lower()}{text[1:]}"


def _yes_no(question: "StrOrPromise", hint: "StrOrPromise") -> forms.TypedChoiceField:
    # Lazy: the question is translated when the page is made, not when this is imported.
    message = format_lazy(_("Choose yes or no: {}"), lazy(_lower_first, str)(question))
    return forms.TypedChoiceField(
        label=question,
        help_text=hint,
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": message, "invalid_choice": message},
    )


CONSENT_USES = ("take_part", "quotes", "contact", "photos")


class ConsentForm(forms.Form):
    """The Easy Read consent page: yes or no to each use, and what the person needs."""

    take_part = _yes_no(
        _("Do you want to take part?"), _("Come to the sessions and share your ideas.")
    )
    quotes = _yes_no(_("Can we use your words in reports?"), _("We will not use your name."))
    contact = _yes_no(
        _("Can we contact you later?"), _("To ask how things went after the sessions.")
    )
    photos = _yes_no(_("Can we take photos of you?"), _("Photos of the sessions for reports."))
    supported = forms.BooleanField(label=_("A supporter helped me answer"), required=False)
    large_text = forms.BooleanField(label=_("Larger text"), required=False)
    read_aloud = forms.BooleanField(label=_("Things read aloud to me"), required=False)
    needs_supporter = forms.BooleanField(label=_("A supporter with me"), required=False)
    needs_bsl = forms.BooleanField(label=_("British Sign Language (BSL)"), required=False)
    needs_hearing_loop = forms.BooleanField(label=_("Hearing loop"), required=False)
    needs_transport = forms.BooleanField(label=_("Help with transport"), required=False)
    dietary_needs = Text(
        label=_("Food and drink"),
        max_length=200,
        required=False,
        help_text=_("For example: no gluten, soft food, halal."),
    )
    other_needs = Text(
        label=_("Anything else we should know"),
        max_length=300,
        multiline=True,
        required=False,
        widget=forms.Textarea,
        help_text=_("Up to 300 letters."),
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

    take_part = _yes_no(_("Do they want to take part?"), "")
    quotes = _yes_no(_("Can we use their words in reports?"), _("Without their name."))
    contact = _yes_no(_("Can we contact them later?"), _("To ask how things went."))
    photos = _yes_no(_("Can we take photos of them?"), "")
    supported = forms.BooleanField(label=_("A supporter helped them answer"), required=False)
    have_paper = forms.BooleanField(
        label=_("I have their signed paper form, and these are its answers"),
        error_messages={"required": _("Tick to say you have their signed paper form")},
    )

    def consent_fields(self) -> list[forms.BoundField]:
        """The four yes-or-no questions, in order."""
        return [self[name] for name in CONSENT_USES]
