"""The evaluation plan: outcomes, their indicators, and when the wellbeing follow-up is due."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from project.text import clean_text
from workshops.evaluation.models import FollowUp, Indicator, Outcome
from workshops.evaluation.selectors import add_months, baseline_day, rating_question_texts
from workshops.models import Programme

# Real programmes' outcomes run long: Keeping it Personal's first is 267 characters.
OUTCOME_MAX = 400
INDICATOR_MAX = 200
FOLLOW_UP_MONTHS = (1, 36)


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
    title = _outcome_title(title, "title", _("Enter the outcome"))
    last = Outcome.objects.filter(programme=programme).aggregate(last=Max("order"))["last"]
    return Outcome.objects.create(
        programme=programme, title=title, order=0 if last is None else last + 1
    )


@transaction.atomic
def outcome_update(*, outcome: Outcome, title: str) -> Outcome:
    """Reword an outcome."""
    outcome.title = _outcome_title(title, "title", _("Enter the outcome"))
    outcome.save(update_fields=["title"])
    return outcome


@transaction.atomic
def outcome_move(*, outcome: Outcome, up: bool) -> None:
    """Move an outcome one place up or down; orders are renumbered 0, 1, 2… as it goes.

    Locks the programme's outcomes, so two moves at once cannot give two the same place.
    """
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
    title = _outcome_title(title, "title", _("Enter the indicator"), max_length=INDICATOR_MAX)
    if kind not in Indicator.Kind.values:
        raise ValidationError({"kind": _("Choose what evidences the indicator")})
    if kind != Indicator.Kind.FEEDBACK_QUESTION:
        return title, kind, ""
    if question_text not in rating_question_texts(programme=programme):
        raise ValidationError({"question_text": _("Choose the question whose answers count")})
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
    """Move an indicator one place up or down within its outcome.

    Locks the outcome's indicators, so two moves at once cannot give two the same place.
    """
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
    low, high = FOLLOW_UP_MONTHS
    if not low <= months <= high:
        raise ValidationError({"months": _("Enter a number of months from 1 to 36")})
    baseline = baseline_day(programme=programme)
    follow_up, _created = FollowUp.objects.update_or_create(
        programme=programme,
        defaults={
            "baseline_on": baseline,
            "months_after": months,
            "follow_up_on": add_months(baseline, months),
        },
    )
    return follow_up
