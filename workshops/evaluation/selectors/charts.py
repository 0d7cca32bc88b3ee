"""Bar charts, drawn as SVG with a table beside them, and the rounding every figure uses."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from workshops.evaluation.defaults import RATING_WORDS


def rounded(value: Decimal, places: str = "0.1") -> Decimal:
    """A figure rounded half up, as people round."""
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def mean_rating(counts: list[int]) -> Decimal | None:
    """The average of ratings 1-5 counted in `counts`, to two places; None if there are none."""
    n = sum(counts)
    if not n:
        return None
    return rounded(Decimal(sum((i + 1) * c for i, c in enumerate(counts))) / n, "0.01")


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
        return Decimal(max([v for _label, v in self.bars] + [1]))

    def scaled(self) -> list[dict[str, Any]]:
        """Bars with their lengths in SVG units: the largest fills the space right of the labels."""
        room = Decimal(self.width - self.bar_x)
        return [
            {
                "label": label,
                "value": value,
                "width": rounded(max(Decimal(value), Decimal(0)) * room / self.top, "0.1"),
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


def people_unit() -> str:
    """What a chart of people counts."""
    return _(" people")


def rating_chart(title: str, counts: list[int]) -> Chart:
    """How many people gave each rating from 1 to 5, each labelled with its words."""
    return Chart(
        title=title,
        bars=[(f"{i + 1} {RATING_WORDS[i + 1]}", counts[i]) for i in range(5)],
        unit=people_unit(),
    )
