"""Model instances from hand-written SQL load exactly as the ORM loads them."""

import pytest

from project import rows
from tests.factories import SessionFactory
from workshops.models import Programme, Session

pytestmark = pytest.mark.django_db


def test_an_instance_from_sql_equals_the_orms_field_for_field() -> None:
    made = SessionFactory()
    sql = (
        f"SELECT {rows.select_list(Session, 's')}, {rows.select_list(Programme, 'p')}"  # noqa: S608
        " FROM workshops_session s JOIN workshops_programme p ON p.id = s.programme_id"
        " WHERE s.id = %s"
    )
    row = rows.fetch_one(sql, [made.pk])
    assert row is not None
    split = rows.column_count(Session)
    session = rows.instance(Session, row[:split])
    programme = rows.instance(Programme, row[split:])

    expected = Session.objects.select_related("programme").get(pk=made.pk)
    for field in Session._meta.concrete_fields:
        assert getattr(session, field.attname) == getattr(expected, field.attname), field.name
    for field in Programme._meta.concrete_fields:
        assert getattr(programme, field.attname) == getattr(expected.programme, field.attname)
    assert session.starts_at.tzinfo is not None  # aware, as the ORM gives it (SQLite too)
    assert not session._state.adding and session._state.db == "default"


def test_no_row_is_none() -> None:
    assert rows.fetch_one("SELECT id FROM workshops_session WHERE id = %s", [0]) is None


def test_as_bool_reads_sqlites_integers_and_keeps_none() -> None:
    assert rows.as_bool(1) is True and rows.as_bool(0) is False and rows.as_bool(None) is None
