"""What runs beside the web server in production: the task workers and the deadline watcher, and for them a
mail server (an SMTP sink on 127.0.0.1 that accepts and drops every message)."""

import os
import shlex
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from .common import ROOT, wait_for_port

# As docs/operations.md says to run them: more than one, so one message's wait on the mail server or the
# database does not hold up the next.
TASK_WORKERS = int(os.environ.get("BENCH_TASK_WORKERS", "2"))


@contextmanager
def smtp_sink(port: int) -> Iterator[None]:
    process = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Sink"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        yield
    finally:
        process.terminate()
        process.wait(10)


def unit(name: str) -> tuple[list[str], int]:
    """What a systemd unit in deploy/ runs (its `ExecStart=` from `manage.py` on) and the CPU priority it runs
    it at (its `Nice=`, 0 without one)."""
    lines = (ROOT / "deploy" / "systemd" / name).read_text().splitlines()
    command = shlex.split(next(line for line in lines if line.startswith("ExecStart=")))
    nice = next((int(line.removeprefix("Nice=")) for line in lines if line.startswith("Nice=")), 0)
    return command[command.index("manage.py") + 1 :], nice


@contextmanager
def workers_and_watcher(env: dict[str, str], workers: int = TASK_WORKERS) -> Iterator[None]:
    """As the units in deploy/systemd run them: `workers` staff task workers, as many for families' mail, and the
    deadline watcher, each with its unit's arguments and CPU priority. The task workers look for new tasks
    every 0.2 s and start at once."""
    quick = ["--interval", "0.2", "--no-startup-delay"]
    staff, staff_nice = unit("opora-worker@.service")
    families, families_nice = unit("opora-families-mail@.service")
    watcher, watcher_nice = unit("opora-watcher.service")
    commands = [([*staff, *quick], staff_nice)] * workers + [([*families, *quick], families_nice)] * workers
    commands.append((watcher, watcher_nice))
    background = [
        subprocess.Popen(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=(lambda n=nice: os.nice(n)) if nice else None,  # noqa: PLW1509 (only os.nice, before exec)
        )
        for command, nice in commands
    ]
    try:
        yield
    finally:
        for process in background:
            process.terminate()
            process.wait(20)
