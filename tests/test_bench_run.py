"""`make bench-<scenario>` runs one scenario of the benchmarks, and `bench/run` refuses what it does not know
before it creates any database."""

import os
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "bench/run", *args], cwd=ROOT, capture_output=True, text=True, check=False)


def _scenarios() -> list[str]:
    refused = _run("full", "no-such-scenario")
    assert refused.returncode == 2
    found = re.search(r"the scenarios are: (.+)", refused.stderr)
    assert found, refused.stderr
    return found.group(1).split()


def _one_scenario_targets() -> list[str]:
    makefile = (ROOT / "Makefile").read_text()
    found = re.search(r"^BENCH_ONE := (.+)$", makefile, re.MULTILINE)
    assert found
    return found.group(1).split()


def test_each_scenario_has_a_make_target_that_runs_it_alone_at_full_size() -> None:
    scenarios = _scenarios()
    assert {"intake", "staff-pages", "watcher", "reports", "firstday"} <= set(scenarios)
    targets = _one_scenario_targets()
    assert sorted(targets) == sorted(f"bench-{name}" for name in scenarios)
    # Under `make test` this runs inside make, whose variables would have the inner make say where it is.
    env = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL"}}
    for target in targets:
        planned = subprocess.run(
            ["make", "--no-print-directory", "-n", target],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        assert planned.stdout.splitlines()[-1] == f"bench/run full {target.removeprefix('bench-')}"


def test_an_unknown_scale_is_refused_with_the_ones_there_are() -> None:
    refused = _run("huge")
    assert refused.returncode == 2
    assert "full or smoke" in refused.stderr
    assert refused.stdout == ""
