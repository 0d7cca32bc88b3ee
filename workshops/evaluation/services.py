"""Every write to evaluation: forms, licences, responses, outcomes."""

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from participants.models import Membership, User
from workshops.evaluation import instruments
from workshops.evaluation.models import (
    Action,
    Answer,
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
RATING_FACES = {1: "😞", 2: "🙁", 3: "😐", 4: "🙂", 5: "😀"}
# The feedback form stays reachable by its link for a week after the session.
FEEDBACK_OPEN_FOR = timedelta(days=7)


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
        title=f"How was {session.title}?",
        anonymous=anonymous,
        closes_at=session.ends_at + FEEDBACK_OPEN_FOR,
    )
    questions = [
        Question(form=form, order=i, kind=Question.Kind.RATING, text=t)
        for i, t in enumerate(DEFAULT_FEEDBACK_RATINGS)
    ]
    questions += [
        Question(form=form, order=10 + i, kind=Question.Kind.TEXT, text=t, required=False)
        for i, t in enumerate(DEFAULT_FEEDBACK_TEXT)
    ]
    Question.objects.bulk_create(questions)
    return form


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


def _clean_answers(form: Form, raw: dict[str, Any]) -> dict[int, tuple[int | None, str]]:
    errors: dict[str, str] = {}
    cleaned: dict[int, tuple[int | None, str]] = {}
    for question in form.questions.all():
        value = raw.get(f"q{question.pk}", "")
        value = value.strip() if isinstance(value, str) else value
        if question.kind == Question.Kind.TEXT:
            if len(value) > 2000:
                errors[f"q{question.pk}"] = "Keep it under 2,000 characters"
            elif question.required and not value:
                errors[f"q{question.pk}"] = f"Answer: {question.text}"
            elif value:
                cleaned[question.pk] = (None, value)
            continue
        if value in ("", None):
            if question.required:
                errors[f"q{question.pk}"] = f"Choose an answer for: {question.text}"
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = 0
        if not 1 <= number <= 5:
            errors[f"q{question.pk}"] = f"Choose an answer from 1 to 5 for: {question.text}"
            continue
        cleaned[question.pk] = (number, "")
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def response_submit(
    *, form: Form, person: User, answers: dict[str, Any], supported_by: User | None = None
) -> Response:
    """Save someone's answers: one response per person, changeable until the form closes.

    On an anonymous form the response holds no person; a separate receipt records only that
    they answered, so they answer once and nothing links them to what they said.
    """
    if not form.is_open:
        raise ValidationError("This form has closed")
    if not Membership.objects.filter(
        user=person, programme_id=form.programme_id, left_on__isnull=True
    ).exists():
        raise ValidationError("You are not part of this programme")
    if (
        form.kind == Form.Kind.INSTRUMENT
        and not InstrumentLicence.objects.filter(
            programme_id=form.programme_id, instrument=form.instrument
        ).exists()
    ):
        raise ValidationError("This measure cannot be used until its licence is recorded")
    cleaned = _clean_answers(form, answers)
    if form.anonymous:
        if ResponseReceipt.objects.filter(form=form, person=person).exists():
            raise ValidationError("You have already answered: thank you")
        ResponseReceipt.objects.create(form=form, person=person)
        response = Response.objects.create(form=form, person=None, submitted_at=timezone.now())
    else:
        response, _ = Response.objects.get_or_create(form=form, person=person)
        response.supported_by = supported_by
        response.submitted_at = timezone.now()
        response.save()
        response.answers.all().delete()
    Answer.objects.bulk_create(
        Answer(response=response, question_id=qid, number=number, text=text)
        for qid, (number, text) in cleaned.items()
    )
    return response


@transaction.atomic
def outcome_add(
    *, programme: Programme, title: str, indicators: list[tuple[str, str, str]]
) -> Outcome:
    """An outcome with its indicators: (title, kind, question text) each."""
    if not title.strip():
        raise ValidationError({"title": "Enter the outcome"})
    order = Outcome.objects.filter(programme=programme).count()
    outcome = Outcome.objects.create(programme=programme, title=title.strip(), order=order)
    for indicator_title, kind, question_text in indicators:
        if kind not in Indicator.Kind.values:
            raise ValidationError("Choose what evidences the indicator")
        Indicator.objects.create(
            outcome=outcome, title=indicator_title, kind=kind, question_text=question_text
        )
    return outcome


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

    title = title.strip()
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
    action.progress_note = progress_note.strip()[:300]
    action.save(update_fields=["status", "progress_note"])
    return action
