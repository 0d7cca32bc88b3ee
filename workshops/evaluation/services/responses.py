"""Answers to a form: one response per person, or, on an anonymous form, one with no person."""

from collections.abc import Mapping
from datetime import datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.models import Membership, User
from workshops.evaluation.answers import Cleaned, clean_answers
from workshops.evaluation.models import (
    Answer,
    Form,
    InstrumentLicence,
    Response,
    ResponseReceipt,
)


def _today() -> datetime:
    """The start of today: all an anonymous response says about when it was given."""
    return timezone.make_aware(datetime.combine(timezone.localdate(), time.min))


def _check_answerable(form: Form) -> None:
    if form.kind == Form.Kind.TEMPLATE:
        raise ValidationError(_("These questions are answered in each session's feedback form"))
    if not form.is_open:
        raise ValidationError(_("This form has closed"))
    if (
        form.kind == Form.Kind.INSTRUMENT
        and not InstrumentLicence.objects.filter(
            programme_id=form.programme_id, instrument=form.instrument
        ).exists()
    ):
        raise ValidationError(_("This measure cannot be used until its licence is recorded"))


def _is_member(user: User, form: Form) -> bool:
    return Membership.objects.filter(
        user=user, programme_id=form.programme_id, left_on__isnull=True, invited=False
    ).exists()


def _save_answers(response: Response, cleaned: Cleaned) -> None:
    saved = Answer.objects.bulk_create(
        Answer(response=response, question_id=qid, number=number, text=text)
        for qid, (number, text, _choices) in cleaned.items()
    )
    Answer.choices.through.objects.bulk_create(
        Answer.choices.through(answer_id=answer.pk, choice_id=choice_id)
        for answer, (_number, _text, choice_ids) in zip(saved, cleaned.values(), strict=True)
        for choice_id in choice_ids
    )


@transaction.atomic
def response_submit(
    *,
    form: Form,
    person: User,
    answers: Mapping[str, Any],
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
        raise ValidationError(_("You are not part of this programme"))
    if supported_by is not None and (supported_by == person or not _is_member(supported_by, form)):
        raise ValidationError({"supported_by": _("Choose someone else in the programme")})
    cleaned = clean_answers(form=form, answers=answers)
    supported = supported or supported_by is not None
    if form.anonymous:
        if ResponseReceipt.objects.filter(form=form, person=person).exists():
            raise ValidationError(_("You have already answered: thank you"))
        ResponseReceipt.objects.create(form=form, person=person)
        response = Response.objects.create(
            form=form, person=None, supported=supported, submitted_at=_today()
        )
    else:
        response, _created = Response.objects.get_or_create(form=form, person=person)
        response.supported = supported
        response.supported_by = supported_by
        response.submitted_at = timezone.now()
        response.save()
        response.answers.all().delete()
    _save_answers(response, cleaned)
    return response


@transaction.atomic
def response_submit_supported(*, form: Form, by: User, answers: Mapping[str, Any]) -> Response:
    """Save answers a facilitator filled in with someone, on an anonymous form.

    The response holds no person and no receipt is made for anyone: a receipt in the helped
    person's name would tell whether they had answered, and, written for someone who had not,
    would answer in their name. The view lets only staff who evaluate the programme call it.
    """
    if not form.anonymous:
        raise ValidationError(_("Only an anonymous form takes answers that name nobody"))
    _check_answerable(form)
    if not _is_member(by, form):
        raise ValidationError(_("You are not part of this programme"))
    cleaned = clean_answers(form=form, answers=answers)
    response = Response.objects.create(
        form=form, person=None, supported=True, submitted_at=_today()
    )
    _save_answers(response, cleaned)
    return response
