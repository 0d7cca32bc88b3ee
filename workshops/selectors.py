"""Reads of programmes, sessions and rooms that are more than a line."""

from collections import OrderedDict
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participants.models import PAID_ROLES, STEERING_ROLES, Membership, Role, User
from participants.selectors import consents_in
from project import rows
from workshops.models import (
    Activity,
    AgendaTemplate,
    Attendance,
    JoinClaim,
    Programme,
    Rsvp,
    Session,
)
from workshops.room import presence

ROLE_GROUP_ORDER = [
    Role.LIVED_EXPERIENCE,
    Role.CARER,
    Role.PRACTITIONER,
    Role.FACILITATOR,
    Role.ORGANISER,
]
ROLE_GROUP_LABELS = {
    Role.LIVED_EXPERIENCE: _("People with lived experience"),
    Role.CARER: _("Unpaid carers"),
    Role.PRACTITIONER: _("Practitioners"),
    Role.FACILITATOR: _("Facilitators"),
    Role.ORGANISER: _("Organisers"),
}


@cache
def _session_for_room_sql() -> str:
    session, programme, activity = Session, Programme, Activity
    return (
        f"SELECT {rows.select_list(session, 's')}, {rows.select_list(programme, 'p')},"  # noqa: S608
        f" {rows.select_list(activity, 'a')}"
        f" FROM {session._meta.db_table} s"
        f" INNER JOIN {programme._meta.db_table} p ON p.id = s.programme_id"
        f" LEFT JOIN {activity._meta.db_table} a ON a.id = s.current_activity_id"
        " WHERE s.id = %s"
    )


def session_for_room(session_id: int) -> Session | None:
    """A session with its programme and current activity, as the room renders it, or None.
    One hand-written query (project/rows.py): every handshake and presence push reads it."""
    row = rows.fetch_one(_session_for_room_sql(), [session_id])
    if row is None:
        return None
    session, programme, activity = rows.instances(row, Session, Programme, Activity)
    assert isinstance(session, Session)
    Session._meta.get_field("programme").set_cached_value(session, programme)
    Session._meta.get_field("current_activity").set_cached_value(session, activity)
    return session


def programmes_for(*, user: Any) -> QuerySet[Programme]:
    """The programmes a person belongs to, with their role and session counts."""
    return (
        Programme.objects.filter(
            memberships__user=user, memberships__left_on__isnull=True, memberships__invited=False
        )
        .annotate(
            session_count=Count("sessions", distinct=True),
            live_count=Count(
                "sessions", filter=Q(sessions__status=Session.Status.LIVE), distinct=True
            ),
        )
        .order_by("-starts_on", "name")
    )


def live_sessions_for(*, user: Any) -> QuerySet[Session]:
    """Sessions live now in the person's programmes."""
    return (
        Session.objects.filter(
            programme__memberships__user=user,
            programme__memberships__left_on__isnull=True,
            programme__memberships__invited=False,
            status=Session.Status.LIVE,
        )
        .select_related("programme")
        .order_by("starts_at")
    )


UPCOMING_LIMIT = 10


def upcoming_sessions_for(*, user: Any) -> list[Session]:
    """Sessions not yet started in the person's programmes (cancelled ones too, so they hear
    of it), soonest first, each with `my_rsvp` (their answer or None)."""
    sessions = list(
        Session.objects.filter(
            programme__memberships__user=user,
            programme__memberships__left_on__isnull=True,
            programme__memberships__invited=False,
            status__in=[Session.Status.SCHEDULED, Session.Status.CANCELLED],
            ends_at__gte=timezone.now(),
        )
        .select_related("programme")
        .order_by("starts_at")[:UPCOMING_LIMIT]
    )
    answers = {r.session_id: r for r in Rsvp.objects.filter(user=user, session__in=sessions)}
    for s in sessions:
        s.my_rsvp = answers.get(s.pk)  # type: ignore[attr-defined]
    return sessions


def rsvp_for(*, session: Session, user: Any) -> Rsvp | None:
    """A person's own answer for a session."""
    return Rsvp.objects.filter(session=session, user=user).first()


def rsvps(*, session: Session) -> dict[str, list[Rsvp]]:
    """Who said they are coming and who is not, by name, with the needs they gave."""
    answers = list(
        Rsvp.objects.filter(session=session)
        .select_related("user")
        .order_by("user__display_name", "pk")
    )
    return {
        "coming": [r for r in answers if r.coming],
        "not_coming": [r for r in answers if not r.coming],
    }


def other_sessions_with_agenda(*, session: Session) -> list[Session]:
    """The programme's other sessions that have an agenda to copy."""
    return list(
        Session.objects.filter(programme_id=session.programme_id, activities__isnull=False)
        .exclude(pk=session.pk)
        .distinct()
        .order_by("number")
    )


def agenda_templates(*, programme_id: int) -> list[AgendaTemplate]:
    """A programme's saved agendas."""
    return list(AgendaTemplate.objects.filter(programme_id=programme_id).order_by("name"))


def programme_timeline(*, programme: Programme) -> list[Session]:
    """A programme's sessions in order, each with its agenda."""
    return list(
        programme.sessions.order_by("number").prefetch_related(
            Prefetch("activities", queryset=Activity.objects.order_by("order", "pk"))
        )
    )


def invitations_for(*, user: Any) -> QuerySet[Membership]:
    """Invitations to programmes this person has not answered yet."""
    return Membership.objects.filter(user=user, invited=True, left_on__isnull=True).select_related(
        "programme"
    )


def programme_invitations(*, programme: Programme) -> list[Membership]:
    """Invitations a programme sent that are not yet accepted (shown by the name typed)."""
    return list(
        Membership.objects.filter(programme=programme, invited=True, left_on__isnull=True).order_by(
            "invited_name"
        )
    )


def programme_people(*, programme: Programme) -> list[Membership]:
    """Everyone in a programme who accepted, by role then name."""
    order = {role: i for i, role in enumerate(ROLE_GROUP_ORDER)}
    members = list(
        Membership.objects.filter(
            programme=programme, left_on__isnull=True, invited=False
        ).select_related("user")
    )
    return sorted(members, key=lambda m: (order.get(Role(m.role), 9), m.user.display_name.lower()))


@dataclass
class ExpectedPerson:
    """Someone expected at a session, as the facilitators' briefing shows them."""

    membership: Membership
    needs: list[tuple[str, str]]
    consent: Any  # their newest Consent, or None if they have not answered

    @property
    def no_photos(self) -> bool:
        """Not agreed to photos (no answer is a no)."""
        return not (self.consent and self.consent.take_part and self.consent.photos)

    @property
    def no_quotes(self) -> bool:
        """Not agreed to their words in reports (no answer is a no)."""
        return not (self.consent and self.consent.take_part and self.consent.quotes)


def session_briefing(*, session: Session) -> dict[str, list[ExpectedPerson]]:
    """Who is expected at a session (the programme's contributors, and anyone already in it),
    what each needs, and who has not agreed to photos or to being quoted."""
    members = [
        m
        for m in programme_people(programme=session.programme)
        if m.role not in STEERING_ROLES
        and (m.walk_in_session_id is None or m.walk_in_session_id == session.pk)
    ]
    consents = consents_in(programme=session.programme)
    people = [ExpectedPerson(m, m.user.access_needs, consents.get(m.user_id)) for m in members]
    return {
        "people": people,
        "with_needs": [p for p in people if p.needs],
        "no_photos": [p for p in people if p.no_photos],
        "no_quotes": [p for p in people if p.no_quotes],
    }


def pending_claims(*, session: Session) -> list[JoinClaim]:
    """Names picked in the room that wait for a facilitator to confirm, oldest first."""
    return list(
        JoinClaim.objects.filter(session=session, status=JoinClaim.Status.PENDING).select_related(
            "user"
        )
    )


def joinable_people(*, programme: Programme) -> list[User]:
    """The names someone joining by code may pick from: people without a password sign-in.

    Staff who sign in with a password are never claimable by picking a name.
    """
    return list(
        User.objects.filter(
            memberships__programme=programme,
            memberships__left_on__isnull=True,
            memberships__invited=False,
            memberships__role__in=[Role.LIVED_EXPERIENCE, Role.CARER, Role.PRACTITIONER],
            is_active=True,
        )
        .filter(Q(password="") | Q(password__startswith="!"))  # noqa: S106 - unusable marker
        .order_by("display_name")
    )


def session_by_join_code(*, code: str) -> Session | None:
    """The session a typed code belongs to, if it still joins anything."""
    code = "".join(ch for ch in code if ch.isdigit())
    if len(code) != 6:
        return None
    session = Session.objects.select_related("programme").filter(join_code=code).first()
    if session is None or not session.join_code_is_valid():
        return None
    return session


@dataclass(frozen=True)
class PresentPerson:
    """Someone with a socket open in the room."""

    user_id: int
    name: str
    role: str


def room_presence(*, session: Session) -> "OrderedDict[str, list[PresentPerson]]":
    """Who is in the room now, grouped by role (one query)."""
    ids = presence.store().present_user_ids(session.pk)
    groups: OrderedDict[str, list[PresentPerson]] = OrderedDict(
        (str(ROLE_GROUP_LABELS[role]), []) for role in ROLE_GROUP_ORDER
    )
    if not ids:
        return groups
    members = Membership.objects.filter(
        programme_id=session.programme_id, user_id__in=ids
    ).select_related("user")
    for m in sorted(members, key=lambda m: m.user.display_name.lower()):
        groups[str(ROLE_GROUP_LABELS[Role(m.role)])].append(
            PresentPerson(user_id=m.user_id, name=m.user.display_name, role=m.role)
        )
    return groups


@dataclass(frozen=True)
class PanelPerson:
    """A row in the facilitator's list of people who asked to join."""

    user_id: int
    name: str
    role_label: str
    admission: str
    present: bool
    co_facilitator: bool = False
    # A contributor (lived experience or unpaid carer) may be asked to co-facilitate.
    may_co_facilitate: bool = False


@dataclass(frozen=True)
class PanelClaim:
    """A name picked in the room that a facilitator must confirm."""

    claim_id: int
    name: str
    number: int


def room_people_panel(*, session: Session) -> dict[str, list[Any]]:
    """Everyone who asked to join, split into in the room / waiting / removed, and the picked
    names waiting to be confirmed."""
    ids = presence.store().present_user_ids(session.pk)
    # Plain rows, not model instances: this runs on every arrival and departure in the room.
    attendances = Attendance.objects.filter(session=session).values_list(
        "user_id", "user__display_name", "admission", "co_facilitator"
    )
    roles = dict(
        Membership.objects.filter(programme_id=session.programme_id).values_list("user_id", "role")
    )
    panel: dict[str, list[Any]] = {"admitted": [], "waiting": [], "removed": []}
    panel["claims"] = [
        PanelClaim(claim_id=c.pk, name=c.user.display_name, number=c.number)
        for c in pending_claims(session=session)
    ]
    for user_id, name, admission, co_facilitator in sorted(
        attendances, key=lambda row: row[1].lower()
    ):
        role = roles.get(user_id)
        panel[admission].append(
            PanelPerson(
                user_id=user_id,
                name=name,
                role_label=Role(role).label if role else "",
                admission=admission,
                present=user_id in ids,
                co_facilitator=co_facilitator,
                may_co_facilitate=role in PAID_ROLES,
            )
        )
    return panel


def agenda(*, session: Session) -> list[Activity]:
    """The session's activities in order."""
    return list(session.activities.order_by("order", "pk"))
