"""Reads for evaluation reports: distributions, paired change, attendance, balance, payments.

Every figure is computed from the stored answers and records, never stored itself.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q

from workshops.evaluation import instruments
from workshops.evaluation.models import Answer, Form, Indicator, Outcome, Question, Response
from workshops.models import Programme, Session


def _round(value: Decimal, places: str = "0.1") -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


@dataclass
class Chart:
    """A bar chart, drawn as SVG with a table beside it."""

    title: str
    bars: list[tuple[str, int | Decimal]]
    unit: str = ""

    @property
    def top(self) -> Decimal:
        """The scale's maximum."""
        return Decimal(max([v for _, v in self.bars] + [1]))

    def scaled(self) -> list[dict[str, Any]]:
        """Bars with their widths in percent, for the SVG."""
        return [
            {
                "label": label,
                "value": value,
                "width": _round(Decimal(value) * 100 / self.top, "0.1"),
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


def free_text(*, programme: Programme) -> list[tuple[str, str, str]]:
    """(session, question, answer) for every free-text answer, without who wrote it."""
    rows = (
        Answer.objects.filter(
            response__form__programme=programme, question__kind=Question.Kind.TEXT
        )
        .exclude(text="")
        .values_list("response__form__session__title", "question__text", "text")
        .order_by("response__form__session__number", "question__order", "pk")
    )
    return [(s or "", q, t) for s, q, t in rows]


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


def indicator_value(indicator: Indicator, report: dict[str, Any]) -> str:
    """An indicator's figure, in words, from the report's figures."""
    if indicator.kind == Indicator.Kind.FEEDBACK_QUESTION:
        match = next((q for q in report["feedback"] if q.text == indicator.question_text), None)
        if match is None or match.mean is None:
            return "No answers yet"
        return f"Average {match.mean} out of 5 ({match.n} answers)"
    if indicator.kind == Indicator.Kind.WELLBEING_CHANGE:
        change: PairedChange = report["wellbeing"]
        if not change.n:
            return "No one has both a baseline and a follow-up yet"
        return f"Mean change {change.mean_change:+} (n = {change.n}); {change.share_improved}% improved by 3 or more"
    if indicator.kind == Indicator.Kind.ATTENDANCE:
        rows = report["attendance"]
        if not rows:
            return "No sessions held yet"
        return "; ".join(f"session {s.number}: {attended}" for s, attended, _ in rows)
    values = [v for _, v in report["balance"] if v is not None]
    if not values:
        return "Not available yet: no session has ended with a balance record"
    return f"Average balance index {_round(sum(values, Decimal(0)) / len(values))} out of 100 over {len(values)} sessions"


def programme_report(*, programme: Programme, with_payments: bool) -> dict[str, Any]:
    """Everything the programme report shows, organised by outcome."""
    report: dict[str, Any] = {
        "feedback": feedback_summary(programme=programme),
        "wellbeing": paired_change(programme=programme, instrument="wemwbs"),
        "attendance": attendance_by_session(programme=programme),
        "balance": balance_by_session(programme=programme),
        "free_text": free_text(programme=programme),
        "payments": payments_summary(programme=programme) if with_payments else None,
    }
    report["outcomes"] = [
        (outcome, [(i, indicator_value(i, report)) for i in outcome.indicators.all()])
        for outcome in Outcome.objects.filter(programme=programme).prefetch_related("indicators")
    ]
    report["attendance_chart"] = Chart(
        title="People at each session",
        bars=[(f"Session {s.number}", a) for s, a, _ in report["attendance"]],
        unit=" people",
    )
    return report
