"""Every write to evaluation: forms, licences, responses, outcomes."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from participants.models import Membership, User
from project.text import CONTROL_MESSAGE, clean_text, has_control_characters
from workshops.evaluation import instruments
from workshops.evaluation.models import (
    Action,
    Answer,
    Choice,
    FollowUp,
    FollowUpReminder,
    Form,
    Indicator,
    InstrumentLicence,
    Outcome,
    Question,
    Response,
    ResponseReceipt,
)
from workshops.models import Programme, Session

DEFAULT_FEEDBACK_RATINGS = [
    "I felt listened to",
    "I could say what I wanted to say",
    "I learned something",
    "My ideas made a difference",
]
DEFAULT_FEEDBACK_TEXT = ["What worked well?", "What could be better?"]
RATING_WORDS = {1: "Not at all", 2: "A little", 3: "Somewhat", 4: "Mostly", 5: "Completely"}
# Drawn faces (the mouth of each, as an SVG path), not emoji: an emoji is a box on a device
# without an emoji font, and looks different on every phone.
RATING_FACES = {
    1: "M9 24 Q16 15 23 24",
    2: "M10 22.5 Q16 18.5 22 22.5",
    3: "M10 21 L22 21",
    4: "M10 20 Q16 24.5 22 20",
    5: "M9 19 Q16 28 23 19",
}
# The feedback form stays reachable by its link for a week after the session.
FEEDBACK_OPEN_FOR = timedelta(days=7)
# What the builder offers; instrument items come only from the published instruments.
BUILDER_KINDS = [
    Question.Kind.RATING,
    Question.Kind.SINGLE,
    Question.Kind.MULTIPLE,
    Question.Kind.TEXT,
]
MAX_OPTIONS = 20
INSTRUMENT_REFUSAL = (
    "Standard instruments are worded and ordered as published: they cannot be changed"
)


@transaction.atomic
def feedback_form_for(*, session: Session, anonymous: bool = False) -> Form:
    """The session's feedback form, made with the default questions the first time."""
    form = Form.objects.filter(session=session, kind=Form.Kind.FEEDBACK).first()
    if form is not None:
        return form
    try:
        # Every phone in the room asks for the form at the same moment when the room moves to
        # feedback: one of them makes it; the others find it.
        with transaction.atomic():
            return _make_feedback_form(session, anonymous)
    except IntegrityError:
        return Form.objects.get(session=session, kind=Form.Kind.FEEDBACK)


def _make_feedback_form(session: Session, anonymous: bool) -> Form:
    form = Form.objects.create(
        programme_id=session.programme_id,
        session=session,
        kind=Form.Kind.FEEDBACK,
        title=f"Your feedback on ‘{session.title}’",
        anonymous=anonymous,
        closes_at=session.ends_at + FEEDBACK_OPEN_FOR,
    )
    template = (
        Form.objects.filter(programme_id=session.programme_id, kind=Form.Kind.TEMPLATE)
        .prefetch_related("questions__choices")
        .first()
    )
    if template is None:
        _add_default_questions(form)
    else:
        _copy_questions(template, form)
    return form


def _add_default_questions(form: Form) -> None:
    questions = [
        Question(form=form, order=i, kind=Question.Kind.RATING, text=t)
        for i, t in enumerate(DEFAULT_FEEDBACK_RATINGS)
    ]
    questions += [
        Question(form=form, order=10 + i, kind=Question.Kind.TEXT, text=t, required=False)
        for i, t in enumerate(DEFAULT_FEEDBACK_TEXT)
    ]
    Question.objects.bulk_create(questions)


def _copy_questions(source: Form, target: Form) -> None:
    """Copy questions and their options: later edits to the source leave the copy alone."""
    originals = list(source.questions.all())
    copies = Question.objects.bulk_create(
        Question(
            form=target,
            order=q.order,
            kind=q.kind,
            text=q.text,
            help_text=q.help_text,
            required=q.required,
        )
        for q in originals
    )
    Choice.objects.bulk_create(
        Choice(question=copy, order=c.order, text=c.text)
        for original, copy in zip(originals, copies, strict=True)
        for c in original.choices.all()
    )


@transaction.atomic
def feedback_template_for(*, programme: Programme) -> Form:
    """The programme's feedback questions, made from the defaults the first time."""
    template = Form.objects.filter(programme=programme, kind=Form.Kind.TEMPLATE).first()
    if template is not None:
        return template
    try:
        with transaction.atomic():
            template = Form.objects.create(
                programme=programme, kind=Form.Kind.TEMPLATE, title="Feedback questions"
            )
            _add_default_questions(template)
            return template
    except IntegrityError:
        return Form.objects.get(programme=programme, kind=Form.Kind.TEMPLATE)


@transaction.atomic
def form_create(
    *,
    programme: Programme,
    title: str,
    session: Session | None = None,
    anonymous: bool = False,
    closes_at: datetime | None = None,
) -> Form:
    """A custom form for a programme, optionally for one session, anonymous, or closing."""
    title = _clean_title(title)
    if session is not None and session.programme_id != programme.pk:
        raise ValidationError({"session": "Choose a session of this programme"})
    if closes_at is not None and closes_at <= timezone.now():
        raise ValidationError({"closes_at": "The closing date must be in the future"})
    return Form.objects.create(
        programme=programme,
        session=session,
        kind=Form.Kind.CUSTOM,
        title=title,
        anonymous=anonymous,
        closes_at=closes_at,
    )


def _clean_title(title: str) -> str:
    title = title.strip()
    if not title:
        raise ValidationError({"title": "Enter a title for the form"})
    if len(title) > 120:
        raise ValidationError({"title": "Keep the title under 120 characters"})
    return clean_text(title, "title", max_length=120)


def _locked_custom(form: Form) -> Form:
    if form.kind != Form.Kind.CUSTOM:
        raise ValidationError("Only a form built for this programme has settings to change")
    return Form.objects.select_for_update().get(pk=form.pk)


def has_answers(form: Form) -> bool:
    """Someone has answered the form (an anonymous form's responses are kept without names)."""
    return form.responses.exists()


@transaction.atomic
def form_settings_update(
    *, form: Form, title: str, anonymous: bool, closes_at: datetime | None
) -> Form:
    """Rename a custom form, set or clear its closing date, or (before any answer) its anonymity.

    Whether a form keeps names cannot change once someone has answered: they answered on the
    promise the form made them.
    """
    locked = _locked_custom(form)
    title = _clean_title(title)
    if anonymous != locked.anonymous and has_answers(locked):
        raise ValidationError(
            {
                "anonymous": "People have answered this form already, so whether it keeps "
                "names cannot change now"
            }
        )
    # An unchanged date that has passed is fine: the form simply stays closed.
    if closes_at is not None and closes_at != locked.closes_at and closes_at <= timezone.now():
        raise ValidationError({"closes_at": "The closing date must be in the future"})
    locked.title, locked.anonymous, locked.closes_at = title, anonymous, closes_at
    locked.save(update_fields=["title", "anonymous", "closes_at"])
    return locked


@transaction.atomic
def form_close(*, form: Form) -> Form:
    """Close a custom form now: answers already given stay, no more can be given or changed."""
    locked = _locked_custom(form)
    if not locked.is_open:
        raise ValidationError("This form is closed already")
    locked.closes_at = timezone.now()
    locked.save(update_fields=["closes_at"])
    return locked


def _check_editable(form: Form) -> None:
    if not form.editable:
        raise ValidationError(INSTRUMENT_REFUSAL)


def _clean_wording(text: str, help_text: str) -> tuple[str, str]:
    text, help_text = text.strip(), help_text.strip()
    if not text:
        raise ValidationError({"text": "Enter the question"})
    if len(text) > 200:
        raise ValidationError({"text": "Keep the question under 200 characters"})
    if len(help_text) > 200:
        raise ValidationError({"help_text": "Keep the help text under 200 characters"})
    return (
        clean_text(text, "text", max_length=200),
        clean_text(help_text, "help_text", max_length=200),
    )


def _check_options(options: list[str]) -> None:
    if len(options) < 2:
        raise ValidationError({"options": "Enter at least two options, one on each line"})
    if len(options) > MAX_OPTIONS:
        raise ValidationError({"options": f"Offer at most {MAX_OPTIONS} options"})
    if any(len(o) > 120 for o in options):
        raise ValidationError({"options": "Keep each option under 120 characters"})
    if len({o.casefold() for o in options}) != len(options):
        raise ValidationError({"options": "Each option must be different"})
    for option in options:
        clean_text(option, "options", max_length=120)


def _lines(options: Iterable[str]) -> list[str]:
    return [o.strip() for o in options if o.strip()]


@transaction.atomic
def question_add(
    *,
    form: Form,
    kind: str,
    text: str,
    help_text: str = "",
    required: bool = True,
    options: Iterable[str] = (),
) -> Question:
    """Add a question at the end of a form; choice questions with the options entered."""
    _check_editable(form)
    if kind not in BUILDER_KINDS:
        raise ValidationError({"kind": "Choose what kind of question it is"})
    text, help_text = _clean_wording(text, help_text)
    choices = _lines(options) if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE) else []
    if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        _check_options(choices)
    last = form.questions.aggregate(last=Max("order"))["last"]
    question = Question.objects.create(
        form=form,
        order=0 if last is None else last + 1,
        kind=kind,
        text=text,
        help_text=help_text,
        required=required,
    )
    Choice.objects.bulk_create(
        Choice(question=question, order=i, text=t) for i, t in enumerate(choices)
    )
    return question


@transaction.atomic
def question_update(
    *,
    question: Question,
    text: str,
    help_text: str = "",
    required: bool = True,
    reworded: dict[int, str] | None = None,
    removed: Iterable[int] = (),
    added: Iterable[str] = (),
) -> Question:
    """Reword a question and its options, add options, or remove options nobody chose.

    A question's kind never changes once made, and an option someone chose is never removed,
    so every stored answer keeps meaning what the person meant.
    """
    _check_editable(question.form)
    text, help_text = _clean_wording(text, help_text)
    existing = {c.pk: c for c in question.choices.all()}
    reworded = reworded or {}
    removed_ids = set(removed)
    if not set(reworded) | removed_ids <= set(existing):
        raise ValidationError({"options": "That option is not part of this question"})
    new_texts = _lines(added)
    if question.has_choices:
        chosen = set(
            Answer.choices.through.objects.filter(choice_id__in=removed_ids).values_list(
                "choice_id", flat=True
            )
        )
        if chosen:
            names = ", ".join(f"“{existing[pk].text}”" for pk in sorted(chosen))
            raise ValidationError(
                {"options": f"Someone chose {names}, so it cannot be removed: reword it instead"}
            )
        kept = {pk: (reworded.get(pk, c.text).strip() or c.text) for pk, c in existing.items()}
        for pk in removed_ids:
            kept.pop(pk)
        _check_options(list(kept.values()) + new_texts)
    elif new_texts or removed_ids or reworded:
        raise ValidationError({"options": "Only choice questions have options"})
    question.text, question.help_text, question.required = text, help_text, required
    question.save(update_fields=["text", "help_text", "required"])
    if question.has_choices:
        Choice.objects.filter(pk__in=removed_ids).delete()
        changed = [c for pk, c in existing.items() if pk not in removed_ids and c.text != kept[pk]]
        for choice in changed:
            choice.text = kept[choice.pk]
        Choice.objects.bulk_update(changed, ["text"])
        last = max((c.order for c in existing.values()), default=-1)
        Choice.objects.bulk_create(
            Choice(question=question, order=last + 1 + i, text=t) for i, t in enumerate(new_texts)
        )
    return question


@transaction.atomic
def question_move(*, question: Question, up: bool) -> None:
    """Move a question one place up or down; orders are renumbered 0, 1, 2… as it goes."""
    _check_editable(question.form)
    siblings = list(Question.objects.filter(form_id=question.form_id).order_by("order", "pk"))
    i = next(n for n, q in enumerate(siblings) if q.pk == question.pk)
    j = i - 1 if up else i + 1
    if 0 <= j < len(siblings):
        siblings[i], siblings[j] = siblings[j], siblings[i]
    for n, q in enumerate(siblings):
        q.order = n
    Question.objects.bulk_update(siblings, ["order"])


@transaction.atomic
def question_remove(*, question: Question) -> None:
    """Remove a question nobody has answered yet."""
    _check_editable(question.form)
    if question.answers.exists():
        raise ValidationError(
            f"People have answered “{question.text}”, so it cannot be removed: "
            "reword it or make it optional instead"
        )
    question.delete()


@transaction.atomic
def licence_record(
    *,
    programme: Programme,
    instrument: str,
    licence_holder: str,
    reference: str,
    licensed_on: date,
    by: User,
) -> InstrumentLicence:
    """Record the organisation's licence for an instrument: only then can it be used."""
    if instrument not in instruments.INSTRUMENTS:
        raise ValidationError({"instrument": "Choose WEMWBS or SWEMWBS"})
    if not licence_holder.strip() or not reference.strip():
        raise ValidationError("Enter who holds the licence and its reference")
    licence_holder = clean_text(licence_holder, "licence_holder", max_length=120)
    reference = clean_text(reference, "reference", max_length=80)
    licence, _ = InstrumentLicence.objects.update_or_create(
        programme=programme,
        instrument=instrument,
        defaults={
            "licence_holder": licence_holder.strip(),
            "reference": reference.strip(),
            "licensed_on": licensed_on,
            "recorded_by": by,
        },
    )
    return licence


@transaction.atomic
def instrument_form_create(
    *, programme: Programme, instrument: str, timepoint: str, session: Session | None = None
) -> Form:
    """A wellbeing measure at a timepoint: the instrument's items, worded and ordered exactly."""
    if instrument not in instruments.INSTRUMENTS:
        raise ValidationError("Choose WEMWBS or SWEMWBS")
    if not InstrumentLicence.objects.filter(programme=programme, instrument=instrument).exists():
        raise ValidationError("Record the organisation's licence for this instrument first")
    if timepoint not in (Form.Timepoint.BASELINE, Form.Timepoint.FOLLOW_UP):
        raise ValidationError("Choose baseline or follow-up")
    spec = instruments.INSTRUMENTS[instrument]
    form = Form.objects.create(
        programme=programme,
        session=session,
        kind=Form.Kind.INSTRUMENT,
        title=f"{spec.name}: {Form.Timepoint(timepoint).label.lower()}",
        instrument=instrument,
        timepoint=timepoint,
    )
    Question.objects.bulk_create(
        Question(
            form=form, order=i, kind=Question.Kind.INSTRUMENT_ITEM, text=text, item_number=number
        )
        for i, (number, text) in enumerate(spec.items())
    )
    return form


def _values(raw: dict[str, Any], name: str) -> list[str]:
    value = raw.get(name, "")
    values = value if isinstance(value, list | tuple) else [value]
    return [str(v).strip() for v in values if v is not None and str(v).strip()]


Cleaned = dict[int, tuple[int | None, str, list[int]]]


def _clean_answers(form: Form, raw: dict[str, Any]) -> Cleaned:
    """Check every answer against its question; a value may be a string or a list of them."""
    errors: dict[str, str] = {}
    cleaned: Cleaned = {}
    for question in form.questions.prefetch_related("choices"):
        name = question.field_name
        values = _values(raw, name)
        if question.kind == Question.Kind.MULTIPLE:
            options = {str(c.pk): c.pk for c in question.choices.all()}
            if any(v not in options for v in values):
                errors[name] = f"Choose from the options given for: {question.text}"
            elif not values and question.required:
                errors[name] = f"Choose at least one option for: {question.text}"
            elif values:
                cleaned[question.pk] = (None, "", sorted({options[v] for v in values}))
            continue
        if len(values) > 1:
            errors[name] = f"Give one answer for: {question.text}"
            continue
        value = values[0] if values else ""
        if question.kind == Question.Kind.TEXT:
            if len(value) > 2000:
                errors[name] = "Keep it under 2,000 characters"
            elif has_control_characters(value, multiline=True):
                errors[name] = CONTROL_MESSAGE
            elif question.required and not value:
                errors[name] = f"Answer: {question.text}"
            elif value:
                cleaned[question.pk] = (None, value, [])
            continue
        if not value:
            if question.required:
                errors[name] = f"Choose an answer for: {question.text}"
            continue
        if question.kind == Question.Kind.SINGLE:
            options = {str(c.pk): c.pk for c in question.choices.all()}
            if value not in options:
                errors[name] = f"Choose one of the options given for: {question.text}"
            else:
                cleaned[question.pk] = (None, "", [options[value]])
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = 0
        if not 1 <= number <= 5:
            errors[name] = f"Choose an answer from 1 to 5 for: {question.text}"
            continue
        cleaned[question.pk] = (number, "", [])
    if errors:
        raise ValidationError(errors)
    return cleaned


def _today() -> datetime:
    """The start of today: all an anonymous response says about when it was given."""
    return timezone.make_aware(datetime.combine(timezone.localdate(), time.min))


def _check_answerable(form: Form) -> None:
    if form.kind == Form.Kind.TEMPLATE:
        raise ValidationError("These questions are answered in each session's feedback form")
    if not form.is_open:
        raise ValidationError("This form has closed")
    if (
        form.kind == Form.Kind.INSTRUMENT
        and not InstrumentLicence.objects.filter(
            programme_id=form.programme_id, instrument=form.instrument
        ).exists()
    ):
        raise ValidationError("This measure cannot be used until its licence is recorded")


def _is_member(user: User, form: Form) -> bool:
    return Membership.objects.filter(
        user=user, programme_id=form.programme_id, left_on__isnull=True
    ).exists()


def _save_answers(response: Response, cleaned: Cleaned) -> None:
    saved = Answer.objects.bulk_create(
        Answer(response=response, question_id=qid, number=number, text=text)
        for qid, (number, text, _) in cleaned.items()
    )
    Answer.choices.through.objects.bulk_create(
        Answer.choices.through(answer_id=answer.pk, choice_id=choice_id)
        for answer, (_, _, choice_ids) in zip(saved, cleaned.values(), strict=True)
        for choice_id in choice_ids
    )


@transaction.atomic
def response_submit(
    *,
    form: Form,
    person: User,
    answers: dict[str, Any],
    supported: bool = False,
    supported_by: User | None = None,
) -> Response:
    """Save someone's answers: one response per person, changeable until the form closes.

    On an anonymous form the response holds no person and only the day it was given; a
    separate receipt records only that they answered, so they answer once and nothing links
    them to what they said. A supported response says someone helped fill it in, and who if
    they were chosen (never on an anonymous form, where even the helper could point at the
    person).
    """
    _check_answerable(form)
    if not _is_member(person, form):
        raise ValidationError("You are not part of this programme")
    if supported_by is not None and (supported_by == person or not _is_member(supported_by, form)):
        raise ValidationError({"supported_by": "Choose someone else in the programme"})
    cleaned = _clean_answers(form, answers)
    supported = supported or supported_by is not None
    if form.anonymous:
        if ResponseReceipt.objects.filter(form=form, person=person).exists():
            raise ValidationError("You have already answered: thank you")
        ResponseReceipt.objects.create(form=form, person=person)
        response = Response.objects.create(
            form=form, person=None, supported=supported, submitted_at=_today()
        )
    else:
        response, _ = Response.objects.get_or_create(form=form, person=person)
        response.supported = supported
        response.supported_by = supported_by
        response.submitted_at = timezone.now()
        response.save()
        response.answers.all().delete()
    _save_answers(response, cleaned)
    return response


@transaction.atomic
def response_submit_supported(*, form: Form, by: User, answers: dict[str, Any]) -> Response:
    """Save answers a facilitator filled in with someone, on an anonymous form.

    The response holds no person and no receipt is made for anyone: a receipt in the helped
    person's name would tell whether they had answered, and, written for someone who had not,
    would answer in their name. The view lets only staff who evaluate the programme call it.
    """
    if not form.anonymous:
        raise ValidationError("Only an anonymous form takes answers that name nobody")
    _check_answerable(form)
    if not _is_member(by, form):
        raise ValidationError("You are not part of this programme")
    cleaned = _clean_answers(form, answers)
    response = Response.objects.create(
        form=form, person=None, supported=True, submitted_at=_today()
    )
    _save_answers(response, cleaned)
    return response


# Real programmes' outcomes run long: Keeping it Personal's first is 267 characters.
OUTCOME_MAX = 400
INDICATOR_MAX = 200


def _outcome_title(title: str, key: str, missing: str, *, max_length: int = OUTCOME_MAX) -> str:
    title = clean_text(title, key, max_length=max_length)
    if not title:
        raise ValidationError({key: missing})
    return title


def _renumber[M: (Outcome, Indicator)](items: list[M]) -> None:
    for n, item in enumerate(items):
        item.order = n
    if items:
        type(items[0]).objects.bulk_update(items, ["order"])


def _swap[M: (Outcome, Indicator)](items: list[M], pk: int, up: bool) -> None:
    i = next(n for n, item in enumerate(items) if item.pk == pk)
    j = i - 1 if up else i + 1
    if 0 <= j < len(items):
        items[i], items[j] = items[j], items[i]
    _renumber(items)


@transaction.atomic
def outcome_create(*, programme: Programme, title: str) -> Outcome:
    """A new outcome at the end of the programme's list."""
    title = _outcome_title(title, "title", "Enter the outcome")
    last = Outcome.objects.filter(programme=programme).aggregate(last=Max("order"))["last"]
    return Outcome.objects.create(
        programme=programme, title=title, order=0 if last is None else last + 1
    )


@transaction.atomic
def outcome_update(*, outcome: Outcome, title: str) -> Outcome:
    """Reword an outcome."""
    outcome.title = _outcome_title(title, "title", "Enter the outcome")
    outcome.save(update_fields=["title"])
    return outcome


@transaction.atomic
def outcome_move(*, outcome: Outcome, up: bool) -> None:
    """Move an outcome one place up or down; orders are renumbered 0, 1, 2… as it goes."""
    siblings = list(
        Outcome.objects.select_for_update()
        .filter(programme_id=outcome.programme_id)
        .order_by("order", "pk")
    )
    _swap(siblings, outcome.pk, up)


@transaction.atomic
def outcome_delete(*, outcome: Outcome) -> None:
    """Remove an outcome and its indicators (the evidence itself stays)."""
    programme_id = outcome.programme_id
    outcome.delete()
    _renumber(list(Outcome.objects.filter(programme_id=programme_id).order_by("order", "pk")))


def _indicator_fields(
    programme: Programme, title: str, kind: str, question_text: str
) -> tuple[str, str, str]:
    from workshops.evaluation.selectors import rating_question_texts

    title = _outcome_title(title, "title", "Enter the indicator", max_length=INDICATOR_MAX)
    if kind not in Indicator.Kind.values:
        raise ValidationError({"kind": "Choose what evidences the indicator"})
    if kind != Indicator.Kind.FEEDBACK_QUESTION:
        return title, kind, ""
    if question_text not in rating_question_texts(programme=programme):
        raise ValidationError({"question_text": "Choose the question whose answers count"})
    return title, kind, question_text


@transaction.atomic
def indicator_create(
    *, outcome: Outcome, title: str, kind: str, question_text: str = ""
) -> Indicator:
    """A new indicator at the end of an outcome's list: what evidences it."""
    title, kind, question_text = _indicator_fields(outcome.programme, title, kind, question_text)
    last = outcome.indicators.aggregate(last=Max("order"))["last"]
    return Indicator.objects.create(
        outcome=outcome,
        title=title,
        kind=kind,
        question_text=question_text,
        order=0 if last is None else last + 1,
    )


@transaction.atomic
def indicator_update(
    *, indicator: Indicator, title: str, kind: str, question_text: str = ""
) -> Indicator:
    """Reword an indicator or change what evidences it."""
    fields = _indicator_fields(indicator.outcome.programme, title, kind, question_text)
    indicator.title, indicator.kind, indicator.question_text = fields
    indicator.save(update_fields=["title", "kind", "question_text"])
    return indicator


@transaction.atomic
def indicator_move(*, indicator: Indicator, up: bool) -> None:
    """Move an indicator one place up or down within its outcome."""
    siblings = list(
        Indicator.objects.select_for_update()
        .filter(outcome_id=indicator.outcome_id)
        .order_by("order", "pk")
    )
    _swap(siblings, indicator.pk, up)


@transaction.atomic
def indicator_delete(*, indicator: Indicator) -> None:
    """Remove an indicator."""
    outcome_id = indicator.outcome_id
    indicator.delete()
    _renumber(list(Indicator.objects.filter(outcome_id=outcome_id).order_by("order", "pk")))


@transaction.atomic
def outcome_add(
    *, programme: Programme, title: str, indicators: list[tuple[str, str, str]]
) -> Outcome:
    """An outcome with its indicators: (title, kind, question text) each."""
    outcome = outcome_create(programme=programme, title=title)
    for indicator_title, kind, question_text in indicators:
        indicator_create(
            outcome=outcome, title=indicator_title, kind=kind, question_text=question_text
        )
    return outcome


@transaction.atomic
def follow_up_set(*, programme: Programme, months: int) -> FollowUp:
    """Baseline due at session 1 (or the programme's start), follow-up `months` later."""
    from workshops.evaluation import selectors

    if not 1 <= months <= 36:
        raise ValidationError({"months": "Enter a number of months from 1 to 36"})
    baseline = selectors.baseline_day(programme=programme)
    follow_up, _ = FollowUp.objects.update_or_create(
        programme=programme,
        defaults={
            "baseline_on": baseline,
            "months_after": months,
            "follow_up_on": selectors.add_months(baseline, months),
        },
    )
    return follow_up


REMIND_AGAIN_AFTER = timedelta(days=7)


@dataclass
class Reminded:
    """What one press of "Email reminders" did."""

    sent: list[User]
    cannot_email: list[User]
    reminded_lately: list[User]


@transaction.atomic
def follow_up_remind(*, programme: Programme, site_url: str) -> Reminded:
    """Email everyone due or overdue a wellbeing measure who has an address and said yes to
    being contacted, at most once a week per timepoint; the rest are for the printed list."""
    from participants.selectors import contactable_people
    from workshops.evaluation import selectors

    allowed = contactable_people(programme=programme)
    since = timezone.now() - REMIND_AGAIN_AFTER
    result = Reminded(sent=[], cannot_email=[], reminded_lately=[])
    # One email per person, naming every timepoint they are due (baseline and follow-up can
    # both be overdue).
    due_for: dict[int, list[str]] = {}
    people: dict[int, User] = {}
    for due in selectors.follow_ups_due(programme=programme):
        if due.status == "Not due yet":
            continue
        lately = set(
            FollowUpReminder.objects.filter(
                programme=programme, timepoint=due.timepoint, sent_at__gte=since
            ).values_list("person_id", flat=True)
        )
        for person in due.waiting:
            people[person.pk] = person
            if not person.email or person.pk not in allowed:
                if person not in result.cannot_email:
                    result.cannot_email.append(person)
            elif person.pk in lately:
                if person not in result.reminded_lately:
                    result.reminded_lately.append(person)
            else:
                FollowUpReminder.objects.create(
                    programme=programme, person=person, timepoint=due.timepoint
                )
                due_for.setdefault(person.pk, []).append(due.label.lower())
    messages = []
    for person_id, labels in due_for.items():
        person = people[person_id]
        result.sent.append(person)
        messages.append(
            (
                f"{programme.name}: a few questions about how you are",
                _reminder_text(programme, person, " and ".join(labels), site_url),
                settings.DEFAULT_FROM_EMAIL,
                [str(person.email)],
            )
        )
    if messages:
        transaction.on_commit(lambda: send_mass_mail(messages), robust=True)
    return result


def _reminder_text(programme: Programme, person: User, label: str, site_url: str) -> str:
    return (
        f"Hello {person.display_name},\n\n"
        f"It is time for the {label} wellbeing questions for {programme.name}. "
        "There are 7 or 14 short questions about how you have been feeling. "
        "They take about five minutes.\n\n"
        f"You can answer them after signing in to Comhla: {site_url}\n"
        "Or ask a facilitator at the next session, and they will help.\n\n"
        "You said we could contact you about follow-up. If you would rather we did not, "
        'change your answer on the page "Saying yes or no, and what helps you".\n'
    )


@transaction.atomic
def action_create(
    *,
    programme: Programme,
    by: User,
    title: str,
    card_uids: list[str],
    owner_id: int | None = None,
    due_on: date | None = None,
) -> Action:
    """Turn ideas the group chose into an action with an owner and a due date."""
    from boards.models import Card

    title = clean_text(title, "title", max_length=200)
    if not title:
        raise ValidationError({"title": "Say what will be done"})
    cards = list(
        Card.objects.filter(
            uid__in=card_uids,
            board__activity__session__programme=programme,
            deleted_at__isnull=True,
        )
    )
    if not cards or len(cards) != len(set(card_uids)):
        raise ValidationError({"ideas": "Choose at least one idea from this programme's boards"})
    if (
        owner_id is not None
        and not Membership.objects.filter(
            user_id=owner_id, programme=programme, left_on__isnull=True
        ).exists()
    ):
        raise ValidationError({"owner": "Choose someone in the programme"})
    action = Action.objects.create(
        programme=programme, title=title, owner_id=owner_id, due_on=due_on
    )
    action.ideas.set(cards)
    return action


@transaction.atomic
def action_update(*, action: Action, by: User, status: str, progress_note: str = "") -> Action:
    """Move an action on, with a note people can read."""
    if status not in Action.Status.values:
        raise ValidationError({"status": "Choose a status"})
    action.status = status
    action.progress_note = clean_text(progress_note, "progress_note", max_length=300)
    action.save(update_fields=["status", "progress_note"])
    return action
