"""Django's database sessions (SESSION_ENGINE), with the one read every request makes in SQL.

Every request and every socket handshake loads its session row; the ORM spent 0.8 ms of CPU
building that lookup, the SQL itself about 0.1 ms (project/rows.py). Everything else —
saving, expiry, deleting rows at erasure — is Django's own. Sessions saved when the sign-in
backends were the libraries' own are read as naming ours (participants/backends.py).
"""

from functools import cache

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from participants.backends import rename_backend
from project import rows


@cache
def _load_sql() -> str:
    table = Session._meta.db_table
    return (
        f"SELECT {rows.select_list(Session, 's')} FROM {table} s"  # noqa: S608 (names only)
        " WHERE s.session_key = %s AND s.expire_date > %s"
    )


class SessionStore(db.SessionStore):
    """A database session, loaded with one hand-written query."""

    def _get_session_from_db(self) -> Session | None:
        now = connections[DEFAULT_DB_ALIAS].ops.adapt_datetimefield_value(timezone.now())
        row = rows.fetch_one(_load_sql(), [self.session_key, now])
        if row is None:
            self._session_key = None
            return None
        return rows.instance(Session, row)

    def decode(self, session_data: bytes | str) -> dict[str, object]:
        """The session's data, naming the sign-in backend as AUTHENTICATION_BACKENDS does."""
        return rename_backend(super().decode(session_data))
