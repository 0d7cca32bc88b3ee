"""Sectors working together: which sectors were present at each session held."""

from dataclasses import dataclass

from participants.models import Sector
from workshops.models import Attendance, Session


@dataclass(frozen=True)
class SectorsTogether:
    """Which sectors were present at each session held, from the people who attended."""

    by_session: list[tuple[Session, frozenset[str]]]

    @property
    def both(self) -> int:
        """Sessions where statutory and third sector people both attended."""
        pair = {Sector.STATUTORY.value, Sector.THIRD.value}
        return sum(1 for _, sectors in self.by_session if pair <= sectors)


def sectors_together(*, programme_id: int) -> SectorsTogether:
    """Each session held (live or ended) with the sectors of the people who attended it, as
    their membership of this programme records them (one query for the attendance)."""
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
