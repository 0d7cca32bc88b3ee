"""Reads of the balance of voices: airtime, turns and contributions per person and per role
group, the balance index, and the equal-voice summary kept when a session ends."""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from participants.models import STEERING_ROLES, Role
from workshops.floor import fairness, selectors
from workshops.floor.models import BalanceRecord
from workshops.models import Session

ContributionCounter = Callable[..., dict[int, dict[str, int]]]
CONTRIBUTION_COUNTERS: list[ContributionCounter] = []

ROLE_GROUPS = [
    (Role.LIVED_EXPERIENCE, _("People with lived experience")),
    (Role.CARER, _("Unpaid carers")),
    (Role.PRACTITIONER, _("Practitioners")),
    (Role.FACILITATOR, _("Facilitators")),
]


def register_contribution_counter(counter: ContributionCounter) -> None:
    """Let another app count contributions per person (boards: cards and votes)."""
    if counter not in CONTRIBUTION_COUNTERS:
        CONTRIBUTION_COUNTERS.append(counter)


@dataclass
class PersonFigures:
    """One person's voice in a session."""

    user_id: int
    name: str
    role: str
    airtime_seconds: float = 0.0
    turns: int = 0
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class GroupFigures:
    """One role group's share of the people present and of the airtime."""

    label: str
    people: int = 0
    airtime_seconds: float = 0.0
    turns: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    share_of_people: float = 0.0
    share_of_airtime: float = 0.0


@dataclass
class Balance:
    """The live picture of whose voice is heard."""

    people: list[PersonFigures]
    groups: list[GroupFigures]
    # None until someone here has had airtime (fairness.balance_index).
    index: float | None
    not_yet_heard: list[PersonFigures]
    count_names: list[str]
    total_airtime: float

    @property
    def anyone_heard(self) -> bool:
        """Whether anyone here has had airtime: before that the index means nothing."""
        return self.total_airtime > 0

    @property
    def turns_taken(self) -> int:
        """Turns taken this session by everyone here or heard (0: nobody took the floor)."""
        return sum(p.turns for p in self.people)


def balance(
    *,
    session: Session,
    present: set[int] | None = None,
    heard: dict[int, tuple[int, float]] | None = None,
    members: dict[int, tuple[str, str]] | None = None,
) -> Balance:
    """Airtime, turns and contributions per person and per role group, and the balance index
    over per-person airtime among the people present."""
    present = selectors.present_user_ids(session=session) if present is None else present
    heard = selectors.heard_so_far(session=session) if heard is None else heard
    counts, count_names = contributions(session=session)
    involved = present | set(heard)
    if members is None:
        members = selectors.members(session=session, user_ids=involved)
    people = _people(members, involved, heard, counts, count_names)
    here = [p for p in people if p.user_id in present]
    total_airtime = sum(p.airtime_seconds for p in here)
    return Balance(
        people=people,
        groups=[
            _group(role, label, here, total_airtime, count_names) for role, label in ROLE_GROUPS
        ],
        index=fairness.balance_index([p.airtime_seconds for p in here]),
        not_yet_heard=_not_yet_heard(here),
        count_names=count_names,
        total_airtime=total_airtime,
    )


def contributions(*, session: Session) -> tuple[dict[int, dict[str, int]], list[str]]:
    """What the other apps counted per person ({user_id: {"cards": n, ...}}), and the names
    of the counts in the order they were first met."""
    counts: dict[int, dict[str, int]] = {}
    count_names: list[str] = []
    for counter in CONTRIBUTION_COUNTERS:
        for uid, figures in counter(session=session).items():
            counts.setdefault(uid, {}).update(figures)
            count_names += [name for name in figures if name not in count_names]
    return counts, count_names


def _people(
    members: dict[int, tuple[str, str]],
    involved: set[int],
    heard: dict[int, tuple[int, float]],
    counts: dict[int, dict[str, int]],
    count_names: list[str],
) -> list[PersonFigures]:
    """Everyone present or heard, most airtime first."""
    people = []
    for uid, (name, role) in members.items():
        if uid not in involved:
            continue
        turns, airtime = heard.get(uid, (0, 0.0))
        own = counts.get(uid, {})
        people.append(
            PersonFigures(
                user_id=uid,
                name=name,
                role=role,
                airtime_seconds=airtime,
                turns=turns,
                counts={n: own.get(n, 0) for n in count_names},
            )
        )
    people.sort(key=lambda p: (-p.airtime_seconds, p.name.lower()))
    return people


def _group(
    role: Role,
    label: str | Promise,
    here: list[PersonFigures],
    total_airtime: float,
    count_names: list[str],
) -> GroupFigures:
    """One role group's figures among the people here (organisers count as facilitators)."""
    roles = {role} | ({Role.ORGANISER} if role == Role.FACILITATOR else set())
    members_here = [p for p in here if p.role in roles]
    group = GroupFigures(
        label=str(label),
        people=len(members_here),
        airtime_seconds=sum(p.airtime_seconds for p in members_here),
        turns=sum(p.turns for p in members_here),
        counts={n: sum(p.counts.get(n, 0) for p in members_here) for n in count_names},
    )
    group.share_of_people = 100 * group.people / len(here) if here else 0.0
    group.share_of_airtime = 100 * group.airtime_seconds / total_airtime if total_airtime else 0.0
    return group


def _not_yet_heard(here: list[PersonFigures]) -> list[PersonFigures]:
    """People here, not steering, who have not had a turn yet, by name."""
    return sorted(
        (p for p in here if p.turns == 0 and p.role not in STEERING_ROLES),
        key=lambda p: p.name.lower(),
    )


def figures(
    *, session: Session, present: set[int] | None = None
) -> tuple[Decimal | None, dict[str, Any]]:
    """The equal-voice summary as plain data (for the record and the CSV); no index when
    nobody took the floor."""
    picture = balance(session=session, present=present)
    data = {
        "people": [
            {
                "user_id": p.user_id,
                "role": p.role,
                "airtime_seconds": round(p.airtime_seconds, 1),
                "turns": p.turns,
                **p.counts,
            }
            for p in picture.people
        ],
        "groups": [
            {
                "group": g.label,
                "people": g.people,
                "share_of_people": round(g.share_of_people, 1),
                "airtime_seconds": round(g.airtime_seconds, 1),
                "share_of_airtime": round(g.share_of_airtime, 1),
                "turns": g.turns,
                **g.counts,
            }
            for g in picture.groups
        ],
        "not_yet_heard": [p.user_id for p in picture.not_yet_heard],
        "turns_taken": picture.turns_taken,
    }
    index = Decimal(str(picture.index)) if picture.index is not None else None
    return index, data


def summary(*, session: Session) -> tuple[Decimal | None, dict[str, object]]:
    """The session's equal-voice summary: the one kept when it ended, else worked out now."""
    record = BalanceRecord.objects.filter(session=session).first()
    if record is None:
        return figures(session=session)
    return record.balance_index, record.figures
