"""Reads for answering and building forms: which forms, their questions, who has answered."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from participants.models import Membership, User
from workshops.evaluation import instruments
from workshops.evaluation.models import (
    Choice,
    Form,
    InstrumentLicence,
    Question,
    Response,
    ResponseReceipt,
)
from workshops.models import Programme, Session


def custom_forms(*, programme: Programme, user: Any, with_drafts: bool) -> QuerySet[Form]:
    """A programme's custom forms with their counts and whether this person answered.

    Members see only open forms that have questions; staff see every form.
    """
    forms = (
        Form.objects.filter(programme=programme, kind=Form.Kind.CUSTOM)
        .select_related("session")
        .annotate(
            n_questions=Count("questions", distinct=True),
            n_responses=Count("responses", distinct=True),
            answered=Exists(Response.objects.filter(form=OuterRef("pk"), person=user))
            | Exists(ResponseReceipt.objects.filter(form=OuterRef("pk"), person=user)),
        )
        .order_by("-created_at")
    )
    if not with_drafts:
        forms = forms.filter(n_questions__gt=0).filter(
            Q(closes_at__isnull=True) | Q(closes_at__gt=timezone.now())
        )
    return forms


@dataclass(frozen=True)
class MeasureLink:
    """A wellbeing measure as the people answering it see it: plain words first, the
    instrument's published name small beneath, and whether this person has answered it."""

    form: Form
    answered: bool

    @property
    def title(self) -> str:
        """The measure in plain words ("Wellbeing questions — at the start")."""
        return self.form.plain_title

    @property
    def instrument_name(self) -> str:
        """The instrument's name as published."""
        return instruments.INSTRUMENTS[self.form.instrument].name

    @property
    def items(self) -> int:
        """How many questions it asks."""
        return len(instruments.INSTRUMENTS[self.form.instrument].item_numbers)


def wellbeing_measures(*, programme: Programme, user: User) -> list[MeasureLink]:
    """A programme's wellbeing measures that can be answered (their licence is recorded),
    oldest first, each with whether this person has answered it."""
    licensed = InstrumentLicence.objects.filter(programme=programme).values("instrument")
    forms = (
        Form.objects.filter(programme=programme, kind=Form.Kind.INSTRUMENT, instrument__in=licensed)
        .select_related("programme")
        .annotate(
            answered=Exists(Response.objects.filter(form=OuterRef("pk"), person=user))
            | Exists(ResponseReceipt.objects.filter(form=OuterRef("pk"), person=user))
        )
        .order_by("created_at", "pk")
    )
    return [MeasureLink(form=f, answered=f.answered) for f in forms]


def builder_questions(*, form: Form) -> list[Question]:
    """A form's questions for the builder, each with how many answered it and each option."""
    return list(
        Question.objects.filter(form=form)
        .annotate(n_answers=Count("answers"))
        .prefetch_related(
            Prefetch("choices", queryset=Choice.objects.annotate(n_answers=Count("answers")))
        )
    )


def has_answers(form: Form) -> bool:
    """Someone has answered the form (an anonymous form's responses are kept without names)."""
    return form.responses.exists()


def questions_of(*, form: Form) -> QuerySet[Question]:
    """A form's questions in order, with their options."""
    return form.questions.prefetch_related("choices")


def question_in(*, form: Form, question_id: int) -> Question | None:
    """One question of the form, or None."""
    return Question.objects.filter(pk=question_id, form=form).select_related("form").first()


def has_answered(*, form: Form, user_id: int) -> bool:
    """This person has answered the form (on an anonymous form, their receipt says so)."""
    if form.anonymous:
        return ResponseReceipt.objects.filter(form=form, person_id=user_id).exists()
    return Response.objects.filter(form=form, person_id=user_id).exists()


def previous_answers(*, form: Form, user_id: int) -> dict[str, list[str]]:
    """This person's answers as the page shows them, to change them (never on an anonymous
    form: nothing links them to what they said)."""
    if form.anonymous:
        return {}
    response = (
        Response.objects.filter(form=form, person_id=user_id)
        .prefetch_related("answers__choices")
        .first()
    )
    if response is None:
        return {}
    previous: dict[str, list[str]] = {}
    for a in response.answers.all():
        chosen = [str(c.pk) for c in a.choices.all()]
        previous[f"q{a.question_id}"] = chosen or [str(a.number) if a.number else a.text]
    return previous


def others_in_programme(*, form: Form, user: User) -> list[Membership]:
    """Who else is in the form's programme: people who may have helped, or whom staff help."""
    return list(
        Membership.objects.filter(
            programme_id=form.programme_id, left_on__isnull=True, invited=False
        )
        .exclude(user=user)
        .select_related("user")
        .order_by("user__display_name")
    )


def sessions_of(*, programme: Programme) -> QuerySet[Session]:
    """The programme's sessions in order: a form can be for one of them."""
    return Session.objects.filter(programme=programme).order_by("number")


def licences_of(*, programme: Programme) -> QuerySet[InstrumentLicence]:
    """The licences recorded for the programme's wellbeing instruments."""
    return InstrumentLicence.objects.filter(programme=programme)


def measures_of(*, programme: Programme) -> QuerySet[Form]:
    """The programme's wellbeing measures."""
    return Form.objects.filter(programme=programme, kind=Form.Kind.INSTRUMENT)
