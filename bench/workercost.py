"""What one submit costs the machine after its response: the task workers' CPU and PostgreSQL's, per submit.

The intake scenario's "with workers" target is slower than the families' pool alone by what the workers take from
the same two cores. This puts a number on that share, apart from the noise of a throughput run: `submits`
requests through the real public form (as the intake clients send it) with no worker running, then each task
queue drained by one worker of its own at full priority, to an SMTP sink, reading the CPU time of the web
workers, of the task worker and of PostgreSQL (its backends included, those that have exited too) from /proc.
"""

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psycopg

from .common import ROOT, autovacuum_stand_in, manage, save
from .intake import _tasks_waiting, free_port, opora_env, public_pool, serve
from .load import run
from .production import smtp_sink

_TICKS = 100.0  # USER_HZ: /proc counts CPU time in these on every Linux that Debian ships


def _cpu(pid: int, children: bool = False) -> float:
    """Seconds of CPU `pid` has used; with `children`, also those of its children it has reaped."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    used = int(fields[11]) + int(fields[12]) + (int(fields[13]) + int(fields[14]) if children else 0)
    return used / _TICKS


def _tree(pid: int) -> float:
    """A process and every live descendant, plus what the exited ones used (reaped into their parents)."""
    total = _cpu(pid, children=True)
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            total += _tree(int(child))
    return total


def _postmaster(database: str) -> int:
    with psycopg.connect(database, autocommit=True) as db:
        row = db.execute("SHOW data_directory").fetchone()
    return int((Path(row[0]) / "postmaster.pid").read_text().split()[0]) if row else 0


def _queue_waiting(database: str, queue: str) -> int:
    query = (
        "SELECT count(*) FROM django_tasks_database_dbtaskresult"
        " WHERE status IN ('READY', 'RUNNING') AND queue_name = %s"
    )
    with psycopg.connect(database, autocommit=True) as db:
        (count,) = db.execute(query, (queue,)).fetchone() or (0,)
    return int(count)


def _until_due(database: str, queue: str) -> None:
    query = (
        "SELECT max(run_after) - now() FROM django_tasks_database_dbtaskresult"
        " WHERE status = 'READY' AND queue_name = %s AND run_after < '9000-01-01'"  # no date: at once
    )
    with psycopg.connect(database, autocommit=True) as db:
        (wait,) = db.execute(query, (queue,)).fetchone() or (None,)
    if wait is not None and wait.total_seconds() > 0:
        time.sleep(wait.total_seconds() + 0.5)


def _settled(pid: int) -> float:
    """The CPU a freshly started worker has used once it has nothing more to start (Django loaded, polling)."""
    last = -1.0
    while True:
        time.sleep(0.5)
        now = _tree(pid)
        if now - last < 0.02:
            return now
        last = now


def _drain(env: dict[str, str], queue: str, postmaster: int, limit: float = 600.0) -> dict[str, Any]:
    """One worker for `queue`, at full priority, until the queue is empty; its CPU beyond its start-up."""
    _until_due(env["DATABASE_URL"], queue)  # a gathering window's task: its worker would only poll meanwhile
    tasks = _queue_waiting(env["DATABASE_URL"], queue)
    if not tasks:
        return {"tasks": 0, "left": 0, "seconds": 0.0, "worker_cpu_s": 0.0, "postgres_cpu_s": 0.0}
    command = [sys.executable, "manage.py", "db_worker", "--queue-name", queue, "--interval", "0.1"]
    idle = subprocess.Popen(
        [*command[:3], "--queue-name", "nothing-here", *command[5:]],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        start_up = _settled(idle.pid)
    finally:
        idle.terminate()
        idle.wait(20)
    pg_before = _tree(postmaster)
    started = time.monotonic()
    worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while _queue_waiting(env["DATABASE_URL"], queue) and time.monotonic() - started < limit:
            time.sleep(0.2)
        seconds = time.monotonic() - started
        worker_cpu = _tree(worker.pid) - start_up
        pg_cpu = _tree(postmaster) - pg_before
    finally:
        worker.terminate()
        worker.wait(20)
    return {
        "tasks": tasks,
        "left": _queue_waiting(env["DATABASE_URL"], queue),
        "seconds": round(seconds, 1),
        "worker_cpu_s": round(worker_cpu, 2),
        "postgres_cpu_s": round(pg_cpu, 2),
    }


def _sent(database: str) -> dict[str, int]:
    query = "SELECT kind || ':' || state, count(*) FROM notify_outbox GROUP BY 1"
    with psycopg.connect(database, autocommit=True) as db:
        return {key: int(n) for key, n in db.execute(query).fetchall()}


def main(submits: int, clients: int) -> dict[str, Any]:
    smtp = free_port()
    env = {**opora_env("opora_workercost_bench"), "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp)}
    database = env["DATABASE_URL"]
    postmaster = _postmaster(database)
    result: dict[str, Any] = {"submits": submits, "clients": clients}
    # The tables grow from empty while the load runs: without statistics PostgreSQL plans against empty ones.
    with smtp_sink(smtp), autovacuum_stand_in([database]):
        with serve("opora.wsgi:application", public_pool(env), "sync") as port:
            run(port, "/o/bench/", 1, 60.0, 5)  # warm-up, not counted
            gunicorn = _gunicorn(port)
            web_before, pg_before = _tree(gunicorn), _tree(postmaster)
            load = run(port, "/o/bench/", clients, 3600.0, submits // clients)
            result["web"] = {
                "ok": load["ok"],
                "errors": load["errors"],
                "web_cpu_s": round(_tree(gunicorn) - web_before, 2),
                "postgres_cpu_s": round(_tree(postmaster) - pg_before, 2),
            }
        manage(env, "shell", "-c", "from django.db import connection; connection.cursor().execute('ANALYZE')")
        result["tasks_waiting"] = _tasks_waiting(database)
        for queue in ("families", "default"):
            result[queue] = _drain(env, queue, postmaster)
    result["outbox"] = _sent(database)
    done = max(result["web"]["ok"], 1)
    result["per_submit_ms"] = {
        "web": round(1000 * result["web"]["web_cpu_s"] / done, 2),
        "web_postgres": round(1000 * result["web"]["postgres_cpu_s"] / done, 2),
        **{
            f"{queue}_{part}": round(1000 * result[queue][f"{part}_cpu_s"] / done, 2)
            for queue in ("families", "default")
            for part in ("worker", "postgres")
        },
    }
    return result


def _gunicorn(port: int) -> int:
    """The master of the gunicorn listening on `port` (its workers are its children)."""
    found = subprocess.run(["pgrep", "-f", f"gunicorn.*127.0.0.1:{port}"], capture_output=True, text=True, check=True)
    pids = [int(p) for p in found.stdout.split()]
    return min(pids, key=_start_time)


def _start_time(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19])


if __name__ == "__main__":
    outcome = main(int(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 4)
    save("workercost", outcome)
    print(json.dumps({k: outcome[k] for k in ("per_submit_ms", "families", "default", "outbox")}, indent=1))
