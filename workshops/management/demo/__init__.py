"""The demo: Keeping it Personal (Scotland, 2014) at its two sites, North West Glasgow (people
living with dementia) and the Motherwell area (people living with heart failure).

Only the management commands use it (`load_demo`, `demo_logins`): no app module imports it
(a `forbidden` contract in pyproject.toml). It writes through the apps' services wherever a
service does the job; it writes directly only what a service stamps with today's date (when
something happened, on the demo's past sessions).
"""

import random

from django.db import transaction
from django.utils import timezone

from boards.models import Card
from participants.models import PAID_ROLES, Membership, Role, User
from workshops.management.demo import boards, evaluation, payments, people, programme
from workshops.management.demo.people import DEMO_PASSWORD, STAFF
from workshops.management.demo.programme import LIVE, SITES, Site
from workshops.models import Programme

__all__ = ["DEMO_PASSWORD", "SITES", "STAFF", "example_name", "load_demo"]


@transaction.atomic
def load_demo() -> list[Programme]:
    """Make the demo programmes the first time; every time, make sure each has a session on
    now (so loading it again changes nothing else). Returns them, North West Glasgow first."""
    staff = people.staff_users()
    loaded = []
    for site in SITES:
        found = Programme.objects.filter(name=site.name).first()
        if found is None:
            found = _site_build(site, staff)
        programme.live_keep(found, by=staff[people.FACILITATOR])
        loaded.append(found)
    return loaded


def example_name(programme_name: str) -> str:
    """A name to pick when joining a demo programme's session by code ("" for others)."""
    return next((site.example for site in SITES if site.name == programme_name), "")


def _site_build(site: Site, staff: dict[str, User]) -> Programme:
    organiser, facilitator = staff[people.ORGANISER], staff[people.FACILITATOR]
    times = programme.session_times(timezone.now())
    built, sessions = programme.programme_build(site=site, organiser=organiser, times=times)
    site_staff = [staff[email] for email in site.staff if email != people.ORGANISER]
    members = people.people_add(programme=built, people=site.people, staff=site_staff, joined=times)
    staff_members = list(
        Membership.objects.filter(programme=built, user__in=site_staff).select_related("user")
    )
    by_name = {
        m.user.display_name: m.user
        for m in Membership.objects.filter(programme=built).select_related("user")
    }
    rng = random.Random(site.key)
    payments.rates_set(programme=built, organiser=organiser)
    payments.preferences_set(
        members=members,
        organiser=organiser,
        advice_on=built.starts_on,
        cost_code=f"KIP-{site.key.upper()}",
    )
    evaluation.outcomes_add(programme=built, site=site.key)
    cards: dict[str, Card] = {}
    for session in sessions:
        boards.boards_set_up(session)
    held = sessions[: LIVE - 1]
    for session in held:
        came = [*staff_members, *programme.attendees(site, members, session.number)]
        present = programme.session_hold(session, came)
        session.refresh_from_db()
        cards |= boards.ideas_add(session, site=site.key, people=by_name, present=present)
        programme.session_close(session, present)
        payments.register_pay(
            session=session,
            facilitator=facilitator,
            organiser=organiser,
            latest=session == held[-1],
        )
        evaluation.feedback_add(
            session=session,
            site=site.key,
            people=[m.user for m in came if m.role != Role.FACILITATOR],
            rng=rng,
        )
    contributors = [m for m in members.values() if m.role in PAID_ROLES]
    evaluation.wellbeing_add(
        programme=built,
        site=site.key,
        organiser=organiser,
        first=held[0],
        people=[
            m.user for m in contributors if m.joined_on <= timezone.localdate(held[0].starts_at)
        ],
        rng=rng,
    )
    evaluation.custom_form_add(
        session=held[-1],
        people=[
            m.user for m in contributors if m.joined_on <= timezone.localdate(held[-1].starts_at)
        ],
        rng=rng,
    )
    evaluation.actions_add(
        programme=built, site=site.key, organiser=organiser, cards=cards, people=by_name
    )
    for session in sessions[LIVE:]:
        programme.rsvps_add(session, members)
    return built
