"""The demo's people: three staff who sign in with a password, and at each site people living
with the condition, unpaid carers and practitioners, with their consent and what helps them."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from participants.models import Consent, Membership, Role, Sector, User
from participants.services import consent_record
from workshops.models import Programme

DEMO_PASSWORD = "comhla-demo-2026"  # noqa: S105 - printed for trying the demo, never production
STAFF = [
    ("morag@example.org", "Morag Campbell", Role.ORGANISER),
    ("fiona@example.org", "Fiona MacLeod", Role.FACILITATOR),
    ("priya@example.org", "Priya Shah", Role.PRACTITIONER),
]
# Where the staff come from: the sectors indicator counts who worked together.
STAFF_ORGANISATIONS = {
    "morag@example.org": ("Iriss", Sector.THIRD),
    "fiona@example.org": ("Iriss", Sector.THIRD),
    "priya@example.org": ("NHS Greater Glasgow and Clyde", Sector.STATUTORY),
}
ORGANISER, FACILITATOR, PRACTITIONER = (email for email, _, _ in STAFF)


@dataclass(frozen=True)
class Person:
    """One contributor or practitioner at a site, as the demo makes them."""

    name: str
    role: Role
    # Take part, quotes, contact for follow-up, photos; None: not answered yet.
    consent: tuple[bool, bool, bool, bool] | None = (True, True, True, True)
    with_supporter: bool = False
    needs: dict[str, Any] = field(default_factory=dict)
    # The session they first came to, and the held sessions they missed.
    joined_at: int = 1
    missed: tuple[int, ...] = ()
    # Practitioners' organisations; contributors take part as unpaid people.
    organisation: str = ""
    sector: Sector = Sector.UNPAID


NORTH_WEST_GLASGOW = [
    Person(
        "Jean Robertson",
        Role.LIVED_EXPERIENCE,
        with_supporter=True,
        needs={"large_text": True, "read_aloud": True, "needs_supporter": True},
    ),
    Person(
        "Tam Wilson",
        Role.LIVED_EXPERIENCE,
        consent=(True, True, True, False),
        needs={"needs_hearing_loop": True, "needs_transport": True},
        missed=(3,),
    ),
    # New this month: she has not answered the consent page yet, so signing in with her card
    # shows it first, and she counts as a no to photos and quotes until she does.
    Person("Agnes Murray", Role.LIVED_EXPERIENCE, consent=None, joined_at=5),
    Person("Isla Robertson", Role.CARER, needs={"dietary_needs": "No gluten"}),
    Person("Davie Stewart", Role.CARER, consent=(True, False, True, False), missed=(2,)),
    Person(
        "Gordon Fraser",
        Role.PRACTITIONER,
        missed=(4,),
        organisation="Glasgow City Health and Social Care Partnership",
        sector=Sector.STATUTORY,
    ),
    Person("Ruth Kerr", Role.PRACTITIONER, organisation="Alzheimer Scotland", sector=Sector.THIRD),
]
MOTHERWELL = [
    Person("Bill Anderson", Role.LIVED_EXPERIENCE, needs={"needs_transport": True}),
    Person(
        "Margaret Reid",
        Role.LIVED_EXPERIENCE,
        consent=(True, True, False, False),
        needs={"needs_bsl": True, "other_needs": "A seat near the door: I tire quickly"},
        missed=(2,),
    ),
    Person("Jim Cairns", Role.LIVED_EXPERIENCE, missed=(4,)),
    Person("Elspeth Gray", Role.CARER),
    Person("Sandra Cairns", Role.CARER, consent=(True, True, True, False)),
    Person(
        "Alan Baird",
        Role.PRACTITIONER,
        organisation="NHS Lanarkshire heart failure nursing",
        sector=Sector.STATUTORY,
    ),
    Person(
        "Karen Lindsay",
        Role.PRACTITIONER,
        missed=(3,),
        organisation="Chest Heart & Stroke Scotland",
        sector=Sector.THIRD,
    ),
]


def staff_user(email: str, name: str) -> User:
    """A demo staff member who signs in with the demo password (made once)."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD, display_name=name)
    return user


def staff_users() -> dict[str, User]:
    """The three staff, by email."""
    return {email: staff_user(email, name) for email, name, _ in STAFF}


def people_add(
    *, programme: Programme, people: list[Person], staff: list[User], joined: dict[int, datetime]
) -> dict[str, Membership]:
    """Make each person a member of the programme from the session they joined at, with the
    consent they gave that day; `staff` join as the roles STAFF gives them."""
    roles = {email: role for email, _, role in STAFF}
    first = joined[1]
    for user in staff:
        Membership.objects.get_or_create(
            user=user,
            programme=programme,
            defaults={
                "role": roles[str(user.email)],
                "joined_on": timezone.localdate(first),
                "organisation": STAFF_ORGANISATIONS[str(user.email)][0],
                "sector": STAFF_ORGANISATIONS[str(user.email)][1],
            },
        )
    members = {}
    for person in people:
        when = joined[person.joined_at]
        user = User.objects.create_user(display_name=person.name, **person.needs)
        User.objects.filter(pk=user.pk).update(date_joined=when)
        member = Membership.objects.create(
            user=user,
            programme=programme,
            role=person.role,
            joined_on=timezone.localdate(when),
            organisation=person.organisation,
            sector=person.sector,
        )
        if person.consent is not None:
            take_part, quotes, contact, photos = person.consent
            consent = consent_record(
                membership=member,
                take_part=take_part,
                quotes=quotes,
                contact=contact,
                photos=photos,
                with_supporter=person.with_supporter,
            )
            # Given on paper at their first session, before it started.
            Consent.objects.filter(pk=consent.pk).update(answered_at=when - timedelta(minutes=20))
        members[person.name] = member
    return members
