"""Model instances from hand-written SQL, for the few reads every change and handshake make.

Building and compiling a query cost the ORM 0.8 ms of CPU here for a plain lookup by key and
about 3 ms for one with subqueries, where running the SQL itself cost about 0.1 ms (process
time over 300 calls each, on PostgreSQL: docs/performance.md). The hottest reads (who may do what in a session, on every
change and every socket) are written in SQL; their column lists and value conversions still
come from the models, so a new field needs no change here.
"""

from collections.abc import Callable, Sequence
from datetime import datetime
from functools import cache
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Field, Model
from django.db.models.expressions import Col

Row = tuple[object, ...]
Param = bool | int | str | datetime | None


def select_list(model: type[Model], alias: str) -> str:
    """The model's concrete columns, in field order, as `alias."column"`, comma-separated."""
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    return ", ".join(f"{alias}.{quote(str(f.column))}" for f in model._meta.concrete_fields)


def column_count(model: type[Model]) -> int:
    """How many columns select_list gives for the model."""
    return len(model._meta.concrete_fields)


@cache
def _converters(
    model: type[Model], vendor: str
) -> list[tuple[int, list[Callable[..., object]], Col]]:
    # What the ORM's compiler would apply to each column (SQLite's dates and decimals, say).
    connection = connections[DEFAULT_DB_ALIAS]
    found = []
    for position, field in enumerate(model._meta.concrete_fields):
        column = field.get_col(model._meta.db_table)
        functions = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if functions:
            found.append((position, functions, column))
    return found


def instance[M: Model](model: type[M], values: Sequence[object]) -> M:
    """A model instance, as the ORM would load it, from its select_list's values."""
    connection = connections[DEFAULT_DB_ALIAS]
    converted = list(values)
    for position, functions, column in _converters(model, connection.vendor):
        for function in functions:
            converted[position] = function(converted[position], column, connection)
    names = [f.attname for f in model._meta.concrete_fields]
    return model.from_db(DEFAULT_DB_ALIAS, names, converted)


def instances(row: Row, *models: type[Model]) -> list[Model | None]:
    """One instance per model from a row of their select_lists side by side; None for a
    model whose primary key is NULL (nothing matched its LEFT JOIN)."""
    found: list[Model | None] = []
    start = 0
    for model in models:
        end = start + column_count(model)
        values = row[start:end]
        pk_position = model._meta.concrete_fields.index(model._meta.pk)
        found.append(None if values[pk_position] is None else instance(model, values))
        start = end
    return found


def as_bool(value: object) -> bool | None:
    """A boolean column read through an expression SQLite cannot type (it gives 0 or 1)."""
    return None if value is None else bool(value)


def fetch_one(sql: str, params: Sequence[Param]) -> Row | None:
    """The first row of a query, or None."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(sql, params)
        row: Row | None = cursor.fetchone()
        return row


def _table(model: type[Model]) -> str:
    return connections[DEFAULT_DB_ALIAS].ops.quote_name(model._meta.db_table)


def _field(model: type[Model], attname: str) -> "Field[Any, Any]":
    return next(f for f in model._meta.concrete_fields if f.attname == attname)


def _column(model: type[Model], attname: str) -> str:
    return connections[DEFAULT_DB_ALIAS].ops.quote_name(str(_field(model, attname).column))


def locked[M: Model](model: type[M], pk: int) -> M | None:
    """The row with this key, locked until the transaction ends where the database can lock
    one row (PostgreSQL; SQLite's writer holds the whole database anyway), or None."""
    lock = " FOR UPDATE" if connections[DEFAULT_DB_ALIAS].features.has_select_for_update else ""
    pk_column = _column(model, model._meta.pk.attname)
    # Names are the model's own, quoted; the key is a parameter.
    sql = f"SELECT {select_list(model, 't')} FROM {_table(model)} t WHERE t.{pk_column} = %s"  # noqa: S608
    row = fetch_one(sql + lock, [pk])
    return None if row is None else instance(model, row)


def with_keys[M: Model](model: type[M], pks: Sequence[int], **equal: Param) -> list[M]:
    """The rows with these keys whose columns also equal `equal` (by attname), in key order."""
    keys = sorted(set(pks))
    if not keys:
        return []
    return matching(model, among=(model._meta.pk.attname, keys), **equal)


def matching[M: Model](
    model: type[M], *, among: tuple[str, Sequence[Param]] | None = None, **equal: Param
) -> list[M]:
    """The rows whose columns equal `equal` (by attname) and, given `among` (an attname and
    its values), whose column holds one of those values; in key order."""
    conditions, params = [], []
    for attname, value in equal.items():
        conditions.append(f"t.{_column(model, attname)} = %s")
        params.append(value)
    if among is not None:
        attname, values = among
        conditions.append(f"t.{_column(model, attname)} IN ({', '.join(['%s'] * len(values))})")
        params.extend(values)
    where = " AND ".join(conditions) or "1 = 1"
    pk_column = _column(model, model._meta.pk.attname)
    # Names are the model's own, quoted; every value is a parameter.
    sql = f"SELECT {select_list(model, 't')} FROM {_table(model)} t WHERE {where}"  # noqa: S608
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(f"{sql} ORDER BY t.{pk_column}", params)
        return [instance(model, row) for row in cursor.fetchall()]


def save_fields(obj: Model, *attnames: str) -> None:
    """Write these fields of a loaded instance, as `save(update_fields=...)` does without its
    signals (nothing listens to these models' saves) and without the ORM building the query."""
    connection = connections[DEFAULT_DB_ALIAS]
    model = obj.__class__
    assignments = ", ".join(f"{_column(model, attname)} = %s" for attname in attnames)
    params = [
        _field(model, attname).get_db_prep_save(getattr(obj, attname), connection)
        for attname in attnames
    ]
    pk_column = _column(model, model._meta.pk.attname)
    # Names are the model's own, quoted; every value is a parameter.
    sql = f"UPDATE {_table(model)} SET {assignments} WHERE {pk_column} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, obj.pk])
