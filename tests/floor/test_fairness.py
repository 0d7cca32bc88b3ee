"""The least-heard-first rule and the balance measures, as pure functions."""

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workshops.floor.fairness import Waiting, balance_index, gini, least_heard_first, why_next

T0 = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


def waiting(user_id: int, turns: int, airtime: float, raised_after: int) -> Waiting:
    return Waiting(
        user_id=user_id,
        turns=turns,
        airtime_seconds=airtime,
        raised_at=T0 + timedelta(seconds=raised_after),
    )


def test_someone_who_has_not_spoken_goes_before_someone_who_has_even_if_they_raised_later() -> None:
    talker = waiting(1, turns=2, airtime=300, raised_after=0)
    quiet = waiting(2, turns=0, airtime=0, raised_after=30)
    assert [w.user_id for w in least_heard_first([talker, quiet])] == [2, 1]


def test_fewer_turns_beat_less_airtime() -> None:
    one_long_turn = waiting(1, turns=1, airtime=600, raised_after=10)
    three_short_turns = waiting(2, turns=3, airtime=30, raised_after=0)
    assert [w.user_id for w in least_heard_first([three_short_turns, one_long_turn])] == [1, 2]


def test_with_equal_turns_less_airtime_goes_first_then_whoever_raised_first() -> None:
    a = waiting(1, turns=1, airtime=90, raised_after=0)
    b = waiting(2, turns=1, airtime=30, raised_after=5)
    c = waiting(3, turns=1, airtime=30, raised_after=2)
    assert [w.user_id for w in least_heard_first([a, b, c])] == [3, 2, 1]


def test_the_reason_is_in_plain_words() -> None:
    assert why_next(waiting(1, 0, 0, 0)) == "Has not spoken yet"
    assert why_next(waiting(1, 1, 40, 0)) == "1 turn so far, 40 s in all"
    assert why_next(waiting(1, 3, 125, 0)) == "3 turns so far, 2 min 5 s in all"


entries = st.lists(
    st.builds(
        waiting,
        user_id=st.integers(min_value=1, max_value=10_000),
        turns=st.integers(min_value=0, max_value=20),
        airtime=st.floats(min_value=0, max_value=7200, allow_nan=False),
        raised_after=st.integers(min_value=0, max_value=3600),
    ),
    max_size=30,
    unique_by=lambda w: w.user_id,
)


@given(entries)
def test_nobody_heard_less_is_ever_behind_someone_heard_more(queue: list[Waiting]) -> None:
    ordered = least_heard_first(queue)
    assert sorted(w.user_id for w in ordered) == sorted(w.user_id for w in queue)
    for i, earlier in enumerate(ordered):
        for later in ordered[i + 1 :]:
            heard_less = (later.turns, round(later.airtime_seconds, 3)) < (
                earlier.turns,
                round(earlier.airtime_seconds, 3),
            )
            assert not heard_less, (earlier, later)


@given(entries)
def test_ties_go_to_whoever_raised_first(queue: list[Waiting]) -> None:
    ordered = least_heard_first(queue)
    for earlier, later in itertools.pairwise(ordered):
        if (earlier.turns, round(earlier.airtime_seconds, 3)) == (
            later.turns,
            round(later.airtime_seconds, 3),
        ):
            assert earlier.raised_at <= later.raised_at


def test_equal_airtime_is_perfect_balance() -> None:
    assert gini([60, 60, 60, 60]) == pytest.approx(0)
    assert balance_index([60, 60, 60, 60]) == 100


@pytest.mark.parametrize("n", [2, 3, 4, 10])
def test_one_person_speaking_all_the_time_is_the_known_maximum(n: int) -> None:
    airtimes = [0.0] * (n - 1) + [300.0]
    assert gini(airtimes) == pytest.approx((n - 1) / n)
    assert balance_index(airtimes) == pytest.approx(round(100 / n, 1))


def test_people_who_never_spoke_count_as_zero() -> None:
    # Two of four spoke equally: Gini = 0.5 by hand (mean abs difference / (2 x mean)).
    assert gini([0, 0, 100, 100]) == pytest.approx(0.5)
    assert balance_index([0, 0, 100, 100]) == 50


def test_two_people_by_hand() -> None:
    # 30 s and 90 s: mean absolute difference 30 (pairs 0, 60, 60, 0 over 4), mean 60,
    # Gini = 30 / (2 x 60) = 0.25 → index 75.0.
    assert gini([30, 90]) == pytest.approx(0.25)
    assert balance_index([30, 90]) == 75.0


def test_nobody_here_or_nobody_spoken_has_no_index_rather_than_a_perfect_one() -> None:
    # An even share of nothing is not balance: 100 here would flatter the session.
    assert balance_index([]) is None
    assert balance_index([0, 0, 0]) is None
    assert balance_index([0.0]) is None
    # One second of airtime among three is a measure: one person had all of it.
    assert balance_index([0, 0, 1]) == pytest.approx(33.3)


@given(st.lists(st.floats(min_value=0, max_value=1e5, allow_nan=False), min_size=1, max_size=50))
def test_the_index_stays_between_0_and_100(airtimes: list[float]) -> None:
    index = balance_index(airtimes)
    if sum(airtimes) <= 0:
        assert index is None
    else:
        assert index is not None and 0 <= index <= 100
