"""The demo's two programmes, modelled on Keeping it Personal (Scotland, 2014): six workshop
days over twelve months at each site, each day with its own agenda; the first four held, the
fifth on now, the sixth to come."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from participants.models import Membership, Role, User
from workshops import services
from workshops.floor.models import Turn
from workshops.floor.services import balance_record
from workshops.management.demo.people import MOTHERWELL, NORTH_WEST_GLASGOW, Person
from workshops.models import Activity, Attendance, Programme, Session

Kind = Activity.Kind


@dataclass(frozen=True)
class Site:
    """One partnership site: its programme, its people and where it meets."""

    key: str
    name: str
    site: str
    focus: str
    place: str
    people: list[Person]
    staff: tuple[str, ...]
    # A name to pick when joining by code, printed with the join code.
    example: str


SITES = [
    Site(
        key="glasgow",
        name="Keeping it Personal — North West Glasgow",
        site="North West Glasgow",
        focus="People living with dementia, their carers and the people who support them",
        place="Community hall, Dumbarton Road, Partick",
        people=NORTH_WEST_GLASGOW,
        staff=("morag@example.org", "fiona@example.org", "priya@example.org"),
        example="Jean Robertson",
    ),
    Site(
        key="motherwell",
        name="Keeping it Personal — Motherwell",
        site="Motherwell area",
        focus="People living with heart failure, their carers and the people who support them",
        place="Resource centre, Merry Street, Motherwell",
        people=MOTHERWELL,
        staff=("morag@example.org", "fiona@example.org"),
        example="Bill Anderson",
    ),
]

# Six workshop days, about every ten weeks, over twelve months: learning together, improving
# together, sharing the learning. Each day has its own agenda.
SESSIONS: list[tuple[str, list[tuple[str, str, int]]]] = [
    (
        "Getting to know each other",
        [
            (Kind.GO_ROUND, "Welcome: your name and one thing that matters to you", 20),
            (Kind.DISCUSSION, "What does person-centred care mean to each of us?", 30),
            (Kind.BREAK, "Tea and biscuits", 15),
            (Kind.BOARD, "What matters to you", 30),
            (Kind.FEEDBACK, "How was today?", 10),
        ],
    ),
    (
        "What good support looks like",
        [
            (Kind.GO_ROUND, "Check-in: what has happened since we last met", 15),
            (Kind.DISCUSSION, "Stories of support that worked, and support that didn't", 35),
            (Kind.BREAK, "Tea break", 15),
            (Kind.BOARD, "What helps, and what gets in the way", 30),
            (Kind.FEEDBACK, "How was today?", 10),
        ],
    ),
    (
        "Building on what we have",
        [
            (Kind.GO_ROUND, "Check-in: something you are good at", 15),
            (Kind.BOARD, "What our community already has", 35),
            (Kind.BREAK, "Tea break", 15),
            (Kind.DISCUSSION, "Peer support: who do we turn to, and who turns to us?", 30),
            (Kind.FEEDBACK, "How was today?", 10),
        ],
    ),
    (
        "Choosing what to improve",
        [
            (Kind.GO_ROUND, "Check-in and news", 15),
            (Kind.BOARD, "Ideas for better support", 35),
            (Kind.BREAK, "Tea break", 15),
            (Kind.DISCUSSION, "Which ideas we take forward, and who does what", 30),
            (Kind.FEEDBACK, "How was today?", 10),
        ],
    ),
    (
        "Testing our ideas",
        [
            (Kind.GO_ROUND, "Check-in: how have the changes gone?", 15),
            (Kind.DISCUSSION, "You said, we did: what happened to our ideas", 25),
            (Kind.BOARD, "What we learned from trying things", 30),
            (Kind.BREAK, "Tea break", 15),
            (Kind.FEEDBACK, "How was today?", 10),
        ],
    ),
    (
        "Sharing the learning",
        [
            (Kind.GO_ROUND, "Welcome to colleagues from the wider workforce", 15),
            (Kind.DISCUSSION, "Our year together: what we would tell other teams", 40),
            (Kind.BREAK, "Tea break", 15),
            (Kind.BOARD, "What we want others to take away", 30),
            (Kind.FEEDBACK, "How was the year?", 15),
        ],
    ),
]
EVERY = timedelta(days=73)  # six days over a year: 5 x 73 = 365
LIVE = 5  # the session that is on now; those before it have been held
STARTS_AT = time(10, 0)
HELD_FOR = timedelta(hours=3)


def session_times(now: datetime) -> dict[int, datetime]:
    """When each of the six sessions starts: 10:00 every ten weeks or so, the fifth one now."""
    today = timezone.localdate(now)
    first = today - (LIVE - 1) * EVERY
    times = {
        number: timezone.make_aware(datetime.combine(first + (number - 1) * EVERY, STARTS_AT))
        for number in range(1, len(SESSIONS) + 1)
    }
    times[LIVE] = now.replace(second=0, microsecond=0) - timedelta(minutes=30)
    return times


def programme_build(
    *, site: Site, organiser: User, times: dict[int, datetime]
) -> tuple[Programme, list[Session]]:
    """The programme with its six sessions and their agendas, all still scheduled."""
    starts_on: date = timezone.localdate(times[1])
    programme = services.programme_create(
        name=site.name,
        site=site.site,
        focus=site.focus,
        starts_on=starts_on,
        ends_on=starts_on + 5 * EVERY,
        created_by=organiser,
    )
    # Under way: no service moves a programme's status yet.
    Programme.objects.filter(pk=programme.pk).update(status=Programme.Status.ACTIVE)
    Membership.objects.filter(programme=programme, user=organiser).update(joined_on=starts_on)
    sessions = []
    for number, (title, agenda) in enumerate(SESSIONS, start=1):
        session = services.session_schedule(
            programme=programme,
            title=title,
            starts_at=times[number],
            ends_at=times[number] + HELD_FOR,
            place=site.place,
        )
        for kind, activity_title, minutes in agenda:
            services.activity_add(
                session=session, kind=kind, title=activity_title, timebox_minutes=minutes
            )
        sessions.append(session)
    return programme, sessions


def attendees(site: Site, members: dict[str, Membership], number: int) -> list[Membership]:
    """Who came to a held session: everyone who had joined and did not miss it."""
    return [
        members[p.name] for p in site.people if p.joined_at <= number and number not in p.missed
    ]


def session_hold(session: Session, people: list[Membership]) -> set[int]:
    """Record a session as held on its day: who came (10:00 to 12:30) and who spoke for how
    long. Returns who was present."""
    start = session.starts_at
    Session.objects.filter(pk=session.pk).update(
        status=Session.Status.ENDED,
        opened_at=start,
        ended_at=start + HELD_FOR,
        join_code=None,
    )
    present: set[int] = set()
    turns = []
    for i, member in enumerate(people):
        Attendance.objects.create(
            session=session,
            user_id=member.user_id,
            admission=Attendance.Admission.ADMITTED,
            requested_at=start,
            checked_in_at=start,
            checked_out_at=start + timedelta(hours=2, minutes=30),
        )
        present.add(member.user_id)
        # At the first session the professionals did most of the talking; by the fourth the
        # room is far more even: the balance index in the reports rises session by session.
        practitioner = member.role in (Role.PRACTITIONER, Role.FACILITATOR)
        if practitioner:
            spoke = 420 - 80 * (session.number - 1) + 20 * (i % 2)
        else:
            spoke = 50 + 45 * (session.number - 1) + 15 * (i % 3)
        for turn in range(2):
            begun = start + timedelta(minutes=20 + 5 * i + 60 * turn)
            turns.append(
                Turn(
                    session=session,
                    person_id=member.user_id,
                    status=Turn.Status.DONE,
                    raised_at=begun,
                    started_at=begun,
                    ended_at=begun + timedelta(seconds=spoke // 2),
                )
            )
    Turn.objects.bulk_create(turns)
    return present


def session_close(session: Session, present: set[int]) -> None:
    """Keep the held session's equal-voice summary (once its ideas and votes are in)."""
    balance_record(session=session, present=present)


def rsvps_add(session: Session, members: dict[str, Membership]) -> None:
    """Some answers to "Are you coming?" for the session to come."""
    answers = list(members.values())
    for i, member in enumerate(answers[:4]):
        services.rsvp_set(
            session=session,
            user=member.user,
            coming=i != 2,
            needs="A lift there and back, please" if i == 0 else "",
        )


def live_keep(programme: Programme, *, by: User) -> Session | None:
    """Make sure the programme has a session on now: open the next one if none is (moved to
    now when its time has passed or is far off, so its join code works)."""
    live = programme.sessions.filter(status=Session.Status.LIVE).first()
    if live is not None:
        return live
    session = programme.sessions.filter(status=Session.Status.SCHEDULED).order_by("number").first()
    if session is None:
        return None
    now = timezone.now()
    if not session.starts_at - timedelta(hours=1) <= now <= session.ends_at:
        length = session.ends_at - session.starts_at
        session.starts_at = now.replace(second=0, microsecond=0) - timedelta(minutes=30)
        session.ends_at = session.starts_at + length
        session.save(update_fields=["starts_at", "ends_at"])
    return services.session_open(session=session)
