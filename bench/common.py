"""Shared pieces of the benchmarks: the machine, percentiles, results on disk."""

import hashlib
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
# Smoke runs (CI) use their own databases, so they never disturb a full run on the same server.
SUFFIX = os.environ.get("BENCH_DB_SUFFIX", "")


# Read when a scenario starts (the module is imported first), not when its results are saved at the end.
LOAD_AT_START = os.getloadavg()


def machine() -> dict[str, Any]:
    with open("/proc/meminfo") as fh:
        mem_kb = int(next(line for line in fh if line.startswith("MemTotal")).split()[1])
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "load_average_at_start": LOAD_AT_START,
        "load_average_at_end": os.getloadavg(),
        "python": platform.python_version(),
        "postgres": subprocess.run(["psql", "--version"], capture_output=True, text=True, check=False).stdout.strip(),
        "note": "the load generator shares the machine with the server",
    }


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "p50": pct(values, 0.5),
        "p95": pct(values, 0.95),
        "p99": pct(values, 0.99),
        "mean": statistics.fmean(values) if values else float("nan"),
    }


def save(name: str, data: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}-{int(time.time())}.json"
    path.write_text(json.dumps({"machine": machine(), **data}, ensure_ascii=False, indent=2, default=str))
    print(f"wrote {path.relative_to(ROOT)}")
    return path


def recreate_db(name: str, template: str = "") -> str:
    name += SUFFIX
    _psql(f"DROP DATABASE IF EXISTS {name}")
    _psql(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
    return f"{PG}/{name}"


def migrated_db(name: str) -> str:
    """A new database with Opora's tables, copied from one migrated once for these migrations and these
    packages: PostgreSQL copies a database in a fraction of a second, where running every migration took each
    scenario 6–7 s on a slow machine. A migration that fails leaves its half-built copy under a name of its own,
    never under the template's."""
    return recreate_db(name, template=_template())


def _template() -> str:
    parts = sorted((ROOT / "opora").glob("*/migrations/*.py"))
    digest = hashlib.sha256()
    for path in [ROOT / "requirements.txt", *parts]:
        digest.update(path.read_bytes())
    template = f"opora_template_{digest.hexdigest()[:12]}"
    if _exists(template):
        return template
    # Migrated under a name of its own and renamed when done, so a run beside this one never copies it half-way.
    building = f"{template}_{os.getpid()}"
    _psql(f"CREATE DATABASE {building}")
    manage(django_env(f"{PG}/{building}"), "migrate", "--noinput", "-v0")
    if _psql(f"ALTER DATABASE {building} RENAME TO {template}", check=False) != 0:
        _psql(f"DROP DATABASE {building}")  # the other run finished first: its copy serves both
    return template


def _psql(statement: str, check: bool = True) -> int:
    return subprocess.run(["psql", f"{PG}/postgres", "-qc", statement], check=check).returncode


def _exists(database: str) -> bool:
    found = subprocess.run(
        ["psql", f"{PG}/postgres", "-Atc", f"SELECT 1 FROM pg_database WHERE datname = '{database}'"],
        capture_output=True,
        text=True,
        check=True,
    )
    return found.stdout.strip() == "1"


def django_env(database_url: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "bench-" + "x" * 40,
        "DEBUG": "false",
        "OPORA_DEMO": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_COOKIES": "false",
        "OPORA_REQUIRE_2FA": "false",
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "PYTHONPATH": str(ROOT),
        **extra,
    }


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def wait_for_port(port: int, tries: int = 100) -> None:
    """Until something listens on 127.0.0.1:`port` (a server just started), or the tries run out."""
    for _ in range(tries):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)


@dataclass(frozen=True)
class Autovacuum:
    """When PostgreSQL's autovacuum takes a table in hand, from the server's own `autovacuum_*` settings
    (PostgreSQL's defaults here)."""

    vacuum_threshold: float = 50
    vacuum_scale_factor: float = 0.2
    vacuum_insert_threshold: float = 1000  # -1: inserts alone never bring a vacuum
    vacuum_insert_scale_factor: float = 0.2
    analyze_threshold: float = 50
    analyze_scale_factor: float = 0.1

    def due(self, rows: float, dead: int, inserted: int, modified: int) -> tuple[bool, bool]:
        """(vacuum, analyze) for a table of `rows` (its `reltuples`, -1 when never counted) with `dead` rows,
        `inserted` since its last vacuum and `modified` since its last analysis, as autovacuum decides."""
        rows = max(rows, 0.0)
        vacuum = dead > self.vacuum_threshold + self.vacuum_scale_factor * rows or (
            self.vacuum_insert_threshold >= 0
            and inserted > self.vacuum_insert_threshold + self.vacuum_insert_scale_factor * rows
        )
        return vacuum, modified > self.analyze_threshold + self.analyze_scale_factor * rows


_TABLE_STATS = """
    SELECT s.schemaname, s.relname, c.reltuples, s.n_dead_tup, s.n_ins_since_vacuum, s.n_mod_since_analyze
    FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid ORDER BY s.relid"""


def autovacuum_pass(connection: Any) -> list[tuple[str, str]]:
    """One round of autovacuum's work in the database of `connection` (autocommit): each table past its
    thresholds vacuumed and/or analysed, at autovacuum's pace (its cost delay and limit,
    which keep it from taking a core from the requests while it reads). What was done, as (table, action)."""
    settings = dict(connection.execute("SELECT name, setting FROM pg_settings WHERE name LIKE '%vacuum%'").fetchall())
    rules = Autovacuum(**{field: float(settings[f"autovacuum_{field}"]) for field in Autovacuum.__dataclass_fields__})
    limit = settings["autovacuum_vacuum_cost_limit"]
    connection.execute(f"SET vacuum_cost_delay = {float(settings['autovacuum_vacuum_cost_delay'])}")
    connection.execute(f"SET vacuum_cost_limit = {settings['vacuum_cost_limit'] if limit == '-1' else limit}")
    done = []
    for schema, table, rows, dead, inserted, modified in connection.execute(_TABLE_STATS).fetchall():
        vacuum, analyze = rules.due(rows, dead, inserted, modified)
        action = "VACUUM (ANALYZE)" if vacuum and analyze else "VACUUM" if vacuum else "ANALYZE" if analyze else ""
        if action:
            connection.execute(f'{action} "{schema}"."{table}"')
            done.append((table, action))
    return done


@contextmanager
def autovacuum_stand_in(urls: list[str], every: float = 15) -> Iterator[None]:
    """Production PostgreSQL runs autovacuum; where it is off (as on this bench machine), tables that grow from
    empty during a run keep no statistics, and PostgreSQL plans against an empty table (a task claim sorted
    the whole backlog; a submit's screening scanned every row). Does autovacuum's work (`autovacuum_pass`) on
    each database, checking every `every` seconds rather than autovacuum's
    minute, so a run of a few minutes has its statistics as a long day would.

    It used to run an unthrottled `VACUUM (ANALYZE)` of every table of every database each time: 2.2–2.4 s of a
    core every 15 s with the intake's five databases, which autovacuum never does, and which set the intake's
    p99 at 32 clients (320 ms with it, 165 ms without, on Opora alone)."""
    import psycopg

    stop = threading.Event()

    def run() -> None:
        connections = [psycopg.connect(url, autocommit=True) for url in urls]
        try:
            if connections and connections[0].execute("SHOW autovacuum").fetchone() == ("on",):
                return
            while not stop.wait(every):
                for connection in connections:
                    autovacuum_pass(connection)
        finally:
            for connection in connections:
                connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(60)
