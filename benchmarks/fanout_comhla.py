"""Comhla's side of the benchmark: people, live sessions and signed-in cookies (via the ORM),
and the change the sender makes.

Call `django_setup()` first (board_fanout.py does, with DATABASE_URL and REDIS_URL set).
"""

import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module
from pathlib import Path

from fanout_senders import FormChange

ROOT = Path(__file__).resolve().parents[1]
PROGRAMME_PREFIX = "Bench fan-out"
PERSON_PREFIX = "Bench person"
ACTIVITIES_PER_SESSION = 20
ACTIVITY_MARK = re.compile(r"Bench activity (\d+)")


@dataclass
class Fixture:
    """What the generator needs: ids, cookies and the size of the room frame."""

    session_ids: list[int]
    activity_ids: list[list[int]]
    base_seq: list[int]
    facilitator_cookie: str
    participant_cookies: list[list[str]]
    frame_bytes: int


def ensure_database(database_url: str) -> None:
    """Create the benchmark database if it is missing, then migrate it."""
    name = database_url.rsplit("/", 1)[1]
    listed = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-Atc", "SELECT datname FROM pg_database"],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout.split()
    if name not in listed:
        subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True, timeout=30
        )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "--verbosity", "0"],
        cwd=ROOT,
        check=True,
        timeout=300,
    )


def django_setup() -> None:
    """Configure Django with the app's own settings (environment already set)."""
    import os

    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
    django.setup()


def signed_in_cookie(user: object) -> str:
    """A Django session for a person, as tests/browser/conftest.py `sign_in` makes one."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.base import SessionBase

    from participants.identity import SIGNIN_METHOD_KEY

    engine = import_module(settings.SESSION_ENGINE)
    store: SessionBase = engine.SessionStore()
    store[SESSION_KEY] = str(user.pk)  # type: ignore[attr-defined]
    store[BACKEND_SESSION_KEY] = "participants.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()  # type: ignore[attr-defined]
    store[SIGNIN_METHOD_KEY] = "card"
    store.save()
    return store.session_key or ""


def create_fixture(*, sessions: int, clients: int) -> Fixture:
    """A programme with `sessions` live sessions of `clients` admitted people each, plus one
    facilitator; earlier benchmark data is deleted first."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.models import Session as DjangoSession
    from django.db import transaction
    from django.utils import timezone

    from participants.models import Membership, Role, User
    from workshops.models import Activity, Attendance, Programme, Session, new_join_code
    from workshops.room import broadcast
    from workshops.room import render as room_render

    now = timezone.now()
    with transaction.atomic():
        Programme.objects.filter(name__startswith=PROGRAMME_PREFIX).delete()
        User.objects.filter(display_name__startswith=PERSON_PREFIX).delete()
        DjangoSession.objects.filter(expire_date__lt=now).delete()
        programme = Programme.objects.create(
            name=f"{PROGRAMME_PREFIX} {now:%Y-%m-%d %H:%M}",
            site="Benchmark",
            starts_on=now.date() - timedelta(days=1),
            ends_on=now.date() + timedelta(days=1),
        )
        facilitator = User.objects.create_user(display_name=f"{PERSON_PREFIX} facilitator")
        Membership.objects.create(user=facilitator, programme=programme, role=Role.FACILITATOR)
        session_rows = []
        activity_ids: list[list[int]] = []
        for i in range(sessions):
            session = Session.objects.create(
                programme=programme,
                number=i + 1,
                title=f"Bench session {i + 1}",
                starts_at=now - timedelta(minutes=20),
                ends_at=now + timedelta(hours=3),
                status=Session.Status.LIVE,
                opened_at=now,
                join_code=new_join_code(),
            )
            activities = Activity.objects.bulk_create(
                Activity(
                    session=session,
                    kind=Activity.Kind.DISCUSSION,
                    title=f"Bench activity {j:02d}",
                    order=j,
                )
                for j in range(ACTIVITIES_PER_SESSION)
            )
            session.current_activity = activities[-1]
            session.save(update_fields=["current_activity"])
            session_rows.append(session)
            activity_ids.append([a.pk for a in activities])
        people = User.objects.bulk_create(
            User(display_name=f"{PERSON_PREFIX} {n}", password=make_password(None))
            for n in range(sessions * clients)
        )
        Membership.objects.bulk_create(
            Membership(user=u, programme=programme, role=Role.LIVED_EXPERIENCE) for u in people
        )
        Attendance.objects.bulk_create(
            Attendance(
                session=session_rows[n // clients],
                user=u,
                admission=Attendance.Admission.ADMITTED,
                checked_in_at=now,
            )
            for n, u in enumerate(people)
        )
    cookies = [
        [signed_in_cookie(people[s * clients + c]) for c in range(clients)] for s in range(sessions)
    ]
    first = Session.objects.select_related("programme", "current_activity").get(
        pk=session_rows[0].pk
    )
    first.current_activity = Activity.objects.get(pk=activity_ids[0][1])
    frame = broadcast.encode_frame(
        event="activity_changed",
        html=room_render.render_activity(first),
        seq=12345,
        announce="The room has moved to: Bench activity 01",
    )
    return Fixture(
        session_ids=[s.pk for s in session_rows],
        activity_ids=activity_ids,
        base_seq=[
            s.seq
            for s in Session.objects.filter(pk__in=[s.pk for s in session_rows]).order_by("pk")
        ],
        facilitator_cookie=signed_in_cookie(facilitator),
        participant_cookies=cookies,
        frame_bytes=len(frame.encode()),
    )


def refresh_base_seq(fixture: Fixture) -> None:
    """Read each session's room seq again: an earlier Comhla target in the same run moved it on,
    and changes are matched to frames by seq."""
    from workshops.models import Session

    seqs = dict(Session.objects.filter(pk__in=fixture.session_ids).values_list("pk", "seq"))
    fixture.base_seq[:] = [seqs[pk] for pk in fixture.session_ids]


def announce_mark(frame: str) -> int | None:
    """Which bench activity an `activity_changed` frame announces (k modulo 20)."""
    if not frame.startswith('{"event":"activity_changed"'):
        return None
    at = frame.rfind('"announce":')
    if at < 0:
        return None
    found = ACTIVITY_MARK.search(frame, at)
    return int(found.group(1)) if found else None


def comhla_change(fixture: Fixture) -> FormChange:
    """THE change the benchmark makes in Comhla. Today: a facilitator moves the room to the
    next activity (`POST /sessions/<id>/move/`, broadcast to the whole room).

    When boards land, a card add is this one function returning instead, e.g.::

        FormChange(
            path=lambda s: f"/sessions/{ids[s]}/board/.../cards/add/",  # the card-add URL
            fields=lambda s, k: {"text": f"Bench card {k}", "column": str(column_ids[s]),
                                 "client_id": str(uuid.uuid4())},
            marker=lambda frame: <k parsed from "Bench card <k>" in a card_added frame>,
            modulus=None,  # the card text carries k exactly
            base_seq=fixture.base_seq,
        )

    (plus creating the board and column in `create_fixture`).
    """
    ids, activities = fixture.session_ids, fixture.activity_ids
    return FormChange(
        path=lambda s: f"/sessions/{ids[s]}/move/",
        fields=lambda s, k: {"activity": str(activities[s][k % ACTIVITIES_PER_SESSION])},
        marker=announce_mark,
        modulus=ACTIVITIES_PER_SESSION,
        base_seq=fixture.base_seq,
    )
