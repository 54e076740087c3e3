"""The PostgreSQL connection settings production relies on."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection, transaction

from opora.accounts.models import Organisation
from opora.tickets.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_a_statement_run_again_is_prepared_once_and_then_reused() -> None:
    threshold = connection.settings_dict["OPTIONS"]["prepare_threshold"]
    for pk in range(threshold + 2):
        list(Organisation.objects.filter(pk=pk).values_list("slug", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('FROM "accounts_organisation"' in statement for statement in prepared), prepared


@pytest.mark.skipif(connection.vendor != "postgresql", reason="plan caching is PostgreSQL's")
def test_every_run_of_a_prepared_statement_is_planned_for_its_own_values() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone() == ("force_custom_plan",)


def _settings_with(**env: str) -> subprocess.CompletedProcess[str]:
    """Opora's settings read in a fresh interpreter: they are read once per process."""
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'opora.settings'; django.setup();"
        "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'].get('options', ''))"
    )
    ours = {"DB_PLAN_CACHE_MODE", "DB_JIT", "DB_PREPARED_STATEMENTS"}
    environment = {key: value for key, value in os.environ.items() if key not in ours}
    environment.update(DATABASE_URL="postgres://opora@127.0.0.1:5432/opora", **env)
    root = Path(__file__).resolve().parents[1]
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environment, cwd=root, check=False
    )


def test_staff_pages_plan_every_run_unless_told_otherwise() -> None:
    found = _settings_with()
    assert found.returncode == 0, found.stderr
    assert found.stdout.split() == ["-c", "plan_cache_mode=force_custom_plan", "-c", "jit=off"]


def test_the_families_pool_can_let_postgresql_keep_one_plan_per_statement() -> None:
    found = _settings_with(DB_PLAN_CACHE_MODE="auto")
    assert found.returncode == 0, found.stderr
    assert found.stdout.split() == ["-c", "plan_cache_mode=auto", "-c", "jit=off"]


def test_a_mistyped_plan_mode_stops_the_server_with_a_clear_message() -> None:
    found = _settings_with(DB_PLAN_CACHE_MODE="generic")
    assert found.returncode != 0
    assert "DB_PLAN_CACHE_MODE is force_custom_plan (the default) or auto." in found.stderr


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the loader is psycopg's")
def test_timestamps_are_read_by_psycopgs_own_parser_and_come_back_exactly() -> None:
    from datetime import UTC, datetime, timedelta, timezone

    from psycopg.pq import Format

    written = datetime(2026, 3, 27, 10, 0, 0, 123456, tzinfo=timezone(timedelta(hours=3)))
    with connection.cursor() as cursor:
        loader = cursor.cursor.adapters.get_loader(cursor.cursor.adapters.types["timestamptz"].oid, Format.TEXT)
        assert loader.__name__ == "UtcTimestampLoader"
        cursor.execute("SELECT %s::timestamptz, 'epoch'::timestamptz", [written])
        read, epoch = cursor.fetchone()
    assert read == written and read.tzinfo is UTC
    assert epoch == datetime(1970, 1, 1, tzinfo=UTC)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the loader is psycopg's")
def test_a_server_side_cursor_reads_timestamps_the_same_way() -> None:
    from datetime import UTC

    from tests.factories import T0, make_school, submit

    submit(make_school())
    with transaction.atomic():  # a named cursor lives in a transaction
        (received,) = Ticket.objects.values_list("received_at", flat=True).iterator(chunk_size=10)
    assert received == T0 and received.tzinfo is UTC


def test_jit_compilation_can_be_turned_back_on() -> None:
    found = _settings_with(DB_JIT="true", DB_PREPARED_STATEMENTS="false")
    assert found.returncode == 0, found.stderr
    assert "jit" not in found.stdout


@pytest.mark.skipif(connection.vendor != "postgresql", reason="JIT is PostgreSQL's")
def test_statements_are_not_jit_compiled() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
