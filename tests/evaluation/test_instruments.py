"""WEMWBS and SWEMWBS scored exactly as published, for every possible raw total."""

from decimal import Decimal

import pytest

from workshops.evaluation import instruments

# The published SWEMWBS raw → metric conversion (Stewart-Brown et al. 2009; Warwick Medical
# School), written out here independently of the code's table.
PUBLISHED = {
    7: "7.00",
    8: "9.51",
    9: "11.25",
    10: "12.40",
    11: "13.33",
    12: "14.08",
    13: "14.75",
    14: "15.32",
    15: "15.84",
    16: "16.36",
    17: "16.88",
    18: "17.43",
    19: "17.98",
    20: "18.59",
    21: "19.25",
    22: "19.98",
    23: "20.73",
    24: "21.54",
    25: "22.35",
    26: "23.21",
    27: "24.11",
    28: "25.03",
    29: "26.02",
    30: "27.03",
    31: "28.13",
    32: "29.31",
    33: "30.70",
    34: "32.55",
    35: "35.00",
}


def answers_summing_to(total: int, numbers: list[int]) -> dict[int, int]:
    """Answers (1-5) to the given items whose sum is `total`."""
    values = [1] * len(numbers)
    left = total - len(numbers)
    for i in range(len(values)):
        step = min(4, left)
        values[i] += step
        left -= step
    assert left == 0
    return dict(zip(numbers, values, strict=True))


@pytest.mark.parametrize("raw", range(7, 36))
def test_swemwbs_metric_score_for_every_raw_total(raw: int) -> None:
    answers = answers_summing_to(raw, instruments.SWEMWBS_ITEM_NUMBERS)
    assert instruments.swemwbs_raw(answers) == raw
    assert instruments.score_swemwbs(answers) == Decimal(PUBLISHED[raw])


@pytest.mark.parametrize("total", range(14, 71))
def test_wemwbs_total_for_every_possible_total(total: int) -> None:
    answers = answers_summing_to(total, list(range(1, 15)))
    assert instruments.score_wemwbs(answers) == total


def test_partial_swemwbs_gives_no_score() -> None:
    answers = answers_summing_to(21, instruments.SWEMWBS_ITEM_NUMBERS)
    del answers[11]
    assert instruments.score_swemwbs(answers) is None
    assert instruments.score_wemwbs({1: 3}) is None


def test_out_of_range_answers_give_no_score() -> None:
    answers = answers_summing_to(21, instruments.SWEMWBS_ITEM_NUMBERS)
    answers[1] = 6
    assert instruments.score_swemwbs(answers) is None


def test_swemwbs_uses_the_published_seven_items_in_order() -> None:
    items = [text for _, text in instruments.SWEMWBS.items()]
    assert items == [
        "I've been feeling optimistic about the future",
        "I've been feeling useful",
        "I've been feeling relaxed",
        "I've been dealing with problems well",
        "I've been thinking clearly",
        "I've been feeling close to other people",
        "I've been able to make up my own mind about things",
    ]
    assert len(instruments.WEMWBS.items()) == 14
