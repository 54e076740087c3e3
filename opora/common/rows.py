"""New rows written without the ORM's per-statement work.

`insert_rows`: many rows in one statement, with their ids (COPY on PostgreSQL, a multi-row INSERT elsewhere),
for the watcher's batches, where building a model instance per row costs more than writing it.

`insert`: one new instance, as `save(force_insert=True)` writes it, with its statement built once per model.

`array_text`: a long array as one PostgreSQL literal, for the watcher's UPDATE of a whole batch.
"""

import json
import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypeVar

from django.db import connection, connections, router
from django.db.models import Field, Model
from django.db.models.signals import post_save, pre_save

# Django's column types under the names psycopg's binary COPY knows them by.
_TYPES = {
    "timestamp with time zone": "timestamptz",
    "integer": "int4",
    "bigint": "int8",
    "smallint": "int2",
    "boolean": "bool",
}


class Json(str):
    """A JSON field's value already written as JSON text, for rows whose shape is fixed."""


def _value(value: Any) -> Any:
    return json.loads(value) if isinstance(value, Json) else value


def _dumps(value: Any) -> str:
    return value if isinstance(value, Json) else json.dumps(value)


def array_text(values: Sequence[int | datetime | None]) -> str:
    """PostgreSQL's text for an array of integers or aware datetimes (None as NULL), to be cast in the
    statement (`%s::bigint[]`). Django's connections bind on the client, where psycopg quotes every element of
    an array through its pure-Python dumper: 94 ms for the 80,000 values of a 10,000-request sweep, where
    this join takes 9. An ISO timestamp or an integer never holds what an array literal would have to quote."""
    return "{" + ",".join(_element(value) for value in values) + "}"


def _element(value: int | datetime | None) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, datetime):
        if value.utcoffset() is None:
            raise ValueError(f"{value!r}: a naive time would be read in the connection's zone")
        return value.isoformat()
    return str(int(value))


def _copy_type(field: Field[Any, Any]) -> str:
    name = re.sub(r"\(.*\)", "", str(field.db_type(connection))).strip()
    return _TYPES.get(name, name)


def insert_rows(model: type[Model], fields: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[int]:
    """Writes `rows` (values in the order of `fields`, every column the table requires) and returns their ids
    in the same order."""
    if not rows:
        return []
    if connection.vendor != "postgresql":
        objs = model._default_manager.bulk_create(
            [model(**{name: _value(v) for name, v in zip(fields, row, strict=True)}) for row in rows]
        )
        return [obj.pk for obj in objs]
    from psycopg.types.json import set_json_dumps

    meta = model._meta
    by_name = {f.attname: f for f in meta.concrete_fields}
    columns = ", ".join(connection.ops.quote_name(str(by_name[name].column)) for name in fields)
    types = [_copy_type(meta.pk), *(_copy_type(by_name[name]) for name in fields)]  # type: ignore[arg-type]
    with connection.cursor() as cursor:
        # Ids first, so the rows can refer to each other (mail to its event) without reading them back.
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [meta.db_table, len(rows)],
        )
        ids = [pk for (pk,) in cursor.fetchall()]
        # Binary COPY: psycopg formats each row in C, about twice as fast as the text format.
        set_json_dumps(_dumps, context=cursor.cursor)
        with cursor.copy(f"COPY {meta.db_table} (id, {columns}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(types)
            for pk, row in zip(ids, rows, strict=True):
                copy.write_row((pk, *row))
    return ids


M = TypeVar("M", bound=Model)

# (model, database alias, with its id) -> the statement, the fields in its order, and the id field it returns.
_INSERTS: dict[tuple[type[Model], str, bool], tuple[str, list[Field[Any, Any]], Field[Any, Any] | None]] = {}


def insert(obj: Model) -> None:
    """Writes a new instance as `obj.save(force_insert=True)` would: the same columns and values (defaults,
    `auto_now`), the same signals, its id read back. The ORM builds an INSERT afresh for every save, which cost
    a family's submit more than PostgreSQL took to run its five inserts; here each model's statement is built
    once per process and only the values are prepared each time."""
    model = type(obj)
    alias = router.db_for_write(model, instance=obj)
    db = connections[alias]
    meta = model._meta
    with_pk = obj.pk is not None or meta.auto_field is None
    key = (model, alias, with_pk)
    if key not in _INSERTS:
        _INSERTS[key] = _insert_statement(model, alias, with_pk)
    sql, fields, returned = _INSERTS[key]
    obj._prepare_related_fields_for_save(operation_name="save")  # type: ignore[attr-defined]
    pre_save.send(sender=model, instance=obj, raw=False, using=alias, update_fields=None)
    params = [_prepared(field, obj, db) for field in fields]
    with db.cursor() as cursor:
        cursor.execute(sql, params)
        if returned is not None:
            if db.features.can_return_columns_from_insert:
                (pk,) = cursor.fetchone()
            else:
                pk = db.ops.last_insert_id(cursor, meta.db_table, str(returned.column))
            setattr(obj, returned.attname, pk)
    obj._state.adding = False
    obj._state.db = alias
    post_save.send(sender=model, instance=obj, created=True, update_fields=None, raw=False, using=alias)


def _insert_statement(
    model: type[Model], alias: str, with_pk: bool
) -> tuple[str, list[Field[Any, Any]], Field[Any, Any] | None]:
    meta = model._meta
    if meta.parents or meta.proxy:
        raise TypeError(f"{meta.label}: only a model with a table of its own is written this way")
    db = connections[alias]
    fields = [f for f in meta.local_concrete_fields if with_pk or f is not meta.auto_field]
    for field in fields:
        if field.generated or field.has_db_default() or hasattr(field, "get_placeholder"):
            raise TypeError(f"{meta.label}.{field.name}: not written this way")
    quote = db.ops.quote_name
    table = quote(meta.db_table)
    sql = (
        f"INSERT INTO {table} ({', '.join(quote(str(f.column)) for f in fields)}) "  # noqa: S608 (names from the model)
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    returned = None if with_pk else meta.auto_field
    if returned is not None and db.features.can_return_columns_from_insert:
        sql += f" RETURNING {table}.{quote(str(returned.column))}"
    return sql, fields, returned


def insert_new(objs: Sequence[M], unique: str) -> list[M]:
    """Writes new instances with one statement, skipping any whose `unique` field's value is already in the table
    (an earlier call wrote it), and returns those written, with their ids. Unlike `bulk_create(ignore_conflicts=
    True)`, it says exactly which ones were new, even when another transaction wrote the same values at once."""
    if not objs:
        return []
    model = type(objs[0])
    meta = model._meta
    alias = router.db_for_write(model)
    db = connections[alias]
    key = meta.get_field(unique)
    assert isinstance(key, Field)
    if not db.features.can_return_columns_from_insert:
        existing = set(
            model._default_manager.filter(**{f"{unique}__in": [getattr(o, key.attname) for o in objs]}).values_list(
                unique, flat=True
            )
        )
        model._default_manager.bulk_create(objs, ignore_conflicts=True)
        fresh = [o for o in objs if getattr(o, key.attname) not in existing]
        ids = dict(
            model._default_manager.filter(**{f"{unique}__in": [getattr(o, key.attname) for o in fresh]}).values_list(
                unique, "pk"
            )
        )
    else:
        _sql, fields, _returned = _insert_statement(model, alias, with_pk=False)  # its columns, and its checks
        quote = db.ops.quote_name
        table, pk_column, key_column = quote(meta.db_table), quote(str(meta.pk.column)), quote(str(key.column))  # type: ignore[union-attr]
        if db.vendor == "postgresql":
            # An array a column: the statement reads the same for any number of rows, so psycopg converts it and
            # PostgreSQL prepares it once. With a placeholder a value, a surge's fan-out of a hundred messages
            # was a new statement of 1,400 parameters each time, and converting it took a tenth of the worker.
            rows = f"SELECT * FROM unnest({', '.join(f'%s::{f.db_type(db)}[]' for f in fields)})"  # noqa: S608 (types from the model)
            params: list[Any] = [[_prepared(f, obj, db) for obj in objs] for f in fields]
        else:
            rows = "VALUES " + ", ".join([f"({', '.join(['%s'] * len(fields))})"] * len(objs))
            params = [_prepared(f, obj, db) for obj in objs for f in fields]
        sql = (
            f"INSERT INTO {table} ({', '.join(quote(str(f.column)) for f in fields)}) {rows} "
            f"ON CONFLICT ({key_column}) DO NOTHING RETURNING {pk_column}, {key_column}"
        )
        with db.cursor() as cursor:
            cursor.execute(sql, params)
            ids = {value: pk for pk, value in cursor.fetchall()}
        fresh = [o for o in objs if getattr(o, key.attname) in ids]
    for obj in fresh:
        obj.pk = ids[getattr(obj, key.attname)]
        obj._state.adding = False
        obj._state.db = alias
    return fresh


def _prepared(field: Field[Any, Any], obj: Model, db: Any) -> Any:
    """A new row's value for `field`, as `save()` would write it (defaults, `auto_now`)."""
    value = field.pre_save(obj, True)
    if hasattr(value, "resolve_expression"):
        raise TypeError(f"{obj._meta.label}.{field.name}: an expression can't be inserted this way")
    return field.get_db_prep_save(value, connection=db)
