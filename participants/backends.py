"""Authentication backends (AUTHENTICATION_BACKENDS): Django's and allauth's, each loading the
signed-in person with one hand-written query.

Every request and every socket handshake loads the person behind its session; the ORM spent
0.8 ms of CPU building that lookup, the SQL itself about 0.1 ms (project/rows.py). Signing in,
permissions and everything else are the libraries' own.
"""

from functools import cache

from allauth.account import auth_backends as allauth_backends
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth import backends as django_backends
from django.core.exceptions import ValidationError

from participants.models import User
from project import rows

MODEL_BACKEND = "participants.backends.ModelBackend"
ALLAUTH_BACKEND = "participants.backends.AuthenticationBackend"
# Sessions saved before these backends named the libraries' own: they still sign their person
# in (participants/session_store.py renames them as it loads them).
RENAMED = {
    "django.contrib.auth.backends.ModelBackend": MODEL_BACKEND,
    "allauth.account.auth_backends.AuthenticationBackend": ALLAUTH_BACKEND,
}


@cache
def _load_sql() -> str:
    return (
        f"SELECT {rows.select_list(User, 'u')} FROM {User._meta.db_table} u"  # noqa: S608
        " WHERE u.id = %s"
    )


def load_user(user_id: int | str) -> User | None:
    """The person with this id (as a session holds it), or None."""
    try:
        pk = User._meta.pk.to_python(user_id) if User._meta.pk else None
    except ValidationError:
        return None
    row = rows.fetch_one(_load_sql(), [pk])
    return None if row is None else rows.instance(User, row)


def rename_backend[D: dict[str, object]](session_data: D) -> D:
    """A session's data with a library backend's path replaced by the one that stands for it."""
    path = session_data.get(BACKEND_SESSION_KEY)
    if isinstance(path, str) and path in RENAMED:
        session_data[BACKEND_SESSION_KEY] = RENAMED[path]
    return session_data


class ModelBackend(django_backends.ModelBackend):
    """Django's ModelBackend (card and picked-name sign-ins, the admin)."""

    def get_user(self, user_id: int | str) -> User | None:
        """The signed-in person, if they may still sign in."""
        user = load_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class AuthenticationBackend(allauth_backends.AuthenticationBackend):
    """allauth's backend (password and emailed-code sign-ins)."""

    get_user = ModelBackend.get_user  # allauth's is Django's ModelBackend's, unchanged
