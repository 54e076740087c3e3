"""Where PostgreSQL's autovacuum is off, the benchmarks do its work as it would: the tables it would take in
hand and no others, so the bench neither plans against empty statistics nor carries maintenance that
production never sees."""

import pytest
from django.db import connection

from bench.common import Autovacuum, autovacuum_pass

DEFAULTS = Autovacuum()


def test_a_new_table_is_analysed_after_fifty_changes() -> None:
    assert DEFAULTS.due(rows=-1, dead=0, inserted=50, modified=50) == (False, False)
    assert DEFAULTS.due(rows=-1, dead=0, inserted=51, modified=51) == (False, True)


def test_inserts_alone_bring_a_vacuum_past_their_own_threshold() -> None:
    assert DEFAULTS.due(rows=0, dead=0, inserted=1001, modified=0) == (True, False)
    assert DEFAULTS.due(rows=10_000, dead=0, inserted=2_999, modified=0) == (False, False)
    assert DEFAULTS.due(rows=10_000, dead=0, inserted=3_001, modified=0) == (True, False)
    never_by_inserts = Autovacuum(vacuum_insert_threshold=-1)
    assert never_by_inserts.due(rows=0, dead=0, inserted=10**9, modified=0) == (False, False)


def test_thresholds_grow_with_the_table() -> None:
    """A million rows: 200,050 dead rows before a vacuum and 100,050 changes before an analysis."""
    assert DEFAULTS.due(rows=1_000_000, dead=200_050, inserted=0, modified=100_050) == (False, False)
    assert DEFAULTS.due(rows=1_000_000, dead=200_051, inserted=0, modified=100_051) == (True, True)


def test_other_settings_move_the_thresholds() -> None:
    eager = Autovacuum(vacuum_threshold=0, vacuum_scale_factor=0.0, analyze_threshold=0, analyze_scale_factor=0.0)
    assert eager.due(rows=1_000_000, dead=1, inserted=0, modified=1) == (True, True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="autovacuum is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_a_pass_takes_in_hand_only_the_tables_past_their_thresholds() -> None:
    raw = connection.cursor().connection  # autocommit: VACUUM runs outside a transaction
    raw.execute("CREATE TABLE bench_busy (id int)")
    raw.execute("CREATE TABLE bench_quiet (id int)")
    try:
        raw.execute("INSERT INTO bench_busy SELECT generate_series(1, 1200)")
        raw.execute("INSERT INTO bench_quiet SELECT generate_series(1, 10)")
        raw.execute("SELECT pg_stat_force_next_flush()")
        done = [(table, action) for table, action in autovacuum_pass(raw) if table.startswith("bench_")]
        assert done == [("bench_busy", "VACUUM (ANALYZE)")]
        (analysed, vacuumed), *_ = raw.execute(
            "SELECT last_analyze IS NOT NULL, last_vacuum IS NOT NULL FROM pg_stat_user_tables"
            " WHERE relname = 'bench_busy'"
        ).fetchall()
        assert analysed and vacuumed
        assert [a for t, a in autovacuum_pass(raw) if t == "bench_busy"] == []  # counted afresh after it
    finally:
        raw.execute("DROP TABLE bench_busy, bench_quiet")
