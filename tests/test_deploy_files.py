"""The example nginx site and systemd units in deploy/ send each page to the pool built for it."""

import re
import shlex
from pathlib import Path

import pytest
from django.core.management import get_commands
from django.urls import reverse

from opora.intake.views import MAX_REQUEST_BYTES

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"
NGINX = (DEPLOY / "nginx" / "opora.conf").read_text()


def _units() -> dict[str, list[str]]:
    """Each unit's ExecStart, split into words."""
    found = {}
    for unit in (DEPLOY / "systemd").glob("*.service"):
        line = next(x for x in unit.read_text().splitlines() if x.startswith("ExecStart="))
        found[unit.name] = shlex.split(line.removeprefix("ExecStart="))
    return found


def _upstream_ports() -> dict[str, int]:
    return {name: int(port) for name, port in re.findall(r"upstream (\w+) \{\s*server 127\.0\.0\.1:(\d+);", NGINX)}


def _pool_for(path: str) -> list[str]:
    """The gunicorn command serving `path`: nginx's exact match first, then its longest `^~` prefix, then /."""
    locations = re.findall(r"location (=|\^~)? ?(\S+) \{\s*proxy_pass http://(\w+);", NGINX)
    exact = [up for kind, where, up in locations if kind == "=" and where == path]
    prefixes = sorted(
        ((where, up) for kind, where, up in locations if kind != "=" and path.startswith(where)),
        key=lambda item: len(item[0]),
    )
    upstream = exact[0] if exact else prefixes[-1][1]
    port = _upstream_ports()[upstream]
    return next(words for words in _units().values() if f"127.0.0.1:{port}" in words)


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("intake:form", ["school5"]),
        ("intake:done", ["school5"]),
        ("intake:widget_config", ["school5"]),
        ("intake:status", ["token"]),
        ("intake:widget_js", []),
    ],
)
def test_families_pages_go_to_the_sync_pool(name: str, args: list[str]) -> None:
    command = _pool_for(reverse(name, args=args))
    assert "--threads" not in command, command


@pytest.mark.parametrize("name", ["desk:control", "desk:dispatch", "reports:export", "login", "intake:hotline"])
def test_staff_pages_and_exports_go_to_the_threaded_pool(name: str) -> None:
    command = _pool_for(reverse(name))
    assert "--threads" in command, command


def test_every_pool_nginx_names_is_a_unit_and_every_command_exists() -> None:
    bound = {word for words in _units().values() for word in words if word.startswith("127.0.0.1:")}
    assert {f"127.0.0.1:{port}" for port in _upstream_ports().values()} == bound
    commands = [words[words.index("manage.py") + 1] for words in _units().values() if "manage.py" in words]
    assert sorted(commands) == ["db_worker", "db_worker", "watch_deadlines"]
    assert all(command in get_commands() for command in commands)


def test_nginx_lets_an_oversized_form_reach_opora_for_its_own_page() -> None:
    megabytes = int(re.search(r"client_max_body_size (\d+)m;", NGINX).group(1))  # type: ignore[union-attr]
    assert megabytes * 1024 * 1024 > MAX_REQUEST_BYTES


def _environment(unit: str) -> dict[str, str]:
    lines = (DEPLOY / "systemd" / unit).read_text().splitlines()
    pairs = [line.removeprefix("Environment=").split("=", 1) for line in lines if line.startswith("Environment=")]
    return dict(pairs)


def test_only_the_families_pool_lets_postgresql_keep_one_plan_per_statement() -> None:
    public = next(unit for unit, words in _units().items() if _pool_for(reverse("intake:form", args=["x"])) == words)
    assert _environment(public) == {"DB_PLAN_CACHE_MODE": "auto"}
    others = [unit for unit in _units() if unit != public]
    assert others and all("DB_PLAN_CACHE_MODE" not in _environment(unit) for unit in others)


def _nice(unit: str) -> int:
    lines = (DEPLOY / "systemd" / unit).read_text().splitlines()
    return next((int(line.removeprefix("Nice=")) for line in lines if line.startswith("Nice=")), 0)


def _queues_served() -> dict[str, str]:
    """Each task queue, by the unit whose worker serves it."""
    served = {}
    for unit, words in _units().items():
        if "db_worker" in words:
            for queue in words[words.index("--queue-name") + 1].split(","):
                served[queue] = unit
    return served


def test_every_task_queue_has_a_worker_and_only_staff_mail_waits_behind_the_web(settings) -> None:
    served = _queues_served()
    assert set(served) == set(settings.TASKS["default"]["QUEUES"])
    assert _nice(served["default"]) > 0  # staff mail, fan-outs, roll-ups: after the families' pages
    assert _nice(served["families"]) == 0  # a family's receipt: at once, even in a surge
    web = [unit for unit, words in _units().items() if "gunicorn" in " ".join(words)]
    assert web and all(_nice(unit) == 0 for unit in web)


def test_the_demo_worker_serves_every_queue() -> None:
    script = (DEPLOY.parent / "scripts" / "run-local").read_text()
    [line] = [line for line in script.splitlines() if "db_worker" in line]
    assert "--queue-name '*'" in line
