"""Reads for evaluation reports: distributions, paired change, attendance, balance, payments.

Every figure is computed from the stored answers and records, never stored itself.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Lower

from participants.selectors import quotable_people
from workshops.evaluation import instruments
from workshops.evaluation.models import (
    Answer,
    Choice,
    Form,
    Indicator,
    Outcome,
    Question,
    Response,
    ResponseReceipt,
)
from workshops.models import Programme, Session


def _round(value: Decimal, places: str = "0.1") -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


@dataclass
class Chart:
    """A bar chart, drawn as SVG with a table beside it."""

    title: str
    bars: list[tuple[str, int | Decimal]]
    unit: str = ""
    width: int = 400
    bar_x: int = 150  # labels take the space to the left of the bars

    @property
    def top(self) -> Decimal:
        """The scale's maximum."""
        return Decimal(max([v for _, v in self.bars] + [1]))

    def scaled(self) -> list[dict[str, Any]]:
        """Bars with their lengths in SVG units: the largest fills the space right of the labels."""
        room = Decimal(self.width - self.bar_x)
        return [
            {
                "label": label,
                "value": value,
                "width": _round(max(Decimal(value), Decimal(0)) * room / self.top, "0.1"),
                "y": i * 34,
            }
            for i, (label, value) in enumerate(self.bars)
        ]

    @property
    def height(self) -> int:
        """The SVG's height."""
        return max(34, 34 * len(self.bars))

    @property
    def description(self) -> str:
        """The chart in words (its text alternative)."""
        return "; ".join(f"{label}: {value}{self.unit}" for label, value in self.bars)


@dataclass
class QuestionSummary:
    """How one rating question was answered."""

    text: str
    counts: list[int]
    n: int
    mean: Decimal | None
    chart: Chart


def feedback_summary(
    *, programme: Programme, session: Session | None = None
) -> list[QuestionSummary]:
    """Rating questions of the session feedback forms, by question wording, across sessions."""
    answers = Answer.objects.filter(
        response__form__programme=programme,
        response__form__kind=Form.Kind.FEEDBACK,
        question__kind=Question.Kind.RATING,
        number__isnull=False,
    )
    if session is not None:
        answers = answers.filter(response__form__session=session)
    rows = answers.values("question__text", "number").annotate(n=Count("pk"))
    by_text: dict[str, list[int]] = {}
    order: list[str] = []
    for row in rows.order_by("question__order", "question__text", "number"):
        if row["question__text"] not in by_text:
            by_text[row["question__text"]] = [0] * 5
            order.append(row["question__text"])
        by_text[row["question__text"]][int(row["number"] or 1) - 1] += row["n"]
    summaries = []
    for text in order:
        counts = by_text[text]
        n = sum(counts)
        mean = (
            _round(Decimal(sum((i + 1) * c for i, c in enumerate(counts))) / n, "0.01")
            if n
            else None
        )
        chart = Chart(
            title=text,
            bars=[(f"{i + 1} {WORDS[i + 1]}", counts[i]) for i in range(5)],
            unit=" people",
        )
        summaries.append(QuestionSummary(text=text, counts=counts, n=n, mean=mean, chart=chart))
    return summaries


WORDS = {1: "Not at all", 2: "A little", 3: "Somewhat", 4: "Mostly", 5: "Completely"}


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


def free_text(*, programme: Programme) -> list[tuple[str, str, str]]:
    """(session, question, answer) for every free-text answer to session feedback, without
    who wrote it (a custom form's answers are listed with that form's results)."""
    feedback = Answer.objects.filter(
        response__form__programme=programme,
        response__form__kind=Form.Kind.FEEDBACK,
        question__kind=Question.Kind.TEXT,
    ).exclude(text="")
    form_ids = list(feedback.values_list("response__form_id", flat=True).distinct())
    rows = (
        feedback.filter(quotable_answers(form_ids=form_ids))
        .values_list(
            "response__form__session__title", "response__form__title", "question__text", "text"
        )
        # By text, never by pk or time: the order people answered in could pair an anonymous
        # answer with the person seen answering (or with their receipt).
        .order_by("response__form__session__number", "question__order", Lower("text"), "text")
    )
    return [(s or f or "", q, t) for s, f, q, t in rows]


@dataclass
class PairedChange:
    """Baseline against follow-up for the same people."""

    instrument: str
    n: int
    mean_baseline: Decimal | None
    mean_follow_up: Decimal | None
    mean_change: Decimal | None
    improved: int
    worse: int
    pairs: list[tuple[Decimal, Decimal]] = field(default_factory=list)

    @property
    def share_improved(self) -> Decimal | None:
        """Percent of people whose score rose by the meaningful change or more."""
        return _round(Decimal(self.improved) * 100 / self.n) if self.n else None


def scores_at(*, programme: Programme, instrument: str, timepoint: str) -> dict[int, Decimal]:
    """Each person's score at a timepoint (their latest complete response)."""
    responses = (
        Response.objects.filter(
            form__programme=programme,
            form__instrument=instrument,
            form__timepoint=timepoint,
            person__isnull=False,
        )
        .prefetch_related("answers__question")
        .order_by("submitted_at")
    )
    scores: dict[int, Decimal] = {}
    for response in responses:
        by_item = {
            a.question.item_number: a.number
            for a in response.answers.all()
            if a.question.item_number and a.number
        }
        value = instruments.score(instrument, by_item)
        if value is not None and response.person_id is not None:
            scores[response.person_id] = value
    return scores


def paired_change(*, programme: Programme, instrument: str = "wemwbs") -> PairedChange:
    """Baseline and follow-up paired per person: n, means, mean change, who moved by 3+."""
    baseline = scores_at(
        programme=programme, instrument=instrument, timepoint=Form.Timepoint.BASELINE
    )
    follow_up = scores_at(
        programme=programme, instrument=instrument, timepoint=Form.Timepoint.FOLLOW_UP
    )
    people = sorted(set(baseline) & set(follow_up))
    pairs = [(baseline[p], follow_up[p]) for p in people]
    n = len(pairs)
    if not n:
        return PairedChange(instrument, 0, None, None, None, 0, 0, [])
    threshold = instruments.MEANINGFUL_WEMWBS_CHANGE
    return PairedChange(
        instrument=instrument,
        n=n,
        mean_baseline=_round(sum((b for b, _ in pairs), Decimal(0)) / n),
        mean_follow_up=_round(sum((f for _, f in pairs), Decimal(0)) / n),
        mean_change=_round(sum((f - b for b, f in pairs), Decimal(0)) / n),
        improved=sum(1 for b, f in pairs if f - b >= threshold),
        worse=sum(1 for b, f in pairs if b - f >= threshold),
        pairs=pairs,
    )


def attendance_by_session(*, programme: Programme) -> list[tuple[Session, int, int]]:
    """(session, people who attended, feedback responses) for each held session."""
    sessions = (
        programme.sessions.exclude(status=Session.Status.SCHEDULED)
        .annotate(
            attended=Count(
                "attendances", filter=Q(attendances__checked_in_at__isnull=False), distinct=True
            ),
            responses=Count(
                "forms__responses", filter=Q(forms__kind=Form.Kind.FEEDBACK), distinct=True
            ),
        )
        .order_by("number")
    )
    return [(s, s.attended, s.responses) for s in sessions]


def balance_by_session(*, programme: Programme) -> list[tuple[Session, Decimal | None]]:
    """The equal-voice balance index kept with each ended session."""
    from workshops.floor.models import BalanceRecord

    records = {
        r.session_id: r.balance_index
        for r in BalanceRecord.objects.filter(session__programme=programme)
    }
    return [
        (s, records.get(s.pk))
        for s in programme.sessions.filter(status=Session.Status.ENDED).order_by("number")
    ]


def payments_summary(*, programme: Programme) -> list[tuple[str, Decimal, int]]:
    """Payment totals by status (for organisers only)."""
    from participants.payments import selectors as payments
    from participants.payments.models import PaymentLine

    qs = payments.lines(programme_id=programme.pk)
    return [(PaymentLine.Status(s).label, t, n) for s, t, n in payments.totals_by(qs, "status")]


PAID_ON_TIME_DAYS = 14
NO_EVIDENCE = "No evidence yet"


@dataclass(frozen=True)
class Evidence:
    """An indicator's figure in words, or None with what is missing."""

    figure: str | None
    missing: str = ""


def payments_on_time(*, programme: Programme) -> tuple[int, int]:
    """(lines paid within PAID_ON_TIME_DAYS of the work, lines whose time to be paid is up).

    A line counts once its days are up or once it is paid, whichever comes first; declined
    lines and corrections are never counted.
    """
    from datetime import timedelta

    from django.utils import timezone

    from participants.payments.models import PaymentLine

    cutoff = timezone.localdate() - timedelta(days=PAID_ON_TIME_DAYS)
    lines = PaymentLine.objects.filter(
        programme=programme, kind__in=[PaymentLine.Kind.TIME, PaymentLine.Kind.EXPENSE]
    ).exclude(status=PaymentLine.Status.DECLINED)
    due = 0
    on_time = 0
    for worked_on, paid_on in lines.values_list("worked_on", "paid_on"):
        if paid_on is not None:
            due += 1
            on_time += (paid_on - worked_on).days <= PAID_ON_TIME_DAYS
        elif worked_on < cutoff:
            due += 1
    return on_time, due


def _rating_counts(text: str, report: dict[str, Any]) -> list[int]:
    """Answers 1-5 to every rating question worded `text`: session feedback and other forms."""
    counts = [0] * 5
    for summary in report["feedback"]:
        if summary.text == text:
            counts = [c + n for c, n in zip(counts, summary.counts, strict=True)]
    for result in report["custom"]:
        for q in result.questions:
            if q.question.kind == Question.Kind.RATING and q.question.text == text and q.chart:
                counts = [c + int(v) for c, (_, v) in zip(counts, q.chart.bars, strict=True)]
    return counts


def _people(n: int) -> str:
    return f"{n} {'person' if n == 1 else 'people'}"


def _change(change: PairedChange) -> Evidence:
    if not change.n:
        return Evidence(None, "Nobody has answered both the baseline and the follow-up")
    return Evidence(
        f"Average change {change.mean_change:+} ({change.mean_baseline} at baseline, "
        f"{change.mean_follow_up} at follow-up) for {_people(change.n)}; "
        f"{change.improved} of {change.n} improved by 3 or more"
    )


def indicator_evidence(indicator: Indicator, report: dict[str, Any]) -> Evidence:
    """An indicator's evidence, in words, from the report's figures."""
    kind = indicator.kind
    if kind == Indicator.Kind.FEEDBACK_QUESTION:
        counts = _rating_counts(indicator.question_text, report)
        n = sum(counts)
        if not n:
            return Evidence(None, f"Nobody has answered “{indicator.question_text}” yet")
        mean = _round(Decimal(sum((i + 1) * c for i, c in enumerate(counts))) / n, "0.01")
        return Evidence(f"Average {mean} out of 5, from {n} answer{'s' if n != 1 else ''}")
    if kind == Indicator.Kind.WELLBEING_CHANGE:
        return _change(report["wellbeing"])
    if kind == Indicator.Kind.SWEMWBS_CHANGE:
        return _change(report["wellbeing_short"])
    if kind == Indicator.Kind.ATTENDANCE:
        rows = report["attendance"]
        if not rows:
            return Evidence(None, "No session has been held yet")
        mean = _round(Decimal(sum(a for _, a, _ in rows)) / len(rows))
        return Evidence(
            f"Average {mean} people per session, over {len(rows)} "
            f"session{'s' if len(rows) != 1 else ''} held"
        )
    if kind == Indicator.Kind.BALANCE:
        values = [v for _, v in report["balance"] if v is not None]
        if not values:
            return Evidence(None, "No session has ended with a balance record")
        mean = _round(sum(values, Decimal(0)) / len(values))
        return Evidence(
            f"Average balance index {mean} out of 100, over {len(values)} "
            f"session{'s' if len(values) != 1 else ''}"
        )
    if kind == Indicator.Kind.SECTORS:
        return _sectors(sectors_together(programme_id=indicator.outcome.programme_id))
    if report["payments_on_time"] is None:
        return Evidence("Shown to organisers only")
    on_time, due = report["payments_on_time"]
    if not due:
        return Evidence(None, "No payment has been due yet")
    return Evidence(
        f"{on_time} of {due} payment{'s' if due != 1 else ''} made on time "
        f"(within {PAID_ON_TIME_DAYS} days)"
    )


@dataclass(frozen=True)
class SectorsTogether:
    """Which sectors were present at each session held, from the people who attended."""

    by_session: list[tuple[Session, frozenset[str]]]

    @property
    def both(self) -> int:
        """Sessions where statutory and third sector people both attended."""
        from participants.models import Sector

        pair = {Sector.STATUTORY.value, Sector.THIRD.value}
        return sum(1 for _, sectors in self.by_session if pair <= sectors)


def sectors_together(*, programme_id: int) -> SectorsTogether:
    """Each session held (live or ended) with the sectors of the people who attended it, as
    their membership of this programme records them (one query for the attendance)."""
    from participants.models import Sector
    from workshops.models import Attendance

    present: dict[int, set[str]] = {}
    rows = Attendance.objects.filter(
        session__programme_id=programme_id,
        checked_in_at__isnull=False,
        # One filter() call: the membership is this programme's and has a sector.
        user__memberships__programme_id=programme_id,
        user__memberships__sector__in=Sector.values,
    ).values_list("session_id", "user__memberships__sector")
    for session_id, sector in rows.distinct():
        present.setdefault(session_id, set()).add(sector)
    held = Session.objects.filter(
        programme_id=programme_id, status__in=[Session.Status.LIVE, Session.Status.ENDED]
    ).order_by("number")
    return SectorsTogether([(s, frozenset(present.get(s.pk, ()))) for s in held])


def _sectors(together: SectorsTogether) -> Evidence:
    from django.utils.translation import gettext, ngettext

    held = len(together.by_session)
    if not held:
        return Evidence(None, gettext("No session has been held yet"))
    if not any(sectors for _, sectors in together.by_session):
        return Evidence(None, gettext("Nobody who attended has a sector recorded"))
    share = _round(Decimal(together.both) * 100 / held, "1")
    both = ngettext(
        "Statutory and third sector people both attended %(both)s of %(held)s session held "
        "(%(share)s%%).",
        "Statutory and third sector people both attended %(both)s of %(held)s sessions held "
        "(%(share)s%%).",
        held,
    ) % {"both": together.both, "held": held, "share": share}
    counts = "; ".join(
        gettext("session %(number)s: %(count)s") % {"number": s.number, "count": len(sectors)}
        for s, sectors in together.by_session
    )
    present = gettext("Sectors present at each: %(counts)s") % {"counts": counts}
    return Evidence(f"{both} {present}")


def rating_question_texts(*, programme: Programme) -> list[str]:
    """The wordings a form-question indicator can follow: the default feedback ratings and
    every rating question of the programme's own forms."""
    from workshops.evaluation.services import DEFAULT_FEEDBACK_RATINGS

    texts = list(DEFAULT_FEEDBACK_RATINGS)
    for text in (
        Question.objects.filter(
            form__programme=programme,
            kind=Question.Kind.RATING,
            form__kind__in=[Form.Kind.FEEDBACK, Form.Kind.TEMPLATE, Form.Kind.CUSTOM],
        )
        .order_by("text")
        .values_list("text", flat=True)
        .distinct()
    ):
        if text not in texts:
            texts.append(text)
    return texts


def plan_outcomes(*, programme: Programme) -> list[Outcome]:
    """A programme's outcomes in order, each with its indicators in order."""
    return list(
        Outcome.objects.filter(programme=programme)
        .order_by("order", "pk")
        .prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.order_by("order", "pk"))
        )
    )


@dataclass
class Due:
    """One timepoint: when it is due, whether it is due now or overdue, and who has not
    answered a measure at it yet."""

    label: str
    timepoint: str
    due_on: date
    status: str
    waiting: list[Any]


DUE_WINDOW_DAYS = 14


def due_status(due_on: date, today: date) -> str:
    """Overdue once the day has passed; due now within two weeks before it."""
    if today > due_on:
        return "Overdue"
    if (due_on - today).days <= DUE_WINDOW_DAYS:
        return "Due now"
    return "Not due yet"


def follow_ups_due(*, programme: Programme, today: date | None = None) -> list[Due]:
    """Each timepoint of the plan with the contributors who have not answered a wellbeing
    measure at it yet (an answer to WEMWBS or SWEMWBS counts)."""
    from django.utils import timezone

    from participants.models import PAID_ROLES, Membership
    from workshops.evaluation.models import FollowUp

    plan = FollowUp.objects.filter(programme=programme).first()
    if plan is None:
        return []
    today = today or timezone.localdate()
    members = list(
        Membership.objects.filter(programme=programme, role__in=PAID_ROLES, left_on__isnull=True)
        .select_related("user")
        .order_by("user__display_name", "user_id")
    )
    result = []
    for timepoint, due_on in (
        (Form.Timepoint.BASELINE, plan.baseline_on),
        (Form.Timepoint.FOLLOW_UP, plan.follow_up_on),
    ):
        forms = Form.objects.filter(
            programme=programme, kind=Form.Kind.INSTRUMENT, timepoint=timepoint
        )
        answered = set(
            Response.objects.filter(form__in=forms, person__isnull=False).values_list(
                "person_id", flat=True
            )
        ) | set(ResponseReceipt.objects.filter(form__in=forms).values_list("person_id", flat=True))
        result.append(
            Due(
                label=Form.Timepoint(timepoint).label,
                timepoint=timepoint,
                due_on=due_on,
                status=due_status(due_on, today),
                waiting=[m.user for m in members if m.user_id not in answered],
            )
        )
    return result


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


def form_results(*, forms: list[Form]) -> list[FormResult]:
    """Each form's questions answered: counts per rating and per option, and what was written.

    A fixed number of queries however many forms, questions, options and answers.
    """
    ids = [f.pk for f in forms]
    totals: dict[int, tuple[int, int]] = {
        form_id: (n, supported)
        for form_id, n, supported in Response.objects.filter(form_id__in=ids)
        .values("form")
        .annotate(n=Count("pk"), supported_n=Count("pk", filter=Q(supported=True)))
        .values_list("form", "n", "supported_n")
    }
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
    ratings: dict[int, list[int]] = {}
    for qid, number, n in (
        Answer.objects.filter(question__form_id__in=ids, number__isnull=False)
        .values("question", "number")
        .annotate(n=Count("pk"))
        .values_list("question", "number", "n")
    ):
        ratings.setdefault(qid, [0] * 5)[int(number or 1) - 1] += n
    texts: dict[int, list[str]] = {}
    written = Answer.objects.filter(
        question__form_id__in=ids, question__kind=Question.Kind.TEXT
    ).exclude(text="")
    for qid, text in (
        written.filter(quotable_answers(form_ids=ids))
        .order_by(Lower("text"), "text")  # never by pk or time (see free_text)
        .values_list("question", "text")
    ):
        texts.setdefault(qid, []).append(text)
    written_n = dict(
        written.values("question").annotate(n=Count("pk")).values_list("question", "n")
    )
    by_form: dict[int, list[QuestionResult]] = {pk: [] for pk in ids}
    for q in questions:
        result = QuestionResult(question=q, n=answered.get(q.pk, 0))
        if q.has_choices:
            result.chart = Chart(
                title=q.text,
                bars=[(c.text, c.n) for c in q.choices.all()],  # type: ignore[attr-defined]
                unit=" people",
            )
        elif q.kind == Question.Kind.TEXT:
            result.texts = texts.get(q.pk, [])
            result.withheld = written_n.get(q.pk, 0) - len(result.texts)
        else:
            counts = ratings.get(q.pk, [0] * 5)
            n = sum(counts)
            if n:
                total = sum((i + 1) * c for i, c in enumerate(counts))
                result.mean = _round(Decimal(total) / n, "0.01")
            result.chart = Chart(
                title=q.text,
                bars=[(f"{i + 1} {WORDS[i + 1]}", counts[i]) for i in range(5)],
                unit=" people",
            )
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
        from django.utils import timezone

        forms = forms.filter(n_questions__gt=0).filter(
            Q(closes_at__isnull=True) | Q(closes_at__gt=timezone.now())
        )
    return forms


def builder_questions(*, form: Form) -> list[Question]:
    """A form's questions for the builder, each with how many answered it and each option."""
    return list(
        Question.objects.filter(form=form)
        .annotate(n_answers=Count("answers"))
        .prefetch_related(
            Prefetch("choices", queryset=Choice.objects.annotate(n_answers=Count("answers")))
        )
    )


def feedback_choice_summary(*, programme: Programme) -> list[Chart]:
    """Choice questions of the session feedback forms: people per option, by wording."""
    rows = (
        Choice.objects.filter(
            question__form__programme=programme, question__form__kind=Form.Kind.FEEDBACK
        )
        .values("question__text", "text")
        .annotate(n=Count("answers"))
        .order_by("question__order", "question__text", "order", "text")
    )
    charts: dict[str, dict[str, int]] = {}
    for row in rows:
        bars = charts.setdefault(row["question__text"], {})
        bars[row["text"]] = bars.get(row["text"], 0) + row["n"]
    return [
        Chart(title=text, bars=list(bars.items()), unit=" people") for text, bars in charts.items()
    ]


def supported_count(*, programme: Programme) -> tuple[int, int]:
    """(responses filled in with someone's help, all responses) across the programme."""
    totals = Response.objects.filter(form__programme=programme).aggregate(
        supported=Count("pk", filter=Q(supported=True)), n=Count("pk")
    )
    return totals["supported"], totals["n"]


def session_report(*, session: Session) -> dict[str, Any]:
    """Everything the session report shows: response rate, each question, attendance, balance."""
    from workshops.floor.models import BalanceRecord
    from workshops.models import Attendance

    forms = list(
        Form.objects.filter(
            session=session, kind__in=[Form.Kind.FEEDBACK, Form.Kind.CUSTOM]
        ).order_by("kind", "created_at")
    )
    results = form_results(forms=forms)
    feedback = next((r for r in results if r.form.kind == Form.Kind.FEEDBACK), None)
    attended = Attendance.objects.filter(session=session, checked_in_at__isnull=False).count()
    record = BalanceRecord.objects.filter(session=session).first()
    responses = feedback.responses if feedback else 0
    return {
        "feedback": feedback,
        "custom": [r for r in results if r.form.kind == Form.Kind.CUSTOM],
        "attended": attended,
        "responses": responses,
        "response_rate": _round(Decimal(responses) * 100 / attended, "1") if attended else None,
        "balance_index": record.balance_index if record else None,
        "balance_groups": (record.figures.get("groups", []) if record else []),
        "has_balance": record is not None,
    }


def programme_report(*, programme: Programme, with_payments: bool) -> dict[str, Any]:
    """Everything the programme report shows, organised by outcome."""
    report: dict[str, Any] = {
        "feedback": feedback_summary(programme=programme),
        "wellbeing": paired_change(programme=programme, instrument="wemwbs"),
        "wellbeing_short": paired_change(programme=programme, instrument="swemwbs"),
        "attendance": attendance_by_session(programme=programme),
        "balance": balance_by_session(programme=programme),
        "free_text": free_text(programme=programme),
        "feedback_choices": feedback_choice_summary(programme=programme),
        "custom": form_results(
            forms=list(
                Form.objects.filter(programme=programme, kind=Form.Kind.CUSTOM).select_related(
                    "session"
                )
            )
        ),
        "supported": supported_count(programme=programme),
        "payments": payments_summary(programme=programme) if with_payments else None,
        "payments_on_time": payments_on_time(programme=programme) if with_payments else None,
        "copyright": [instruments.WEMWBS.copyright, instruments.SWEMWBS.copyright],
    }
    report["outcomes"] = [
        (outcome, [(i, indicator_evidence(i, report)) for i in outcome.indicators.all()])
        for outcome in plan_outcomes(programme=programme)
    ]
    report["attendance_chart"] = Chart(
        title="People at each session",
        bars=[(f"Session {s.number}", a) for s, a, _ in report["attendance"]],
        unit=" people",
    )
    return report
