"""Connection set-up Django leaves slow: reading timestamps on PostgreSQL.

Django reads every `timestamptz` through a loader of its own (to attach the database connection's time zone),
written on psycopg's pure-Python parser: about 5 µs a value, where psycopg's C parser takes a fraction of it.
A list page reads a few hundred timestamps, the watcher's sweep thirty thousand, an export of 100,000
requests six hundred thousand. When the connection's zone is UTC (Django's own setting with USE_TZ and no
database TIME_ZONE) the C parser already returns exactly what Django's loader would, so each connection is
given a loader that hands the work to it."""

from datetime import UTC
from functools import cache
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created


@cache
def _utc_loader() -> type[Any]:
    import psycopg
    from psycopg.adapt import Loader
    from psycopg.pq import Format

    timestamptz = psycopg.postgres.types["timestamptz"].oid
    found = psycopg.adapters.get_loader(timestamptz, Format.TEXT)
    assert found is not None  # psycopg registers one for every built-in type
    default: type[Any] = found

    class UtcTimestampLoader(Loader):
        # Django compares this with the connection's zone before each cursor: equal, so it adds nothing.
        timezone = UTC

        def __init__(self, oid: int, context: Any = None) -> None:
            super().__init__(oid, context)
            self._parse = default(oid, context).load

        def load(self, data: Any) -> Any:
            return self._parse(data)

    return UtcTimestampLoader


def use_fast_timestamps(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    if connection.vendor != "postgresql" or connection.timezone is not UTC:
        return
    connection.connection.adapters.register_loader("timestamptz", _utc_loader())


def connect() -> None:
    connection_created.connect(use_fast_timestamps, dispatch_uid="opora.fast-timestamps")
