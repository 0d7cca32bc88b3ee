"""Forms for the evaluation pages that take a post: the builder, wellbeing measures, who is
answering, and "You said, we did" (the plan's are in plan_forms.py, answers in answers.py).

Most evaluation pages write their inputs out by hand; a form's `groups` names the page's group
of a field whose name differs (`closes_on` sits in `closes_at-group`), and its `refusals` the
field a service's refusal belongs to.
"""

import uuid
from datetime import datetime, time
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participants.models import Membership, User
from project.text import Text
from workshops.evaluation import selectors
from workshops.evaluation.models import INSTRUMENT_CHOICES, ActionPoint, Form, Question
from workshops.evaluation.services.action_points import NOTE_MAX
from workshops.evaluation.services.action_points import TITLE_MAX as ACTION_POINT_MAX
from workshops.evaluation.services.builder import (
    BUILDER_KINDS,
    CHOICE_KINDS,
    INSTRUMENT_REFUSAL,
    OPTION_MAX,
    QUESTION_MAX,
    TITLE_MAX,
    check_options,
    lines,
)
from workshops.evaluation.services.measures import HOLDER_MAX, REFERENCE_MAX
from workshops.models import Programme, Session

# The date picker sends YYYY-MM-DD; nothing else is taken for a date (not 31/01/2027).
DATE_FORMATS = ["%Y-%m-%d"]
# The largest id a database row can have: a bigger number is refused, not looked up.
ID_MAX = 2**63 - 1
SOMEONE = _("Choose someone in the programme")


# The page's error summary and the messages beside each field.


def page_errors(*bound: forms.Form) -> dict[str, list[str]]:
    """The forms' errors by the page's name for each field's group; a form's own errors
    (under "__all__") first, as the page shows them first."""
    errors: dict[str, list[str]] = {}
    for form in bound:
        groups: dict[str, str] = getattr(form, "groups", {})
        for name, messages in form.errors.items():
            key = name if name == NON_FIELD_ERRORS else groups.get(name, name)
            errors.setdefault(key, []).extend(str(m) for m in messages)
    return dict(sorted(errors.items(), key=lambda item: item[0] != NON_FIELD_ERRORS))


def summary(errors: dict[str, list[str]], *, linked: bool = True) -> list[tuple[str, str]]:
    """(anchor, message) for the error summary: each links to its field's group on the page
    (`<name>-group`), or to nothing when it is the form's own or the page has no groups."""
    return [
        (f"{key}-group" if linked and key != NON_FIELD_ERRORS else "", message)
        for key, messages in errors.items()
        for message in messages
    ]


def refuse(exc: ValidationError, *bound: forms.Form) -> None:
    """Put a service's refusal on the field it names, in the first of the forms that has it,
    or on the first form as a whole."""
    if not hasattr(exc, "error_dict"):
        bound[0].add_error(None, exc.messages)
        return
    for key, messages in exc.message_dict.items():
        for form in bound:
            name = getattr(form, "refusals", {}).get(key, key)
            if name in form.fields:
                form.add_error(name, messages)
                break
        else:
            bound[0].add_error(None, messages)


# Fields.


class Ticked(forms.Field):
    """A checkbox that sends "1" when ticked; anything else (a hidden "0") is not ticked."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)

    def to_python(self, value: Any) -> bool:
        """Ticked or not."""
        return bool(value == "1")


class Lines(forms.Field):
    """Text with one item on each line (options): the lines, stripped, blank ones left out.

    Each line is checked as an option by the builder's rules (check_options).
    """

    widget = forms.Textarea

    def to_python(self, value: Any) -> list[str]:
        """The non-blank lines."""
        return lines(str(value or "").splitlines())


class Ideas(forms.Field):
    """The ideas (cards) chosen, by their ids."""

    widget = forms.MultipleHiddenInput
    default_error_messages: ClassVar[dict[str, Any]] = {
        "required": _("Choose at least one idea from this programme's boards"),
        "invalid": _("Choose at least one idea from this programme's boards"),
    }

    def to_python(self, value: Any) -> list[str]:
        """The ids sent."""
        return [str(v).strip() for v in value or [] if str(v).strip()]

    def validate(self, value: Any) -> None:
        """At least one, each a card's id."""
        super().validate(value)
        for v in value:
            try:
                uuid.UUID(v)
            except ValueError:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None


def date_field(*, invalid: Any) -> forms.DateField:
    """An optional date from the date picker."""
    return forms.DateField(
        required=False, input_formats=DATE_FORMATS, error_messages={"invalid": invalid}
    )


def id_field(*, invalid: Any, required: bool = False) -> forms.IntegerField:
    """The id of a row the page offered (a person, an action point)."""
    return forms.IntegerField(
        required=required,
        min_value=1,
        max_value=ID_MAX,
        error_messages={
            "required": invalid,
            "invalid": invalid,
            "min_value": invalid,
            "max_value": invalid,
        },
    )


class WhichForm(forms.Form):
    """Which of a page's forms was sent: each carries a hidden `what`."""

    what = Text(max_length=20, required=False)


def which(data: Any) -> str:
    """The `what` a page's form was sent with ("" if none, or nonsense)."""
    form = WhichForm(data)
    return str(form.cleaned_data["what"]) if form.is_valid() else ""


# A programme's own forms and the builder.


class FormDetailsForm(forms.Form):
    """A custom form's title, closing date and anonymity."""

    title = Text(
        max_length=TITLE_MAX,
        error_messages={
            "required": _("Enter a title for the form"),
            "max_length": _("Keep the title under 120 characters"),
        },
    )
    closes_on = date_field(invalid=_("Enter a real date, like 2027-03-31"))
    anonymous = Ticked()

    groups: ClassVar[dict[str, str]] = {"closes_on": "closes_at"}
    refusals: ClassVar[dict[str, str]] = {"closes_at": "closes_on"}
    # The form's closing time as it is: kept if the same day is sent again.
    keep: datetime | None = None

    def clean_closes_on(self) -> datetime | None:
        """The form closes at the end of the day chosen.

        The day the form already closes on keeps its exact time, so saving a form closed
        early today does not reopen it until midnight.
        """
        day = self.cleaned_data.get("closes_on")
        if day is None:
            return None
        if self.keep is not None and timezone.localdate(self.keep) == day:
            return self.keep
        return timezone.make_aware(datetime.combine(day, time(23, 59)))


class FormCreateForm(FormDetailsForm):
    """A new custom form, for the whole programme or one of its sessions."""

    session = forms.ModelChoiceField(
        queryset=Session.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Choose a session of this programme")},
    )
    field_order = ["title", "session", "closes_on", "anonymous"]

    def __init__(self, data: Any = None, *, programme: Programme, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        session = self.fields["session"]
        assert isinstance(session, forms.ModelChoiceField)
        session.queryset = selectors.sessions_of(programme=programme)


class FormSettingsForm(FormDetailsForm):
    """A custom form's settings changed: the date it closes on keeps its time."""

    def __init__(self, data: Any = None, *, questionnaire: Form, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.keep = questionnaire.closes_at


class QuestionWordingForm(forms.Form):
    """A question's wording, help text, and whether it needs an answer."""

    text = Text(
        max_length=QUESTION_MAX,
        error_messages={
            "required": _("Enter the question"),
            "max_length": _("Keep the question under 200 characters"),
        },
    )
    help_text = Text(
        max_length=QUESTION_MAX,
        required=False,
        error_messages={"max_length": _("Keep the help text under 200 characters")},
    )
    required = Ticked()


class QuestionAddForm(QuestionWordingForm):
    """A new question of one of the kinds the builder makes, with options if it has choices."""

    kind = forms.ChoiceField(
        choices=[(k.value, k.label) for k in BUILDER_KINDS],
        error_messages={
            "required": _("Choose what kind of question it is"),
            "invalid_choice": _("Choose what kind of question it is"),
        },
    )
    options = Lines(required=False)
    field_order = ["kind", "text", "help_text", "options", "required"]

    def __init__(self, data: Any = None, *, questionnaire: Form, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.questionnaire = questionnaire

    def clean(self) -> dict[str, Any]:
        """A standard instrument takes no question; a choice question needs its options."""
        cleaned = super().clean() or {}
        if not self.questionnaire.editable:
            raise ValidationError(INSTRUMENT_REFUSAL)
        if cleaned.get("kind") in CHOICE_KINDS:
            try:
                check_options(cleaned.get("options", []))
            except ValidationError as exc:
                refuse(exc, self)
        else:
            cleaned["options"] = []
        return cleaned


class QuestionEditForm(QuestionWordingForm):
    """A question reworded: its options too (`choice-<id>`), some removed, some added."""

    remove = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        error_messages={"invalid_choice": _("That option is not part of this question")},
    )
    added = Lines(required=False)
    refusals: ClassVar[dict[str, str]] = {"options": "added"}

    def __init__(self, data: Any = None, *, question: Question, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        choices = list(question.choices.all())
        for choice in choices:
            self.fields[f"choice-{choice.pk}"] = Text(
                max_length=OPTION_MAX,
                required=False,
                error_messages={"max_length": _("Keep each option under 120 characters")},
            )
        remove = self.fields["remove"]
        assert isinstance(remove, forms.TypedMultipleChoiceField)
        remove.choices = [(str(c.pk), c.text) for c in choices]
        # Every option's input is in the options part of the page.
        self.groups = {name: "options" for name in self.fields if name.startswith("choice-")}
        self.groups.update(remove="options", added="options")

    def reworded(self) -> dict[int, str]:
        """The options' new wordings, by option id (an empty one keeps its wording)."""
        return {
            int(name.removeprefix("choice-")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("choice-") and value
        }


# Wellbeing measures.


class LicenceForm(forms.Form):
    """The organisation's licence for a standard instrument."""

    instrument = forms.ChoiceField(
        choices=INSTRUMENT_CHOICES,
        error_messages={
            "required": _("Choose WEMWBS or SWEMWBS"),
            "invalid_choice": _("Choose WEMWBS or SWEMWBS"),
        },
    )
    licence_holder = Text(max_length=HOLDER_MAX, required=False)
    reference = Text(max_length=REFERENCE_MAX, required=False)
    licensed_on = date_field(invalid=_("Enter a real date"))

    def clean_licensed_on(self) -> Any:
        """The day licensed; today if none is given."""
        return self.cleaned_data.get("licensed_on") or timezone.localdate()

    def clean(self) -> dict[str, Any]:
        """Both who holds the licence and its reference, in one message."""
        cleaned = super().clean() or {}
        missing = [
            name
            for name in ("licence_holder", "reference")
            if name not in self.errors and not cleaned.get(name)
        ]
        if missing:
            raise ValidationError(_("Enter who holds the licence and its reference"))
        return cleaned


class MeasureForm(forms.Form):
    """A wellbeing measure: which instrument, at which timepoint."""

    instrument = forms.ChoiceField(
        choices=INSTRUMENT_CHOICES,
        error_messages={
            "required": _("Choose WEMWBS or SWEMWBS"),
            "invalid_choice": _("Choose WEMWBS or SWEMWBS"),
        },
    )
    timepoint = forms.ChoiceField(
        choices=[
            (Form.Timepoint.BASELINE, _("Baseline")),
            (Form.Timepoint.FOLLOW_UP, _("Follow-up")),
        ],
        error_messages={
            "required": _("Choose baseline or follow-up"),
            "invalid_choice": _("Choose baseline or follow-up"),
        },
    )


# Who is answering.


class RespondentForm(forms.Form):
    """Whose answers they are, and who helped, on a wellbeing measure or a programme's form.

    Staff may answer on behalf of someone they are helping; anyone may say someone helped. On
    an anonymous form nobody is ever named: staff helping someone send answers with no person
    at all (`nameless`), since choosing the person would tell whether they had answered.
    """

    on_behalf_of = forms.ChoiceField(required=False, error_messages={"invalid_choice": SOMEONE})
    for_someone_else = Ticked()
    supported = Ticked()
    helper = forms.ChoiceField(required=False, error_messages={"invalid_choice": SOMEONE})
    refusals: ClassVar[dict[str, str]] = {"supported_by": "helper"}

    def __init__(
        self,
        data: Any = None,
        *,
        questionnaire: Form,
        user: User,
        people: list[Membership],
        helps: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self.questionnaire, self.user, self.helps = questionnaire, user, helps
        self.memberships = people
        self.people = {str(m.user_id): m.user for m in people}
        for name in ("on_behalf_of", "helper"):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", "")] + [(pk, u.display_name) for pk, u in self.people.items()]

    def clean(self) -> dict[str, Any]:
        """Decide whose answers they are: `person` (None if `nameless`), `helper`, `supported`."""
        cleaned = super().clean() or {}
        on_behalf, chosen = cleaned.get("on_behalf_of", ""), cleaned.get("helper", "")
        cleaned.update(nameless=False, person=self.user, helper=None)
        if self.questionnaire.anonymous:
            if on_behalf:
                raise ValidationError(
                    _("On an anonymous form, answers are never saved in anyone's name")
                )
            if cleaned.get("for_someone_else"):
                if not self.helps:
                    raise ValidationError(_("Only staff can send answers for someone else"))
                cleaned.update(nameless=True, person=None)
                return cleaned
        if on_behalf:
            if not self.helps:
                self.add_error("on_behalf_of", SOMEONE)
                return cleaned
            cleaned.update(person=self.people[on_behalf], helper=self.user)
        elif chosen and self.questionnaire.anonymous:
            self.add_error("helper", SOMEONE)
        elif chosen:
            cleaned["helper"] = self.people[chosen]
        cleaned["supported"] = (
            bool(on_behalf) or bool(cleaned.get("supported")) or cleaned["helper"] is not None
        )
        return cleaned


# You said, we did.


class ActionPointForm(forms.Form):
    """A new action point from the group's ideas."""

    title = Text(
        max_length=ACTION_POINT_MAX, error_messages={"required": _("Say what will be done")}
    )
    ideas = Ideas()
    owner = id_field(invalid=SOMEONE)
    due_on = date_field(invalid=_("Enter a real date"))


class ActionPointUpdateForm(forms.Form):
    """An action point moved on: its status, and a note people can read."""

    action = id_field(invalid=_("Choose an action point"), required=True)
    status = forms.ChoiceField(
        choices=ActionPoint.Status.choices,
        error_messages={
            "required": _("Choose a status"),
            "invalid_choice": _("Choose a status"),
        },
    )
    progress_note = Text(max_length=NOTE_MAX, required=False)
