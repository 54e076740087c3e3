"""The health check a reused PostgreSQL connection gets before a request uses it (`opora.common.postgresql`)."""

import select
import time
from collections.abc import Iterator

import psycopg
import pytest
from django.db import connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper

from opora.common.postgresql.base import QUIET_LIMIT

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the check is PostgreSQL's"),
]


@pytest.fixture
def worker_connection() -> Iterator[BaseDatabaseWrapper]:
    """A connection of its own, as a web worker holds one, outside the test's transaction."""
    wrapper = connections.create_connection("default")
    wrapper.ensure_connection()
    yield wrapper
    wrapper.close()


@pytest.fixture
def observer() -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as observing:
        yield observing


def _backend_pid(wrapper: BaseDatabaseWrapper) -> int:
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def _last_statement(observer: psycopg.Connection[tuple[object, ...]], pid: int) -> str:
    row = observer.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone()
    assert row is not None
    return str(row[0])


def test_a_connection_in_use_a_moment_ago_is_checked_without_a_statement(worker_connection, observer) -> None:
    pid = _backend_pid(worker_connection)
    assert worker_connection.is_usable()
    assert _last_statement(observer, pid) == "SELECT pg_backend_pid()"


def test_a_connection_quiet_for_longer_gets_the_full_check(worker_connection, observer) -> None:
    pid = _backend_pid(worker_connection)
    worker_connection.checked_at -= QUIET_LIMIT + 1
    assert worker_connection.is_usable()
    assert _last_statement(observer, pid) == "SELECT 1"
    _backend_pid(worker_connection)
    assert worker_connection.is_usable()  # the full check counts as the latest look
    assert _last_statement(observer, pid) == "SELECT pg_backend_pid()"


def test_a_connection_that_saw_an_error_gets_the_full_check(worker_connection, observer) -> None:
    pid = _backend_pid(worker_connection)
    worker_connection.errors_occurred = True
    assert worker_connection.is_usable()
    assert _last_statement(observer, pid) == "SELECT 1"


def test_a_connection_the_server_closed_is_found_unusable_at_once(worker_connection, observer) -> None:
    pid = _backend_pid(worker_connection)
    observer.execute("SELECT pg_terminate_backend(%s)", [pid])
    poll = select.poll()
    poll.register(worker_connection.connection.fileno(), select.POLLIN)
    deadline = time.monotonic() + 10
    while not poll.poll(50) and time.monotonic() < deadline:
        pass  # the server's farewell is on its way
    assert not worker_connection.is_usable()
    worker_connection.health_check_done = False  # as at the start of each request
    worker_connection.close_if_health_check_failed()
    assert worker_connection.connection is None  # Django drops it; the next statement connects afresh
    assert _backend_pid(worker_connection) != pid


def test_a_closed_connection_is_not_usable(worker_connection) -> None:
    worker_connection.connection.close()
    assert not worker_connection.is_usable()
