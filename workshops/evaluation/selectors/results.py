"""How forms were answered, question by question, and which written answers may be quoted."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q
from django.db.models.functions import Lower

from participants.selectors import quotable_people
from workshops.evaluation.models import Answer, Choice, Form, Question, Response, ResponseReceipt
from workshops.evaluation.selectors.charts import Chart, mean_rating, people_unit, rating_chart


def quotable_answers(*, form_ids: list[int]) -> Q:
    """Which written answers a report may quote: a named answer if its writer said yes to
    quotes in that programme; an anonymous form's answers only if everyone who answered it did
    (its receipts say who answered, never which answer is whose)."""
    forms = list(
        Form.objects.filter(pk__in=form_ids).values_list("pk", "programme_id", "anonymous")
    )
    allowed = {p: quotable_people(programme=p) for p in {programme for _, programme, _ in forms}}
    receipts: dict[int, set[int]] = {}
    for form_id, person_id in ResponseReceipt.objects.filter(form_id__in=form_ids).values_list(
        "form_id", "person_id"
    ):
        receipts.setdefault(form_id, set()).add(person_id)
    open_anonymous = [
        pk
        for pk, programme, anonymous in forms
        if anonymous and receipts.get(pk, set()) <= allowed[programme]
    ]
    named = Q(pk__in=[])
    for programme, people in allowed.items():
        named |= Q(response__form__programme_id=programme, response__person_id__in=people)
    return named | Q(response__person__isnull=True, response__form_id__in=open_anonymous)


@dataclass
class QuestionResult:
    """How one question of one form was answered: a chart for ratings and choices, or words."""

    question: Question
    n: int
    mean: Decimal | None = None
    chart: Chart | None = None
    texts: list[str] = field(default_factory=list)
    # Written answers left out because their writers did not say yes to being quoted.
    withheld: int = 0


@dataclass
class FormResult:
    """One form's responses, question by question."""

    form: Form
    responses: int
    supported: int
    questions: list[QuestionResult]


def _totals(ids: list[int]) -> dict[int, tuple[int, int]]:
    """(responses, responses filled in with support) by form."""
    return {
        form_id: (n, supported)
        for form_id, n, supported in Response.objects.filter(form_id__in=ids)
        .values("form")
        .annotate(n=Count("pk"), supported_n=Count("pk", filter=Q(supported=True)))
        .values_list("form", "n", "supported_n")
    }


def _ratings(ids: list[int]) -> dict[int, list[int]]:
    """How many gave each number 1-5, by question."""
    ratings: dict[int, list[int]] = {}
    for qid, number, n in (
        Answer.objects.filter(question__form_id__in=ids, number__isnull=False)
        .values("question", "number")
        .annotate(n=Count("pk"))
        .values_list("question", "number", "n")
    ):
        ratings.setdefault(qid, [0] * 5)[int(number or 1) - 1] += n
    return ratings


def _texts(ids: list[int]) -> tuple[dict[int, list[str]], dict[int, int]]:
    """What may be quoted of the written answers, by question, and how many were written."""
    texts: dict[int, list[str]] = {}
    written = Answer.objects.filter(
        question__form_id__in=ids, question__kind=Question.Kind.TEXT
    ).exclude(text="")
    for qid, text in (
        written.filter(quotable_answers(form_ids=ids))
        .order_by(Lower("text"), "text")  # never by pk or time (see reports.free_text)
        .values_list("question", "text")
    ):
        texts.setdefault(qid, []).append(text)
    written_n = dict(
        written.values("question").annotate(n=Count("pk")).values_list("question", "n")
    )
    return texts, written_n


def form_results(*, forms: list[Form]) -> list[FormResult]:
    """Each form's questions answered: counts per rating and per option, and what was written.

    A fixed number of queries however many forms, questions, options and answers.
    """
    ids = [f.pk for f in forms]
    totals = _totals(ids)
    questions = list(
        Question.objects.filter(form_id__in=ids).prefetch_related(
            Prefetch(
                "choices",
                queryset=Choice.objects.annotate(n=Count("answers")).order_by("order", "pk"),
            )
        )
    )
    answered = dict(
        Answer.objects.filter(question__form_id__in=ids)
        .values("question")
        .annotate(n=Count("pk"))
        .values_list("question", "n")
    )
    ratings = _ratings(ids)
    texts, written_n = _texts(ids)
    by_form: dict[int, list[QuestionResult]] = {pk: [] for pk in ids}
    for q in questions:
        result = QuestionResult(question=q, n=answered.get(q.pk, 0))
        if q.has_choices:
            result.chart = Chart(
                title=q.text,
                bars=[(c.text, c.n) for c in q.choices.all()],  # type: ignore[attr-defined]
                unit=people_unit(),
            )
        elif q.kind == Question.Kind.TEXT:
            result.texts = texts.get(q.pk, [])
            result.withheld = written_n.get(q.pk, 0) - len(result.texts)
        else:
            counts = ratings.get(q.pk, [0] * 5)
            result.mean = mean_rating(counts)
            result.chart = rating_chart(q.text, counts)
        by_form[q.form_id].append(result)
    return [
        FormResult(
            form=f,
            responses=totals.get(f.pk, (0, 0))[0],
            supported=totals.get(f.pk, (0, 0))[1],
            questions=by_form[f.pk],
        )
        for f in forms
    ]
