"""Sign-in backends: the person behind a session is loaded in one hand-written query, and
sessions saved when the backends were the libraries' own still sign their person in."""

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from participants.backends import ALLAUTH_BACKEND, MODEL_BACKEND, ModelBackend, load_user
from participants.identity import SIGNIN_METHOD_KEY
from participants.session_store import SessionStore
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def saved_session(user: object, backend: str, method: str = "card") -> str:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)  # type: ignore[attr-defined]
    store[BACKEND_SESSION_KEY] = backend
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()  # type: ignore[attr-defined]
    store[SIGNIN_METHOD_KEY] = method
    store.save()
    assert store.session_key is not None
    return store.session_key


@pytest.mark.parametrize(
    ("saved_as", "read_as"),
    [
        ("django.contrib.auth.backends.ModelBackend", MODEL_BACKEND),
        ("allauth.account.auth_backends.AuthenticationBackend", ALLAUTH_BACKEND),
    ],
)
def test_a_session_saved_with_a_librarys_backend_still_signs_its_person_in(
    saved_as: str, read_as: str
) -> None:
    membership = MembershipFactory()
    key = saved_session(membership.user, saved_as)
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = key

    response = client.get(reverse("programme_detail", args=[membership.programme_id]))

    assert response.status_code == 200
    assert response.wsgi_request.user == membership.user
    assert SessionStore(session_key=key)[BACKEND_SESSION_KEY] == read_as


def test_a_session_naming_a_backend_we_do_not_use_signs_nobody_in() -> None:
    membership = MembershipFactory()
    key = saved_session(membership.user, "somewhere.else.Backend")
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = key

    response = client.get(reverse("programme_detail", args=[membership.programme_id]))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_person_loads_in_one_query_as_the_orm_would() -> None:
    made = UserFactory(display_name="Morag", large_text=True)
    with CaptureQueriesContext(connection) as queries:
        loaded = load_user(str(made.pk))
    assert len(queries) == 1
    assert loaded == made and loaded is not None
    assert loaded.display_name == "Morag" and loaded.large_text is True
    assert loaded.last_login == made.last_login and loaded.password == made.password


@pytest.mark.parametrize("user_id", ["0", "not-a-number", "", "1; DROP TABLE x"])
def test_no_such_person_is_none(user_id: str) -> None:
    assert load_user(user_id) is None


def test_someone_who_may_no_longer_sign_in_is_not_loaded() -> None:
    user = UserFactory(is_active=False)
    assert ModelBackend().get_user(str(user.pk)) is None
    assert ModelBackend().get_user(str(UserFactory().pk)) is not None
