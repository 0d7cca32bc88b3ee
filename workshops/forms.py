"""Forms for programmes, sessions, agendas and joining."""

from datetime import datetime, time
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from participants.models import Role
from project.text import Name, Text
from workshops.models import Activity, Programme, Session
from workshops.services import RSVP_NEEDS_MAX, validate_online_link

HTTPS_MESSAGE = _("Enter the full link, starting with https://, or leave it empty")


# ModelForm is generic only to the type checker (django-stubs); at run time it is a plain class.
if TYPE_CHECKING:
    ProgrammeModelForm = forms.ModelForm[Programme]
    ActivityModelForm = forms.ModelForm[Activity]
else:
    ProgrammeModelForm = ActivityModelForm = forms.ModelForm


class DateInput(forms.DateInput):
    """A native date picker."""

    input_type = "date"


class TimeInput(forms.TimeInput):
    """A native time picker."""

    input_type = "time"


class ProgrammeForm(ProgrammeModelForm):
    """Create a programme."""

    class Meta:
        model = Programme
        fields = ["name", "site", "focus", "starts_on", "ends_on"]
        labels = {
            "focus": _("Focus (optional)"),
            "starts_on": _("Starts on"),
            "ends_on": _("Ends on"),
        }
        error_messages = {
            "name": {"required": _("Enter the programme’s name")},
            "site": {"required": _("Enter the site or locality")},
            "starts_on": {"required": _("Enter the start date"), "invalid": _("Enter a real date")},
            "ends_on": {"required": _("Enter the end date"), "invalid": _("Enter a real date")},
        }
        help_texts = {
            "site": _("For example, the town or partnership the sessions happen in"),
            "focus": _("For example, living with dementia"),
        }
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}
        field_classes = {"name": Text, "site": Text, "focus": Text}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", gettext("The end date must be on or after the start date"))
        return data


class SessionForm(forms.Form):
    """Schedule a session."""

    title = Text(max_length=120, error_messages={"required": _("Enter the session’s title")})
    date = forms.DateField(
        widget=DateInput(),
        error_messages={
            "required": _("Enter the date of the session"),
            "invalid": _("Enter a real date"),
        },
    )
    start_time = forms.TimeField(
        label=_("Starts at"),
        widget=TimeInput(),
        error_messages={
            "required": _("Enter the time it starts"),
            "invalid": _("Enter a time, like 10:00"),
        },
    )
    end_time = forms.TimeField(
        label=_("Ends at"),
        widget=TimeInput(),
        error_messages={
            "required": _("Enter the time it ends"),
            "invalid": _("Enter a time, like 12:30"),
        },
    )
    place = Text(
        label=_("Venue address (optional)"),
        max_length=200,
        required=False,
        help_text=_("Where people come to, for example the room and building"),
    )
    online_link = Text(
        label=_("Online link (optional)"),
        max_length=300,
        required=False,
        help_text=_("For a video call: the full link, starting with https://"),
    )

    def clean_online_link(self) -> str:
        value = self.cleaned_data.get("online_link") or ""
        try:
            value = validate_online_link(value)
        except ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["online_link"]) from None
        if value:
            URLValidator(schemes=["https"], message=HTTPS_MESSAGE)(value)
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if day and start and end:
            if end <= start:
                self.add_error("end_time", gettext("The session must end after it starts"))
            else:
                data["starts_at"] = self._aware(day, start)
                data["ends_at"] = self._aware(day, end)
        return data

    @staticmethod
    def _aware(day: Any, at: time) -> datetime:
        return timezone.make_aware(datetime.combine(day, at))


class ActivityForm(ActivityModelForm):
    """Add an activity to a session's agenda."""

    class Meta:
        model = Activity
        fields = ["kind", "title", "timebox_minutes"]
        labels = {"kind": _("What kind of activity"), "timebox_minutes": _("Time (minutes)")}
        field_classes = {"title": Text}
        error_messages = {
            "kind": {"required": _("Choose what kind of activity it is")},
            "title": {"required": _("Enter the activity’s title")},
            "timebox_minutes": {
                "required": _("Enter how many minutes the activity takes"),
                "invalid": _("Enter a number of minutes, like 20"),
            },
        }

    def clean_timebox_minutes(self) -> int:
        minutes: int = self.cleaned_data["timebox_minutes"]
        if not 1 <= minutes <= 480:
            raise forms.ValidationError(gettext("Enter a time between 1 and 480 minutes"))
        return minutes


class MoveRoomForm(forms.Form):
    """Move the room to an activity."""

    activity = forms.IntegerField(
        min_value=1, error_messages={"required": _("Choose the activity to move to")}
    )


class AdmissionForm(forms.Form):
    """Open the doors, or use a waiting list."""

    admission = forms.ChoiceField(
        choices=Session.Admission.choices,
        error_messages={"required": _("Choose how people get in")},
    )


class CoFacilitatorForm(forms.Form):
    """Make a contributor co-facilitator of the session, or stop it."""

    co_facilitator = forms.TypedChoiceField(
        choices=[("yes", _("Make co-facilitator")), ("no", _("Stop co-facilitating"))],
        coerce=lambda value: value == "yes",
        error_messages={
            "required": _("Choose whether they co-facilitate"),
            "invalid_choice": _("Choose whether they co-facilitate"),
        },
    )


class JoinCodeForm(forms.Form):
    """Type the code shown in the room."""

    code = Text(
        label=_("Session code"),
        max_length=12,
        help_text=_("The 6 numbers shown on the screen in the room, for example 482 913"),
        error_messages={"required": _("Enter the 6 numbers shown on the screen")},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "autocapitalize": "off"}
        ),
    )

    def clean_code(self) -> str:
        digits = "".join(ch for ch in self.cleaned_data["code"] if ch.isdigit())
        if len(digits) != 6:
            raise forms.ValidationError(gettext("Enter the 6 numbers shown on the screen"))
        return digits


JOIN_ROLE_CHOICES = [
    (Role.LIVED_EXPERIENCE.value, _("I use services, or live with the condition")),
    (Role.CARER.value, _("I am an unpaid carer")),
    (Role.PRACTITIONER.value, _("I work in health or social care")),
]


class WhoAreYouForm(forms.Form):
    """Pick your name from the programme's list, or give a new one."""

    person = forms.TypedChoiceField(
        label=_("Choose your name"), required=False, coerce=int, empty_value=None
    )
    new_name = Name(label=_("Your name"), max_length=80, required=False)
    role = forms.ChoiceField(
        label=_("How are you taking part?"),
        choices=JOIN_ROLE_CHOICES,
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, people: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person_field: forms.TypedChoiceField = self.fields["person"]  # type: ignore[assignment]
        person_field.choices = [(p.pk, p.display_name) for p in people] + [
            ("", gettext("I'm not on this list"))
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("person"):
            return data
        if not (data.get("new_name") or "").strip():
            self.add_error("new_name", gettext("Enter your name, or choose it from the list"))
        if not data.get("role"):
            self.add_error("role", gettext("Choose how you are taking part"))
        return data


class TurnLimitForm(forms.Form):
    """The soft limit for one turn."""

    seconds = forms.IntegerField(
        label=_("Gentle time limit for a turn (seconds)"),
        min_value=15,
        max_value=3600,
        error_messages={"required": _("Enter a time limit in seconds, like 120")},
    )


class CancelSessionForm(forms.Form):
    """Cancel a session, saying why."""

    reason = Text(
        label=_("Why is it cancelled?"),
        max_length=200,
        help_text=_("Everyone in the programme sees this"),
        error_messages={"required": _("Say why the session is cancelled")},
    )


class CopyAgendaForm(forms.Form):
    """Copy the agenda of another session of the programme."""

    from_session = forms.TypedChoiceField(
        label=_("Copy the agenda of"),
        coerce=int,
        error_messages={
            "required": _("Choose a session to copy"),
            "invalid_choice": _("Choose another session of this programme"),
        },
    )

    def __init__(self, *args: Any, sessions: list[Session], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["from_session"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", gettext("Choose a session"))] + [
            (
                s.pk,
                gettext("Session %(number)s: %(title)s") % {"number": s.number, "title": s.title},
            )
            for s in sessions
        ]


class SaveTemplateForm(forms.Form):
    """Save a session's agenda as a template."""

    name = Text(
        label=_("Template name"),
        max_length=120,
        error_messages={"required": _("Give the template a name")},
    )


class UseTemplateForm(forms.Form):
    """Start a session's agenda from a template."""

    template = forms.TypedChoiceField(
        label=_("Template"),
        coerce=int,
        error_messages={
            "required": _("Choose a template"),
            "invalid_choice": _("Choose one of this programme's templates"),
        },
    )

    def __init__(self, *args: Any, templates: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["template"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", gettext("Choose a template"))] + [(t.pk, t.name) for t in templates]


class RsvpForm(forms.Form):
    """A member's answer: coming or not, and what would help them get there."""

    answer = forms.ChoiceField(
        label=_("Are you coming?"),
        choices=[("yes", _("Coming")), ("no", _("Not coming"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose Coming or Not coming")},
    )
    needs = Text(
        label=_("Transport or care needs (optional)"),
        max_length=RSVP_NEEDS_MAX,
        multiline=True,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example, a taxi from home, or a quiet space for a break"),
    )
