"""Reads: join codes, joinable names, the room's presence."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.factories import LiveSessionFactory, SessionFactory
from workshops import selectors
from workshops.models import Session
from workshops.room import presence

pytestmark = pytest.mark.django_db


def test_a_live_sessions_code_finds_it_with_or_without_spaces(live_session: Any) -> None:
    code = live_session.join_code
    assert selectors.session_by_join_code(code=code) == live_session
    assert selectors.session_by_join_code(code=f"{code[:3]} {code[3:]}") == live_session


def test_a_code_works_shortly_before_the_start_but_not_days_before(programme: Any) -> None:
    soon = SessionFactory(programme=programme, starts_at=timezone.now() + timedelta(minutes=30))
    later = SessionFactory(programme=programme, starts_at=timezone.now() + timedelta(days=3))
    assert selectors.session_by_join_code(code=soon.join_code) == soon
    assert selectors.session_by_join_code(code=later.join_code) is None


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "abcdef", "000000"])
def test_wrong_or_malformed_codes_find_nothing(live_session: Any, typed: str) -> None:
    assert selectors.session_by_join_code(code=typed) is None


def test_an_ended_sessions_code_finds_nothing(programme: Any) -> None:
    ended = LiveSessionFactory(programme=programme, status=Session.Status.ENDED)
    assert selectors.session_by_join_code(code=ended.join_code) is None


def test_only_people_without_a_password_can_be_picked_by_name(
    programme: Any, facilitator: Any, practitioner: Any, person: Any, carer: Any, outsider: Any
) -> None:
    names = [u.display_name for u in selectors.joinable_people(programme=programme)]
    assert person.display_name in names and carer.display_name in names
    # Staff who sign in with a password are never claimable by picking a name.
    assert facilitator.display_name not in names
    assert practitioner.display_name not in names
    assert outsider.display_name not in names


def test_presence_groups_people_by_role(live_session: Any, person: Any, facilitator: Any) -> None:
    store = presence.store()
    store.touch(live_session.pk, person.pk, "chan-1")
    store.touch(live_session.pk, facilitator.pk, "chan-2")
    groups = selectors.room_presence(session=live_session)
    assert [p.name for p in groups["People with lived experience"]] == [person.display_name]
    assert [p.name for p in groups["Facilitators"]] == [facilitator.display_name]
    store.leave(live_session.pk, person.pk, "chan-1")
    assert selectors.room_presence(session=live_session)["People with lived experience"] == []


def test_presence_expires_without_heartbeats(
    live_session: Any, person: Any, monkeypatch: Any
) -> None:
    store = presence.store()
    store.touch(live_session.pk, person.pk, "chan-1")
    import time

    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + presence.PRESENCE_TTL_SECONDS + 1)
    assert store.present_user_ids(live_session.pk) == set()
