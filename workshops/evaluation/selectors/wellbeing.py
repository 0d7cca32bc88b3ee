"""Wellbeing scores at each timepoint, and the change for people who answered at both."""

from dataclasses import dataclass, field
from decimal import Decimal

from workshops.evaluation import instruments
from workshops.evaluation.models import Form, Response
from workshops.evaluation.selectors.charts import rounded
from workshops.models import Programme


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
    # Answered at baseline, not (yet) at follow-up: left out of the change, but counted.
    baseline_only: int = 0

    @property
    def share_improved(self) -> Decimal | None:
        """Percent of people whose score rose by the meaningful change or more."""
        return rounded(Decimal(self.improved) * 100 / self.n) if self.n else None


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
    """Baseline and follow-up paired per person: n, means, mean change, who moved by 3+, and
    how many answered the baseline with no follow-up yet."""
    baseline = scores_at(
        programme=programme, instrument=instrument, timepoint=Form.Timepoint.BASELINE
    )
    follow_up = scores_at(
        programme=programme, instrument=instrument, timepoint=Form.Timepoint.FOLLOW_UP
    )
    people = sorted(set(baseline) & set(follow_up))
    pairs = [(baseline[p], follow_up[p]) for p in people]
    n = len(pairs)
    baseline_only = len(set(baseline) - set(follow_up))
    if not n:
        return PairedChange(instrument, 0, None, None, None, 0, 0, [], baseline_only)
    threshold = instruments.MEANINGFUL_WEMWBS_CHANGE
    return PairedChange(
        instrument=instrument,
        n=n,
        mean_baseline=rounded(sum((b for b, _ in pairs), Decimal(0)) / n),
        mean_follow_up=rounded(sum((f for _, f in pairs), Decimal(0)) / n),
        mean_change=rounded(sum((f - b for b, f in pairs), Decimal(0)) / n),
        improved=sum(1 for b, f in pairs if f - b >= threshold),
        worse=sum(1 for b, f in pairs if b - f >= threshold),
        pairs=pairs,
        baseline_only=baseline_only,
    )
