"""Scenario 1: intake through the real public form, beside the bare-Django ceiling (and django-helpdesk)."""

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg

from .common import ROOT, autovacuum_stand_in, django_env, manage, recreate_db, save, wait_for_port
from .load import run
from .production import smtp_sink, workers_and_watcher


def gunicorn(python: str = sys.executable) -> list[str]:
    return [python, "-m", "gunicorn", "--workers", "2", "--bind"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(
    app: str, env: dict[str, str], worker_class: str, python: str = sys.executable, cwd: Path = ROOT
) -> Iterator[int]:
    port = free_port()
    extra = ["--worker-class", "gthread", "--threads", "4"] if worker_class == "gthread" else []
    process = subprocess.Popen(
        [*gunicorn(python), f"127.0.0.1:{port}", *extra, "--log-level", "warning", app], cwd=cwd, env=env
    )
    try:
        wait_for_port(port)
        yield port
    finally:
        process.terminate()
        process.wait(10)


def opora_env() -> dict[str, str]:
    env = django_env(
        recreate_db("opora_bench"),
        OPORA_MIN_FILL_SECONDS="0",
        AXES_ENABLED="false",
        TRUSTED_PROXY_HOPS="1",
    )
    manage(env, "migrate", "--noinput", "-v0")
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import django,os;os.environ.setdefault('DJANGO_SETTINGS_MODULE','opora.settings');"
            "django.setup();from opora.tickets.demo.school import create_school, create_staff;"
            # Staff too, so that each request queues its mail to the dispatchers as in a real school.
            "create_staff(create_school('bench'), password='bench-password-1')",
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return env


def public_pool(env: dict[str, str]) -> dict[str, str]:
    """`env` as the families' pool runs it in production: with the `Environment=` lines of its systemd unit."""
    unit = (ROOT / "deploy" / "systemd" / "opora-public.service").read_text().splitlines()
    pairs = [line.removeprefix("Environment=").split("=", 1) for line in unit if line.startswith("Environment=")]
    return {**env, **dict(pairs)}


def ceiling_env() -> dict[str, str]:
    database = recreate_db("ceiling_bench")
    env = django_env(database, CEILING_DB=database.rsplit("/", 1)[1])
    subprocess.run(
        [sys.executable, "-c", "from bench.ceiling.app import create_table; create_table()"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return env


def helpdesk_runs(levels: list[int], seconds: float, per_client: int) -> dict[str, Any]:
    from .helpdesk import prepare

    try:
        root, env = prepare()
    except subprocess.CalledProcessError as exc:
        return {"helpdesk-error": f"django-helpdesk could not be set up: {exc}"}
    python = str(root / "venv" / "bin" / "python")
    found: dict[str, Any] = {}
    # django-helpdesk mails each submitter from inside the request: to a real (sink) server, as Opora's
    # workers do in `with_workers`.
    smtp = free_port()
    env = {**env, "BENCH_SMTP_PORT": str(smtp)}
    for worker_class in ("sync", "gthread"):
        with (
            smtp_sink(smtp),
            autovacuum_stand_in([env["DATABASE_URL"]]),
            serve("hdproj.wsgi:application", env, worker_class, python=python, cwd=root) as port,
        ):
            run(port, "/tickets/submit/", 1, 1.0, 3, kind="helpdesk")
            found[f"helpdesk-{worker_class}"] = [
                run(port, "/tickets/submit/", c, seconds, per_client, kind="helpdesk") for c in levels
            ]
    return found


def main(levels: list[int], seconds: float, per_client: int) -> dict[str, Any]:
    results: dict[str, Any] = {"levels": levels, "seconds_per_level": seconds}
    targets = {
        "opora": ("opora.wsgi:application", public_pool(opora_env())),
        "ceiling": ("bench.ceiling.app:application", ceiling_env()),
    }
    for worker_class in ("sync", "gthread"):
        for name, (app, env) in targets.items():
            with autovacuum_stand_in([env["DATABASE_URL"]]), serve(app, env, worker_class) as port:
                run(port, "/o/bench/", 1, 1.0, 5)  # warm-up
                results[f"{name}-{worker_class}"] = [run(port, "/o/bench/", c, seconds, per_client) for c in levels]
    results["opora-with-workers-sync"] = with_workers(levels, seconds, per_client)
    if os.environ.get("BENCH_HELPDESK", "1") == "1":
        results.update(helpdesk_runs(levels, seconds, per_client))
    for ours, worker_class in (("opora", "sync"), ("opora", "gthread"), ("opora-with-workers", "sync")):
        o = {r["clients"]: r for r in results[f"{ours}-{worker_class}"]}
        prefix = "ratio" if ours == "opora" else f"ratio-{ours}"
        for other in ("ceiling", "helpdesk"):
            rows = {r["clients"]: r for r in results.get(f"{other}-{worker_class}", [])}
            results[f"{prefix}-{other}-{worker_class}"] = {
                n: round(o[n]["rps"] / rows[n]["rps"], 2) if n in rows and rows[n]["rps"] else None for n in o
            }
    return results


def with_workers(levels: list[int], seconds: float, per_client: int) -> list[dict[str, Any]]:
    """Opora as a whole, as production runs it: the task workers and the deadline watcher beside the families'
    pool, on a database of their own, each with the CPU priority its systemd unit gives it, sending the
    dispatchers' mail to an SMTP sink. Each submit queues a task that a worker expands into a message for each
    dispatcher and sends. At full load the workers get the CPU the web pool leaves, so mail falls behind while
    the load lasts: each level records the tasks still waiting at its end, and how long the workers took to
    catch up once it stopped (before the next level starts). The runs above serve the families' pool alone, with
    the tasks left in their table."""
    smtp = free_port()
    env = {**opora_env(), "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp)}
    found = []
    with (
        smtp_sink(smtp),
        workers_and_watcher(env),
        autovacuum_stand_in([env["DATABASE_URL"]]),
        serve("opora.wsgi:application", public_pool(env), "sync") as port,
        psycopg.connect(env["DATABASE_URL"], autocommit=True) as db,
    ):
        run(port, "/o/bench/", 1, 1.0, 5)
        for clients in levels:
            row = run(port, "/o/bench/", clients, seconds, per_client)
            row["tasks_waiting_at_end"] = _tasks_waiting(db)
            row["caught_up_after_s"] = _catch_up(db, limit=max(60.0, 10 * seconds))
            found.append(row)
    return found


def _tasks_waiting(db: "psycopg.Connection[Any]") -> int:
    query = "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status IN ('READY', 'RUNNING')"
    (count,) = db.execute(query).fetchone() or (0,)
    return int(count)


def _catch_up(db: "psycopg.Connection[Any]", limit: float) -> float | None:
    """Seconds until no task is left waiting; None if the workers were still behind after `limit`."""
    started = time.monotonic()
    while _tasks_waiting(db):
        if time.monotonic() - started > limit:
            return None
        time.sleep(0.5)
    return round(time.monotonic() - started, 1)


if __name__ == "__main__":
    levels = [int(x) for x in sys.argv[1].split(",")]
    result = main(levels, float(sys.argv[2]), int(sys.argv[3]))
    save("intake", result)
    print(json.dumps({k: v for k, v in result.items() if k.startswith("ratio") or k.endswith("error")}, indent=1))
    for key in (
        "opora-gthread",
        "ceiling-gthread",
        "helpdesk-gthread",
        "opora-sync",
        "opora-with-workers-sync",
        "ceiling-sync",
        "helpdesk-sync",
    ):
        for row in result.get(key, []):
            print(
                key,
                row["clients"],
                "rps",
                row["rps"],
                "p50",
                round(row["latency_ms"]["p50"], 1),
                "p99",
                round(row["latency_ms"]["p99"], 1),
                "errors",
                row["errors"],
                *(
                    ["tasks waiting", row["tasks_waiting_at_end"], "caught up after s", row["caught_up_after_s"]]
                    if "tasks_waiting_at_end" in row
                    else []
                ),
            )
