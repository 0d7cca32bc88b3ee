"""Standard wellbeing instruments, worded, ordered and scored exactly as published.

WEMWBS: Tennant R, Hiller L, Fishwick R, et al. The Warwick-Edinburgh Mental Well-being Scale
(WEMWBS): development and UK validation. Health and Quality of Life Outcomes 2007;5:63.
14 items scored 1-5; the total (14-70) is the sum. A change of 3 or more is taken as
meaningful (Warwick Medical School's guidance on interpreting change).

SWEMWBS: Stewart-Brown S, Tennant A, Tennant R, et al. Internal construct validity of the
Warwick-Edinburgh Mental Well-being Scale (WEMWBS): a Rasch analysis using data from the
Scottish Health Education Population Survey. Health and Quality of Life Outcomes 2009;7:15.
Items 1, 2, 3, 6, 7, 9 and 11 of WEMWBS; the raw sum (7-35) is converted to a metric score
with the published conversion table below (Warwick Medical School, "SWEMWBS conversion
table"); no score unless all seven are answered.

Both scales are © NHS Health Scotland, University of Warwick and University of Edinburgh
(WEMWBS 2006, SWEMWBS 2008), and their owners license their use; the copyright lines below
are worded as the owners require. Comhla keeps an instrument off until an organiser records
the licence.
"""

from dataclasses import dataclass
from decimal import Decimal

RESPONSE_OPTIONS = [
    (1, "None of the time"),
    (2, "Rarely"),
    (3, "Some of the time"),
    (4, "Often"),
    (5, "All of the time"),
]
INSTRUCTIONS = (
    "Below are some statements about feelings and thoughts. Please choose the answer that "
    "best describes your experience of each over the last 2 weeks."
)
WEMWBS_ITEMS = [
    "I've been feeling optimistic about the future",
    "I've been feeling useful",
    "I've been feeling relaxed",
    "I've been feeling interested in other people",
    "I've had energy to spare",
    "I've been dealing with problems well",
    "I've been thinking clearly",
    "I've been feeling good about myself",
    "I've been feeling close to other people",
    "I've been feeling confident",
    "I've been able to make up my own mind about things",
    "I've been feeling loved",
    "I've been interested in new things",
    "I've been feeling cheerful",
]
# SWEMWBS uses these WEMWBS items, in this order.
SWEMWBS_ITEM_NUMBERS = [1, 2, 3, 6, 7, 9, 11]
# Raw score (7-35) → metric score, as published.
SWEMWBS_METRIC: dict[int, Decimal] = {
    raw: Decimal(metric)
    for raw, metric in zip(
        range(7, 36),
        [
            "7.00",
            "9.51",
            "11.25",
            "12.40",
            "13.33",
            "14.08",
            "14.75",
            "15.32",
            "15.84",
            "16.36",
            "16.88",
            "17.43",
            "17.98",
            "18.59",
            "19.25",
            "19.98",
            "20.73",
            "21.54",
            "22.35",
            "23.21",
            "24.11",
            "25.03",
            "26.02",
            "27.03",
            "28.13",
            "29.31",
            "30.70",
            "32.55",
            "35.00",
        ],
        strict=True,
    )
}
MEANINGFUL_WEMWBS_CHANGE = 3


@dataclass(frozen=True)
class Instrument:
    """A standard instrument: its items (WEMWBS numbering) and copyright line."""

    code: str
    name: str
    item_numbers: list[int]
    copyright: str

    def items(self) -> list[tuple[int, str]]:
        """(WEMWBS item number, wording) in the published order."""
        return [(n, WEMWBS_ITEMS[n - 1]) for n in self.item_numbers]


WEMWBS = Instrument(
    code="wemwbs",
    name="Warwick-Edinburgh Mental Wellbeing Scale (WEMWBS)",
    item_numbers=list(range(1, 15)),
    copyright="Warwick-Edinburgh Mental Wellbeing Scale (WEMWBS) © NHS Health Scotland, "
    "University of Warwick and University of Edinburgh, 2006, all rights reserved.",
)
SWEMWBS = Instrument(
    code="swemwbs",
    name="Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS)",
    item_numbers=SWEMWBS_ITEM_NUMBERS,
    copyright="Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS) © NHS Health Scotland, "
    "University of Warwick and University of Edinburgh, 2008, all rights reserved.",
)
INSTRUMENTS = {WEMWBS.code: WEMWBS, SWEMWBS.code: SWEMWBS}


def _complete(answers: dict[int, int], numbers: list[int]) -> list[int] | None:
    values = [answers.get(n) for n in numbers]
    if any(v is None or not 1 <= v <= 5 for v in values):
        return None
    return [int(v) for v in values if v is not None]


def score_wemwbs(answers: dict[int, int]) -> int | None:
    """The WEMWBS total (14-70), or None unless all 14 items are answered 1-5."""
    values = _complete(answers, WEMWBS.item_numbers)
    return sum(values) if values is not None else None


def swemwbs_raw(answers: dict[int, int]) -> int | None:
    """The SWEMWBS raw sum (7-35), or None unless all 7 items are answered 1-5."""
    values = _complete(answers, SWEMWBS.item_numbers)
    return sum(values) if values is not None else None


def score_swemwbs(answers: dict[int, int]) -> Decimal | None:
    """The SWEMWBS metric score from the published table, or None unless all 7 answered."""
    raw = swemwbs_raw(answers)
    return SWEMWBS_METRIC[raw] if raw is not None else None


def score(code: str, answers: dict[int, int]) -> Decimal | None:
    """An instrument's score for a set of answers keyed by WEMWBS item number."""
    if code == WEMWBS.code:
        total = score_wemwbs(answers)
        return Decimal(total) if total is not None else None
    return score_swemwbs(answers)
