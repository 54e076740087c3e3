"""Many new rows in one statement, with their ids: COPY on PostgreSQL, a multi-row INSERT elsewhere.

For the watcher's batches, where building a model instance per row costs more than writing it.
"""

import json
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import JSONField, Model


class Json(str):
    """A JSON field's value already written as JSON text, for rows whose shape is fixed."""


def _value(value: Any) -> Any:
    return json.loads(value) if isinstance(value, Json) else value


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
    meta = model._meta
    by_name = {f.attname: f for f in meta.concrete_fields}
    as_json = [i for i, name in enumerate(fields) if isinstance(by_name[name], JSONField)]
    columns = ", ".join(connection.ops.quote_name(str(by_name[name].column)) for name in fields)
    with connection.cursor() as cursor:
        # Ids first, so the rows can refer to each other (mail to its event) without reading them back.
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [meta.db_table, len(rows)],
        )
        ids = [pk for (pk,) in cursor.fetchall()]
        with cursor.copy(f"COPY {meta.db_table} (id, {columns}) FROM STDIN") as copy:
            for pk, row in zip(ids, rows, strict=True):
                values = [pk, *row]
                for i in as_json:
                    if not isinstance(values[i + 1], Json):
                        values[i + 1] = json.dumps(values[i + 1])
                copy.write_row(values)
    return ids
