"""Model instances from hand-written SQL load exactly as the ORM loads them."""

from datetime import UTC, datetime

import pytest
from django.db import transaction

from project import rows
from tests.factories import ActivityFactory, SessionFactory
from workshops.models import Activity, Programme, Session

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


def test_a_locked_row_is_the_orms_instance_and_a_missing_one_is_none() -> None:
    made = SessionFactory()
    with transaction.atomic():
        session = rows.locked(Session, made.pk)
        assert rows.locked(Session, 0) is None

    assert session is not None
    expected = Session.objects.get(pk=made.pk)
    assert [getattr(session, f.attname) for f in Session._meta.concrete_fields] == [
        getattr(expected, f.attname) for f in Session._meta.concrete_fields
    ]


def test_rows_with_keys_are_only_those_matching_every_condition_in_key_order() -> None:
    session, other = SessionFactory(), SessionFactory()
    first, second = ActivityFactory(session=session), ActivityFactory(session=session)
    elsewhere = ActivityFactory(session=other)

    found = rows.with_keys(Activity, [second.pk, elsewhere.pk, first.pk], session_id=session.pk)

    assert found == [first, second]
    assert [a.title for a in found] == [first.title, second.title]
    assert rows.with_keys(Activity, []) == []


def test_saved_fields_are_written_as_the_orm_writes_them_and_nothing_else() -> None:
    activity = ActivityFactory(title="Kept")
    started = datetime(2026, 12, 3, 18, 30, 15, 250000, tzinfo=UTC)
    activity.started_at = started
    activity.title = "Not saved"  # type: ignore[assignment]

    rows.save_fields(activity, "started_at")

    activity.refresh_from_db()
    assert activity.started_at == started and activity.title == "Kept"
