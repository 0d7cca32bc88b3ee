"""The one rule for who speaks next, and the balance measures. Pure functions over plain data.

Least heard first: fewer turns taken this session, then less airtime, then whoever raised
their hand first. Nobody heard less is ever placed behind someone heard more.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext, ngettext


@dataclass(frozen=True)
class Waiting:
    """Someone waiting for the floor, with how much they have been heard this session."""

    user_id: int
    turns: int
    airtime_seconds: float
    raised_at: datetime


def priority(entry: Waiting) -> tuple[int, float, datetime, int]:
    """The sort key: turns, then airtime, then who raised first (user id breaks exact ties)."""
    return (entry.turns, round(entry.airtime_seconds, 3), entry.raised_at, entry.user_id)


def least_heard_first(entries: Iterable[Waiting]) -> list[Waiting]:
    """Order a queue so the least heard speak first."""
    return sorted(entries, key=priority)


def why_next(entry: Waiting) -> str:
    """Plain words for where someone stands: the screen says why someone is next."""
    if entry.turns == 0:
        return gettext("Has not spoken yet")
    minutes, seconds = divmod(int(entry.airtime_seconds), 60)
    if minutes:
        spoken = gettext("%(minutes)d min %(seconds)d s") % {"minutes": minutes, "seconds": seconds}
    else:
        spoken = gettext("%(seconds)d s") % {"seconds": seconds}
    turns = ngettext("%(count)d turn", "%(count)d turns", entry.turns) % {"count": entry.turns}
    return gettext("%(turns)s so far, %(spoken)s in all") % {"turns": turns, "spoken": spoken}


def gini(values: Sequence[float]) -> float:
    """The Gini coefficient of non-negative values: 0 is perfectly even.

    With n people and one of them holding everything, it is (n - 1) / n. Nobody present, or
    nobody having spoken at all, gives 0 (balance_index then gives no index at all).
    """
    n = len(values)
    total = sum(values)
    if n == 0 or total <= 0:
        return 0.0
    ordered = sorted(values)
    weighted = sum((i + 1) * v for i, v in enumerate(ordered))
    return (2 * weighted) / (n * total) - (n + 1) / n


def balance_index(airtimes: Sequence[float]) -> float | None:
    """100 x (1 - Gini) over per-person airtime among those present: 100 is perfectly even.

    None when nobody present has had any airtime: an even share of nothing is not balance, and
    reading it as 100 would flatter a session where nobody took the floor.
    """
    if not airtimes or sum(airtimes) <= 0:
        return None
    return round(100 * (1 - gini(airtimes)), 1)
