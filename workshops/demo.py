"""The demo programme, modelled on Keeping it Personal (Scotland, 2014)."""

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from boards.services import boards_ensure_for_session
from participants.models import Membership, Role, User
from participants.payments.demo import load_payments_demo
from participants.services import consent_record
from workshops import services
from workshops.evaluation.demo import load_evaluation_demo
from workshops.models import Activity, Attendance, Programme, Session

DEMO_PASSWORD = "comhla-demo-2026"  # noqa: S105 - printed for trying the demo, never production
STAFF = [
    ("morag@example.org", "Morag Campbell", Role.ORGANISER),
    ("fiona@example.org", "Fiona MacLeod", Role.FACILITATOR),
    ("priya@example.org", "Priya Shah", Role.PRACTITIONER),
]
SITES: list[dict[str, Any]] = [
    {
        "name": "Keeping it Personal: living with dementia",
        "site": "Dumfries and Galloway",
        "focus": "People living with dementia and their carers",
        "people": [
            ("Jean Robertson", Role.LIVED_EXPERIENCE),
            ("Tam Wilson", Role.LIVED_EXPERIENCE),
            ("Agnes Murray", Role.LIVED_EXPERIENCE),
            ("Isla Robertson", Role.CARER),
            ("Davie Stewart", Role.CARER),
        ],
    },
    {
        "name": "Keeping it Personal: living with heart failure",
        "site": "Fife",
        "focus": "People living with heart failure and their carers",
        "people": [
            ("Bill Anderson", Role.LIVED_EXPERIENCE),
            ("Margaret Reid", Role.LIVED_EXPERIENCE),
            ("Elspeth Gray", Role.CARER),
        ],
    },
]
SESSION_TITLES = [
    "Getting to know each other",
    "What matters to you",
    "What gets in the way",
    "Ideas for better support",
    "Testing our ideas",
    "Sharing the learning",
]
# What demo contributors said on the consent page (take part, quotes, contact, photos), and what
# helps them. Agnes has not answered yet: signing in with her card shows the consent page first.
DEMO_CONSENT: dict[str, tuple[bool, bool, bool, bool]] = {
    "Jean Robertson": (True, True, True, True),
    "Tam Wilson": (True, True, True, False),
    "Isla Robertson": (True, True, True, True),
    "Davie Stewart": (True, False, True, False),
    "Bill Anderson": (True, True, True, True),
    "Margaret Reid": (True, True, False, False),
    "Elspeth Gray": (True, True, True, True),
}
DEMO_NEEDS: dict[str, dict[str, Any]] = {
    "Jean Robertson": {"large_text": True, "read_aloud": True, "needs_supporter": True},
    "Tam Wilson": {"needs_hearing_loop": True, "needs_transport": True},
    "Isla Robertson": {"dietary_needs": "No gluten"},
    "Margaret Reid": {"needs_bsl": True, "other_needs": "A seat near the door: I tire quickly"},
    "Bill Anderson": {"needs_transport": True},
}
AGENDA = [
    (Activity.Kind.GO_ROUND, "Welcome and introductions", 15),
    (Activity.Kind.BOARD, "What matters to you", 25),
    (Activity.Kind.BREAK, "Tea break", 15),
    (Activity.Kind.DISCUSSION, "What could be better", 30),
    (Activity.Kind.FEEDBACK, "How was today?", 10),
]


def held_earlier(session: Session, members: list[Membership]) -> None:
    """Mark a past session as held: everyone but the organiser attended, 10:00 to 12:30."""
    start = timezone.localtime(session.starts_at).replace(hour=10, minute=0)
    Session.objects.filter(pk=session.pk).update(
        status=Session.Status.ENDED,
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        opened_at=start,
        ended_at=start + timedelta(hours=3),
        join_code=None,
    )
    from workshops.floor.models import Turn
    from workshops.floor.services import balance_record

    present = set()
    for i, member in enumerate(members):
        if member.role == Role.ORGANISER:
            continue
        Attendance.objects.create(
            session=session,
            user_id=member.user_id,
            admission=Attendance.Admission.ADMITTED,
            checked_in_at=start,
            checked_out_at=start + timedelta(hours=2, minutes=30),
        )
        present.add(member.user_id)
        # Everyone spoke; the practitioner rather longer than the rest.
        spoke = 60 + 45 * (i % 3) + (240 if member.role == Role.PRACTITIONER else 0)
        begun = start + timedelta(minutes=20 + 4 * i)
        Turn.objects.create(
            session=session,
            person_id=member.user_id,
            status=Turn.Status.DONE,
            raised_at=begun,
            started_at=begun,
            ended_at=begun + timedelta(seconds=spoke),
        )
    balance_record(session=session, present=present)


def staff_user(email: str, name: str) -> User:
    """A demo staff member who signs in with the demo password."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD, display_name=name)
    return user


@transaction.atomic
def load_demo() -> Programme:
    """Create the demo programmes once; make sure the first programme has a session live now."""
    staff: list[tuple[User, str]] = [(staff_user(email, name), role) for email, name, role in STAFF]
    first: Programme | None = None
    today = timezone.localdate()
    for index, spec in enumerate(SITES):
        programme = Programme.objects.filter(name=spec["name"]).first()
        if programme is None:
            organiser = staff[0][0]
            programme = services.programme_create(
                name=spec["name"],
                site=spec["site"],
                focus=spec["focus"],
                starts_on=today - timedelta(days=70),
                ends_on=today + timedelta(days=365),
                created_by=organiser,
            )
            for user, role in staff[1:]:
                Membership.objects.create(user=user, programme=programme, role=role)
            for name, role in spec["people"]:
                user = User.objects.create_user(display_name=name, **DEMO_NEEDS.get(name, {}))
                member = Membership.objects.create(user=user, programme=programme, role=role)
                if name in DEMO_CONSENT:
                    take_part, quotes, contact, photos = DEMO_CONSENT[name]
                    consent_record(
                        membership=member,
                        take_part=take_part,
                        quotes=quotes,
                        contact=contact,
                        photos=photos,
                        with_supporter=name == "Jean Robertson",
                    )
            now = timezone.now().replace(second=0, microsecond=0)
            for number, title in enumerate(SESSION_TITLES, start=1):
                # Six sessions over twelve months, about every two months: the first has been
                # held, the second is on now.
                starts = now - timedelta(minutes=30) + timedelta(days=61 * (number - 2))
                session = services.session_schedule(
                    programme=programme,
                    title=title,
                    starts_at=starts,
                    ends_at=starts + timedelta(hours=3),
                    place="Community hall, High Street" if index == 0 else "Heart health centre",
                )
                for kind, activity_title, minutes in AGENDA:
                    services.activity_add(
                        session=session, kind=kind, title=activity_title, timebox_minutes=minutes
                    )
                boards_ensure_for_session(session_id=session.pk)  # boards/services.py
                if number == 1:
                    held_earlier(session, [m for m in programme.memberships.all()])
            load_payments_demo(programme=programme, facilitator=staff[1][0], organiser=staff[0][0])
            load_evaluation_demo(programme=programme, organiser=staff[0][0])
        first = first or programme
    assert first is not None
    live = first.sessions.filter(status=Session.Status.LIVE).first()
    if live is None:
        upcoming = first.sessions.filter(status=Session.Status.SCHEDULED).order_by("number").first()
        if upcoming is not None:
            session = upcoming
            if session.ends_at < timezone.now():
                session.starts_at = timezone.now() - timedelta(minutes=30)
                session.ends_at = session.starts_at + timedelta(hours=3)
                session.save(update_fields=["starts_at", "ends_at"])
            services.session_open(session=session, by=staff[1][0])
    return first
