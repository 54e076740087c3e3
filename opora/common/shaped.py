"""Queries whose SQL depends only on their shape, built through the ORM once per process.

A head's page asks the same questions of every school at every moment (what is open, who are the staff);
only the school and the time change. Building such a query through the ORM (its expressions, joins and
compiler) cost twice as long as PostgreSQL took to answer it, so it is built once with stand-in values,
and each run puts its own values where the stand-ins were."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.db import connections
from django.db.models import QuerySet

# Values no real question uses, so each is found among the built statement's parameters.
SCHOOL = -7_919_003
NOW = datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=UTC)


class ShapedQuery:
    """`build(school_id, now)` returns the queryset; `rows(school_id, now)` runs it as dicts by column name.
    Values come as the database driver gives them, without the ORM's field converters: ids, counts and text
    read the same everywhere, a flag is 0 or 1 on SQLite."""

    def __init__(self, build: Callable[[int, datetime], QuerySet[Any, Any]]) -> None:
        self._build = build
        self._built: dict[str, tuple[str, list[Any]]] = {}

    def _statement(self, alias: str) -> tuple[str, list[Any]]:
        if alias not in self._built:
            connection = connections[alias]
            sql, params = self._build(SCHOOL, NOW).query.get_compiler(alias).as_sql()
            now = connection.ops.adapt_datetimefield_value(NOW)
            slots = [_SCHOOL_SLOT if p == SCHOOL else _NOW_SLOT if p == now else p for p in params]
            if _SCHOOL_SLOT not in slots:
                raise ValueError("the query does not filter by its school")
            self._built[alias] = (sql, slots)
        return self._built[alias]

    def rows(self, school_id: int, now: datetime | None = None, alias: str = "default") -> list[dict[str, Any]]:
        """`now` may be left out by a query that does not use it."""
        connection = connections[alias]
        sql, slots = self._statement(alias)
        if now is None and _NOW_SLOT in slots:
            raise ValueError("the query needs the time")
        moment = connection.ops.adapt_datetimefield_value(now)
        params = [school_id if s is _SCHOOL_SLOT else moment if s is _NOW_SLOT else s for s in slots]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


_SCHOOL_SLOT = object()
_NOW_SLOT = object()
