"""Scenario 1: intake through the real public form, beside the bare-Django ceiling (and django-helpdesk)."""

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

from .common import ROOT, autovacuum_stand_in, django_env, migrated_db, recreate_db, save, summary, wait_for_port
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


def opora_env(database: str = "opora_bench") -> dict[str, str]:
    env = django_env(
        migrated_db(database),
        OPORA_MIN_FILL_SECONDS="0",
        AXES_ENABLED="false",
        TRUSTED_PROXY_HOPS="1",
    )
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


# Each level is measured in this many slices per target, the targets taking turns, in reverse order every other
# round: a shared machine's speed drifts over the minutes a run takes, and measured one after another the
# targets' ratios moved by a third between two runs of the same code.
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2"))


# Production's staff mail waits 30 s for other requests to go with it, longer than a slice: the workers would do
# their part between the slices, unmeasured. Here it waits 2 s, so it falls inside the slice, and still goes
# out in full batches (50 requests a message) as in a sustained surge, since every level brings over 25 a second.
GATHER = {"OPORA_STAFF_MAIL_GATHER_SECONDS": os.environ.get("BENCH_GATHER_SECONDS", "2")}
# A window's task runs after the window and a grace (as long as the window, up to 5 s): the mail of a slice's last
# seconds goes out after it. Each slice of Opora with its workers comes after as long a load unmeasured, so it
# carries as much of that work in as it leaves out.
_WINDOW = float(GATHER["OPORA_STAFF_MAIL_GATHER_SECONDS"])
WARM_UP = _WINDOW + min(_WINDOW, 5.0)  # opora.notify.outbox.GATHER_GRACE


@dataclass
class Target:
    name: str
    port: int
    kind: str = "opora"
    path: str = "/o/bench/"
    database: str = ""  # set for Opora with its workers: each slice waits until they have caught up


def main(levels: list[int], seconds: float, per_client: int) -> dict[str, Any]:
    results: dict[str, Any] = {"levels": levels, "seconds_per_level": seconds, "rounds": ROUNDS}
    with ExitStack() as stack:
        targets = _start(stack, results)
        for target in targets:
            run(target.port, target.path, 1, 1.0, 5, kind=target.kind)  # warm-up
            _caught_up(target)
        slices: dict[str, list[list[dict[str, Any]]]] = {t.name: [] for t in targets}
        for clients in levels:
            for t in targets:
                slices[t.name].append([])
            for round_ in range(ROUNDS):
                for target in targets if round_ % 2 == 0 else targets[::-1]:
                    if target.database:  # unmeasured: the slice starts with the workers as busy as it leaves them
                        run(target.port, target.path, clients, WARM_UP, per_client, kind=target.kind)
                    part = run(
                        target.port, target.path, clients, seconds / ROUNDS, per_client, kind=target.kind, raw=True
                    )
                    if target.database:
                        part["tasks_waiting_at_end"] = _tasks_waiting(target.database)
                        part["caught_up_after_s"] = _caught_up(target, limit=max(60.0, 10 * seconds))
                    slices[target.name][-1].append(part)
        for name, by_level in slices.items():
            results[name] = [merge(parts) for parts in by_level]
    _ratios(results)
    return results


def _start(stack: ExitStack, results: dict[str, Any]) -> list[Target]:
    """Every target's server, up together for the whole run; each on its own database."""
    opora = public_pool(opora_env())
    ceiling = ceiling_env()
    smtp = free_port()
    whole = {**opora_env("opora_workers_bench"), "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp), **GATHER}
    databases = [opora["DATABASE_URL"], ceiling["DATABASE_URL"], whole["DATABASE_URL"]]
    targets = []
    for worker_class in ("sync", "gthread"):
        targets.append(
            Target(f"opora-{worker_class}", stack.enter_context(serve("opora.wsgi:application", opora, worker_class)))
        )
        ceiling_port = stack.enter_context(serve("bench.ceiling.app:application", ceiling, worker_class))
        targets.append(Target(f"ceiling-{worker_class}", ceiling_port))
    stack.enter_context(smtp_sink(smtp))
    stack.enter_context(workers_and_watcher(whole))
    port = stack.enter_context(serve("opora.wsgi:application", public_pool(whole), "sync"))
    targets.append(Target("opora-with-workers-sync", port, database=whole["DATABASE_URL"]))
    if os.environ.get("BENCH_HELPDESK", "1") == "1":
        targets += _helpdesk(stack, results, databases)
    stack.enter_context(autovacuum_stand_in(databases))
    return targets


def _helpdesk(stack: ExitStack, results: dict[str, Any], databases: list[str]) -> list[Target]:
    """django-helpdesk mails each submitter from inside the request: to a real (sink) server, as Opora's
    workers do."""
    from .helpdesk import prepare

    try:
        root, env = prepare()
    except subprocess.CalledProcessError as exc:
        results["helpdesk-error"] = f"django-helpdesk could not be set up: {exc}"
        return []
    python = str(root / "venv" / "bin" / "python")
    smtp = free_port()
    env = {**env, "BENCH_SMTP_PORT": str(smtp)}
    stack.enter_context(smtp_sink(smtp))
    databases.append(env["DATABASE_URL"])
    return [
        Target(
            f"helpdesk-{worker_class}",
            stack.enter_context(serve("hdproj.wsgi:application", env, worker_class, python=python, cwd=root)),
            kind="helpdesk",
            path="/tickets/submit/",
        )
        for worker_class in ("sync", "gthread")
    ]


def merge(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """One level's slices of one target as one result: requests/s over their time together, latency
    percentiles over all their requests; for Opora with its workers, the most tasks left waiting at the end
    of a slice and the longest time to send them."""
    ok = sum(p["ok"] for p in parts)
    wall = sum(p["seconds"] for p in parts)
    merged = {
        "clients": parts[0]["clients"],
        "ok": ok,
        "errors": sum(p["errors"] for p in parts),
        "seconds": round(wall, 2),
        "rps": round(ok / wall, 1) if wall else 0.0,
        "latency_ms": summary([ms for p in parts for ms in p["latencies_ms"]]),
        "slices_rps": [p["rps"] for p in parts],
        "client_cpu_ms_per_pair": round(
            sum(p["client_cpu_ms_per_pair"] * (p["ok"] + p["errors"]) for p in parts)
            / max(sum(p["ok"] + p["errors"] for p in parts), 1),
            3,
        ),
    }
    if "tasks_waiting_at_end" in parts[0]:
        caught = [p["caught_up_after_s"] for p in parts]
        merged["tasks_waiting_at_end"] = max(p["tasks_waiting_at_end"] for p in parts)
        merged["caught_up_after_s"] = None if None in caught else max(caught)
    return merged


def _ratios(results: dict[str, Any]) -> None:
    for ours, worker_class in (("opora", "sync"), ("opora", "gthread"), ("opora-with-workers", "sync")):
        o = {r["clients"]: r for r in results[f"{ours}-{worker_class}"]}
        prefix = "ratio" if ours == "opora" else f"ratio-{ours}"
        for other in ("ceiling", "helpdesk"):
            rows = {r["clients"]: r for r in results.get(f"{other}-{worker_class}", [])}
            results[f"{prefix}-{other}-{worker_class}"] = {
                n: round(o[n]["rps"] / rows[n]["rps"], 2) if n in rows and rows[n]["rps"] else None for n in o
            }


def _tasks_waiting(database: str) -> int:
    # A task due minutes from now (a message's retry) is not load: the machine is quiet without it.
    query = (
        "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status IN ('READY', 'RUNNING')"
        " AND (run_after < now() + interval '30 seconds' OR run_after > '9000-01-01')"
    )
    with psycopg.connect(database, autocommit=True) as db:
        (count,) = db.execute(query).fetchone() or (0,)
    return int(count)


def _caught_up(target: Target, limit: float = 60.0) -> float | None:
    """Seconds until Opora's workers have no task left waiting (the machine is then quiet again for the next
    slice); None if they were still behind after `limit`."""
    if not target.database:
        return 0.0
    started = time.monotonic()
    while _tasks_waiting(target.database):
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
