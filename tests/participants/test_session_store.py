"""The session engine: Django's database sessions, loaded with one hand-written query."""

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.sessions.models import Session as StoredSession
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from participants.session_store import SessionStore

pytestmark = pytest.mark.django_db


def saved_store(**data: Any) -> SessionStore:
    store = SessionStore()
    store.update(data)
    store.save()
    return store


def test_a_saved_session_loads_in_one_query_with_what_it_holds() -> None:
    key = saved_store(_auth_user_id="7", comhla_steers=True).session_key

    with CaptureQueriesContext(connection) as queries:
        loaded = SessionStore(session_key=key)
        assert loaded["_auth_user_id"] == "7" and loaded["comhla_steers"] is True
    assert len(queries) == 1
    assert loaded.session_key == key


def test_an_expired_session_loads_empty_and_is_not_kept() -> None:
    key = saved_store(_auth_user_id="7").session_key
    StoredSession.objects.filter(pk=key).update(expire_date=timezone.now() - timedelta(seconds=1))

    loaded = SessionStore(session_key=key)
    assert loaded.load() == {}
    assert loaded.session_key is None  # a new key is made if anything is saved


def test_an_unknown_key_loads_empty() -> None:
    loaded = SessionStore(session_key="x" * 32)
    assert "_auth_user_id" not in loaded
    assert loaded.session_key is None


def test_a_session_about_to_expire_still_loads() -> None:
    key = saved_store(a=1).session_key
    StoredSession.objects.filter(pk=key).update(expire_date=timezone.now() + timedelta(seconds=30))
    assert SessionStore(session_key=key)["a"] == 1
