"""Django's PostgreSQL backend, but for how a reused connection is checked before a request uses it.

Django's health check sends `SELECT 1` at the start of every request that touches the database. On the
families' pool in a surge that is one round trip in ten of a submit, and the worker sits idle through it.
A connection the server has closed (a restart, `pg_terminate_backend`, a crashed backend) has the server's
farewell or the end of the stream waiting on its socket, while a healthy idle one has nothing to read; so a
connection that answered a moment ago and has nothing waiting is used as it is. One that has been quiet for
longer, one that has seen an error, or one with anything at all to read gets Django's full check."""

import select
import time

import psycopg
from django.db.backends.postgresql import base

# Longer than this since the last check, and the connection gets `SELECT 1`: a connection idle between
# surges may have been dropped silently on the way (a firewall, a failover), which its socket would not show.
QUIET_LIMIT = 10.0


class DatabaseWrapper(base.DatabaseWrapper):
    checked_at: float | None = None

    def connect(self) -> None:
        super().connect()
        self.checked_at = time.monotonic()

    def is_usable(self) -> bool:
        now = time.monotonic()
        recent = self.checked_at is not None and now - self.checked_at < QUIET_LIMIT
        if recent and not self.errors_occurred and self._nothing_to_read():
            self.checked_at = now
            return True
        usable = super().is_usable()
        self.checked_at = now if usable else None
        return usable

    def _nothing_to_read(self) -> bool:
        if self.connection is None or self.connection.closed:
            return False
        try:
            poll = select.poll()
            poll.register(self.connection.fileno(), select.POLLIN)
            return not poll.poll(0)
        except (OSError, ValueError, psycopg.Error):
            return False
