"""The families' GET + POST in one process, through the WSGI application and all its middleware, without
gunicorn or a load generator beside it: the CPU each costs, and the garbage collector's passes and pauses.

Run with the worker's loaded code frozen, as `opora/wsgi.py` leaves it, and again unfrozen, as before, each in
a process of its own: `python -m bench.pairs 2000`.
"""

import gc
import io
import itertools
import json
import random
import subprocess
import sys
import time
import urllib.parse
from typing import Any

from .common import ROOT, save
from .intake import opora_env, public_pool
from .load import _opora_form

PATH = "/o/bench/"


def _call(app: Any, method: str, body: bytes = b"", headers: dict[str, str] | None = None) -> tuple[str, str]:
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": PATH,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        **{"HTTP_" + name.upper().replace("-", "_"): value for name, value in (headers or {}).items()},
    }
    status: list[str] = []
    page = b"".join(app(environ, lambda line, _headers, _exc=None: status.append(line)))
    return status[0], page.decode()


class Collections:
    """Each collector pass: how many of each generation, their time in all and the longest."""

    def __init__(self) -> None:
        self.passes = {0: [0, 0.0, 0.0], 1: [0, 0.0, 0.0], 2: [0, 0.0, 0.0]}
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
            return
        took = time.perf_counter() - self._started
        kept = self.passes[info["generation"]]
        kept[0] += 1
        kept[1] += took
        kept[2] = max(kept[2], took)


def inside(pairs: int, frozen: bool) -> dict[str, Any]:
    """In a process whose environment points at the bench database."""
    import opora.wsgi  # boots Django as a gunicorn worker does, freezing what it loaded

    if not frozen:
        gc.unfreeze()
    app = opora.wsgi.application
    serial = itertools.count(random.randrange(10**8))  # distinct requests from run to run

    def submit(page: str) -> None:
        fields, headers = _opora_form(page, next(serial))
        status, _ = _call(app, "POST", urllib.parse.urlencode(fields).encode(), headers)
        assert status.startswith("302"), status

    for _ in range(min(200, pairs)):  # warm: caches, prepared statements, the page of the minute
        submit(_call(app, "GET")[1])
    collections = Collections()
    gc.callbacks.append(collections)
    get_cpu = post_cpu = 0.0
    for _ in range(pairs):
        started = time.process_time()
        page = _call(app, "GET")[1]
        middle = time.process_time()
        submit(page)
        get_cpu += middle - started
        post_cpu += time.process_time() - middle
    gc.callbacks.remove(collections)
    return {
        "frozen": frozen,
        "frozen_objects": gc.get_freeze_count(),
        "tracked_objects": len(gc.get_objects()),
        "cpu_ms_per_get": round(1000 * get_cpu / pairs, 3),
        "cpu_ms_per_post": round(1000 * post_cpu / pairs, 3),
        "collector": {
            f"generation_{generation}": {
                "passes": n,
                "ms_per_pair": round(1000 * total / pairs, 4),
                "longest_ms": round(1000 * longest, 2),
            }
            for generation, (n, total, longest) in collections.passes.items()
        },
    }


def main(pairs: int) -> dict[str, Any]:
    env = public_pool(opora_env("opora_pairs_bench"))
    runs = []
    for frozen in (True, False, True, False):  # alternating, so the table's growth falls on both alike
        code = f"import json; from bench.pairs import inside; print(json.dumps(inside({pairs}, {frozen})))"
        done = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
        )
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return {"pairs": pairs, "runs": runs}


if __name__ == "__main__":
    outcome = main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
    save("pairs", outcome)
    print(json.dumps(outcome["runs"], indent=1))
