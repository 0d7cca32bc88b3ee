"""The session and programme reports: feedback, attendance, balance, payments, by outcome.

Every figure is computed from the stored answers and records, never stored itself.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from participants.payments import selectors as payments
from participants.payments.models import PaymentLine
from workshops.evaluation import instruments
from workshops.evaluation.models import Answer, Choice, Form, Question, Response
from workshops.evaluation.selectors.charts import (
    Chart,
    mean_rating,
    people_unit,
    rating_chart,
    rounded,
)
from workshops.evaluation.selectors.evidence import indicator_evidence, payments_on_time
from workshops.evaluation.selectors.plan import plan_outcomes
from workshops.evaluation.selectors.results import form_results, quotable_answers
from workshops.evaluation.selectors.wellbeing import paired_change
from workshops.floor.models import BalanceRecord
from workshops.models import Attendance, Programme, Session


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
    for row in rows.order_by("question__order", "question__text", "number"):
        counts = by_text.setdefault(row["question__text"], [0] * 5)
        counts[int(row["number"] or 1) - 1] += row["n"]
    return [
        QuestionSummary(
            text=text,
            counts=counts,
            n=sum(counts),
            mean=mean_rating(counts),
            chart=rating_chart(text, counts),
        )
        for text, counts in by_text.items()
    ]


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


@dataclass(frozen=True)
class SessionBalance:
    """One ended session's equal-voice balance: its index, or why it has none."""

    session: Session
    index: Decimal | None
    # A record was kept when it ended (sessions ended before Comhla kept one have none).
    recorded: bool
    # Nobody took the floor: no index, and left out of every average.
    no_turns: bool


def balance_by_session(*, programme: Programme) -> list[SessionBalance]:
    """The equal-voice balance kept with each ended session."""
    records = {r.session_id: r for r in BalanceRecord.objects.filter(session__programme=programme)}
    rows = []
    for s in programme.sessions.filter(status=Session.Status.ENDED).order_by("number"):
        record = records.get(s.pk)
        rows.append(
            SessionBalance(
                session=s,
                index=record.balance_index if record else None,
                recorded=record is not None,
                no_turns=record is not None and record.no_turns_taken,
            )
        )
    return rows


def payments_summary(*, programme: Programme) -> list[tuple[str, Decimal, int]]:
    """Payment totals by status (for organisers only)."""
    qs = payments.lines(programme_id=programme.pk)
    return [(PaymentLine.Status(s).label, t, n) for s, t, n in payments.totals_by(qs, "status")]


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
        Chart(title=text, bars=list(bars.items()), unit=people_unit())
        for text, bars in charts.items()
    ]


def supported_count(*, programme: Programme) -> tuple[int, int]:
    """(responses filled in with someone's help, all responses) across the programme."""
    totals = Response.objects.filter(form__programme=programme).aggregate(
        supported=Count("pk", filter=Q(supported=True)), n=Count("pk")
    )
    return totals["supported"], totals["n"]


def session_report(*, session: Session) -> dict[str, Any]:
    """Everything the session report shows: response rate, each question, attendance, balance."""
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
        "response_rate": rounded(Decimal(responses) * 100 / attended, "1") if attended else None,
        "balance_index": record.balance_index if record else None,
        "balance_groups": (record.figures.get("groups", []) if record else []),
        "has_balance": record is not None,
        "turns_taken": record.turns_taken if record else None,
        "no_turns": record is not None and record.no_turns_taken,
    }


def programme_report(*, programme: Programme, with_payments: bool) -> dict[str, Any]:
    """Everything the programme report shows, organised by outcome."""
    balance = balance_by_session(programme=programme)
    report: dict[str, Any] = {
        "feedback": feedback_summary(programme=programme),
        "wellbeing": paired_change(programme=programme, instrument="wemwbs"),
        "wellbeing_short": paired_change(programme=programme, instrument="swemwbs"),
        "attendance": attendance_by_session(programme=programme),
        "balance": balance,
        "balance_no_turns": sum(1 for b in balance if b.no_turns),
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
        title=_("People at each session"),
        bars=[(_("Session %(n)s") % {"n": s.number}, a) for s, a, _r in report["attendance"]],
        unit=people_unit(),
    )
    return report
