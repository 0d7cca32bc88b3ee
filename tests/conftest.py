"""Fixtures named after people and things: an organiser, a facilitator, a carer, a session."""

import os
from typing import Any

# Hash passwords quickly in tests (and in the browser tests' server, which inherits this).
os.environ.setdefault("COMHLA_TEST_FAST_HASHING", "1")

import pytest
from django.core.cache import cache

from participants.models import Role
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    LiveSessionFactory,
    MembershipFactory,
    ProgrammeFactory,
    SessionFactory,
    StaffUserFactory,
    UserFactory,
)
from workshops.room import presence


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_shared_state() -> Any:
    """Each test starts with an empty cache and nobody present."""
    cache.clear()
    presence.reset_store()
    yield
    presence.reset_store()


@pytest.fixture
def programme(db: Any) -> Any:
    return ProgrammeFactory()


@pytest.fixture
def other_programme(db: Any) -> Any:
    return ProgrammeFactory(name="Another programme")


def _member(programme: Any, role: str, *, staff: bool = False, name: str = "") -> Any:
    factory = StaffUserFactory if staff else UserFactory
    user = factory(display_name=name) if name else factory()
    MembershipFactory(user=user, programme=programme, role=role)
    return user


@pytest.fixture
def organiser(programme: Any) -> Any:
    return _member(programme, Role.ORGANISER, staff=True, name="Morag Organiser")


@pytest.fixture
def facilitator(programme: Any) -> Any:
    return _member(programme, Role.FACILITATOR, staff=True, name="Fiona Facilitator")


@pytest.fixture
def practitioner(programme: Any) -> Any:
    return _member(programme, Role.PRACTITIONER, staff=True, name="Priya Practitioner")


@pytest.fixture
def person(programme: Any) -> Any:
    """Someone with lived experience."""
    return _member(programme, Role.LIVED_EXPERIENCE, name="Jean Robertson")


@pytest.fixture
def carer(programme: Any) -> Any:
    return _member(programme, Role.CARER, name="Isla Carer")


@pytest.fixture
def outsider(other_programme: Any) -> Any:
    """A facilitator of another programme: must see nothing of ours."""
    return _member(other_programme, Role.FACILITATOR, staff=True, name="Olly Outsider")


@pytest.fixture
def session(programme: Any) -> Any:
    """A scheduled session with a three-item agenda."""
    s = SessionFactory(programme=programme, number=1, title="What matters to you")
    for i, (kind, title) in enumerate(
        [("go_round", "Welcome"), ("board", "Ideas"), ("discussion", "Talk it through")]
    ):
        ActivityFactory(session=s, kind=kind, title=title, order=i)
    return s


@pytest.fixture
def live_session(programme: Any) -> Any:
    """A live session on its first activity."""
    s: Any = LiveSessionFactory(programme=programme, number=1, title="Getting to know each other")
    first = ActivityFactory(session=s, kind="go_round", title="Welcome", order=0)
    ActivityFactory(session=s, kind="board", title="Ideas", order=1)
    ActivityFactory(session=s, kind="discussion", title="Talk it through", order=2)
    s.current_activity = first
    s.save()
    return s


@pytest.fixture
def admitted(live_session: Any) -> Any:
    """Admit people to the live session: admitted(person) → attendance."""

    def admit(user: Any) -> Any:
        return AttendanceFactory(session=live_session, user=user)

    return admit


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    """Run browser tests last: Playwright's sync API keeps an event loop running in this
    thread, and async (consumer) tests cannot start their own after it."""
    items.sort(key=lambda item: "tests/browser/" in str(item.fspath))
