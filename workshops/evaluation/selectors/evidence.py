"""Each indicator's evidence, in words, worked out from the report's figures."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from participants.payments.models import PaymentLine
from workshops.evaluation.models import Indicator, Question
from workshops.evaluation.selectors.charts import mean_rating, rounded
from workshops.evaluation.selectors.sectors import sectors_together
from workshops.evaluation.selectors.wellbeing import PairedChange
from workshops.models import Programme

PAID_ON_TIME_DAYS = 14
NO_EVIDENCE = gettext_lazy("No evidence yet")


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
                counts = [c + int(v) for c, (_label, v) in zip(counts, q.chart.bars, strict=True)]
    return counts


def _people(n: int) -> str:
    return ngettext("%(n)s person", "%(n)s people", n) % {"n": n}


def _baseline_only(change: PairedChange, *, more: bool) -> str:
    """Who answered at the start and has no follow-up yet: they are not in the change."""
    n = change.baseline_only
    if not n:
        return ""
    if more:
        said = ngettext(
            "%(n)s more answered at the start and has no follow-up yet",
            "%(n)s more answered at the start and have no follow-up yet",
            n,
        )
    else:
        said = ngettext(
            "%(n)s answered at the start and has no follow-up yet",
            "%(n)s answered at the start and have no follow-up yet",
            n,
        )
    return "; " + said % {"n": n}


def _change(change: PairedChange) -> Evidence:
    if not change.n:
        return Evidence(
            None,
            _("Nobody has answered both the baseline and the follow-up")
            + _baseline_only(change, more=False),
        )
    return Evidence(
        _(
            "Average change %(change)s (%(baseline)s at baseline, %(follow_up)s at follow-up) "
            "for %(people)s; %(improved)s of %(n)s improved by 3 or more"
        )
        % {
            "change": f"{change.mean_change:+}",
            "baseline": change.mean_baseline,
            "follow_up": change.mean_follow_up,
            "people": _people(change.n),
            "improved": change.improved,
            "n": change.n,
        }
        + _baseline_only(change, more=True)
    )


def _feedback_question(indicator: Indicator, report: dict[str, Any]) -> Evidence:
    counts = _rating_counts(indicator.question_text, report)
    n = sum(counts)
    if not n:
        return Evidence(
            None,
            _("Nobody has answered “%(question)s” yet") % {"question": indicator.question_text},
        )
    return Evidence(
        ngettext(
            "Average %(mean)s out of 5, from %(n)s answer",
            "Average %(mean)s out of 5, from %(n)s answers",
            n,
        )
        % {"mean": mean_rating(counts), "n": n}
    )


def _wellbeing(indicator: Indicator, report: dict[str, Any]) -> Evidence:
    return _change(report["wellbeing"])


def _wellbeing_short(indicator: Indicator, report: dict[str, Any]) -> Evidence:
    return _change(report["wellbeing_short"])


def _attendance(indicator: Indicator, report: dict[str, Any]) -> Evidence:
    rows = report["attendance"]
    if not rows:
        return Evidence(None, _("No session has been held yet"))
    mean = rounded(Decimal(sum(a for _s, a, _r in rows)) / len(rows))
    return Evidence(
        ngettext(
            "Average %(mean)s people per session, over %(n)s session held",
            "Average %(mean)s people per session, over %(n)s sessions held",
            len(rows),
        )
        % {"mean": mean, "n": len(rows)}
    )


def _balance(indicator: Indicator, report: dict[str, Any]) -> Evidence:
    # A session where nobody took the floor has no index: it is said, never averaged in.
    values = [b.index for b in report["balance"] if b.index is not None]
    quiet = report["balance_no_turns"]
    if not values:
        if quiet:
            return Evidence(
                None,
                ngettext(
                    "Nobody took the floor in %(n)s session",
                    "Nobody took the floor in %(n)s sessions",
                    quiet,
                )
                % {"n": quiet},
            )
        return Evidence(None, _("No session has ended with a balance record"))
    mean = rounded(sum(values, Decimal(0)) / len(values))
    figure = ngettext(
        "Average balance index %(mean)s out of 100, over %(n)s session",
        "Average balance index %(mean)s out of 100, over %(n)s sessions",
        len(values),
    ) % {"mean": mean, "n": len(values)}
    if quiet:
        figure += "; " + ngettext(
            "nobody took the floor in %(n)s other session",
            "nobody took the floor in %(n)s other sessions",
            quiet,
        ) % {"n": quiet}
    return Evidence(figure)


def _payments(indicator: Indicator, report: dict[str, Any]) -> Evidence:
    if report["payments_on_time"] is None:
        return Evidence(_("Shown to organisers only"))
    on_time, due = report["payments_on_time"]
    if not due:
        return Evidence(None, _("No payment has been due yet"))
    return Evidence(
        ngettext(
            "%(on_time)s of %(due)s payment made on time (within %(days)s days)",
            "%(on_time)s of %(due)s payments made on time (within %(days)s days)",
            due,
        )
        % {"on_time": on_time, "due": due, "days": PAID_ON_TIME_DAYS}
    )


def _sectors(indicator: Indicator, report: dict[str, Any]) -> Evidence:
    together = sectors_together(programme_id=indicator.outcome.programme_id)
    held = len(together.by_session)
    if not held:
        return Evidence(None, _("No session has been held yet"))
    if not any(sectors for _s, sectors in together.by_session):
        return Evidence(None, _("Nobody who attended has a sector recorded"))
    share = rounded(Decimal(together.both) * 100 / held, "1")
    both = ngettext(
        "Statutory and third sector people both attended %(both)s of %(held)s session held "
        "(%(share)s%%).",
        "Statutory and third sector people both attended %(both)s of %(held)s sessions held "
        "(%(share)s%%).",
        held,
    ) % {"both": together.both, "held": held, "share": share}
    counts = "; ".join(
        _("session %(number)s: %(count)s") % {"number": s.number, "count": len(sectors)}
        for s, sectors in together.by_session
    )
    present = _("Sectors present at each: %(counts)s") % {"counts": counts}
    return Evidence(f"{both} {present}")


# How each kind of indicator finds its evidence in the report.
EVIDENCE: dict[str, Callable[[Indicator, dict[str, Any]], Evidence]] = {
    Indicator.Kind.FEEDBACK_QUESTION: _feedback_question,
    Indicator.Kind.WELLBEING_CHANGE: _wellbeing,
    Indicator.Kind.SWEMWBS_CHANGE: _wellbeing_short,
    Indicator.Kind.ATTENDANCE: _attendance,
    Indicator.Kind.BALANCE: _balance,
    Indicator.Kind.PAYMENTS_ON_TIME: _payments,
    Indicator.Kind.SECTORS: _sectors,
}


def indicator_evidence(indicator: Indicator, report: dict[str, Any]) -> Evidence:
    """An indicator's evidence, in words, from the report's figures."""
    return EVIDENCE[indicator.kind](indicator, report)
