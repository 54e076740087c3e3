"""A small bounded load generator: N clients, each looping GET form → POST request, on 127.0.0.1 only."""

import http.client
import re
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

_STARTED = re.compile(r'name="started" value="([^"]*)"')


@dataclass
class Outcome:
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def _exchange(port: int, method: str, path: str, body: str | None = None) -> tuple[int, str]:
    # A fresh connection each time: gunicorn's sync workers close it after every response.
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
        connection.request(method, path, body, headers)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def _client(port: int, path: str, deadline: float, limit: int, outcome: Outcome, serial: Any) -> None:
    done = 0
    while time.monotonic() < deadline and done < limit:
        n = next(serial)
        started = time.perf_counter()
        try:
            _status, page = _exchange(port, "GET", path)
            token = _STARTED.search(page)
            body = urllib.parse.urlencode(
                {
                    "author_name": "Нагрузочная Мария Ивановна",
                    "author_role": "parent",
                    "school_class": "5А",
                    "request_type": "technical",
                    "description": f"Не открывается урок, заявка {n}",
                    "phone": f"+7916{1000000 + n % 8999999:07d}",
                    "email": "",
                    "preferred_reply": "phone",
                    "consent": "on",
                    "website": "",
                    "started": token.group(1) if token else "",
                    "text": "ceiling",
                }
            )
            status, _ = _exchange(port, "POST", path, body)
            ok = status == 302
        except (OSError, http.client.HTTPException):
            ok = False
        elapsed = (time.perf_counter() - started) * 1000
        with outcome.lock:
            if ok:
                outcome.latencies_ms.append(elapsed)
            else:
                outcome.errors += 1
        done += 1


def run(port: int, path: str, clients: int, seconds: float, per_client_limit: int) -> dict[str, Any]:
    import itertools

    from .common import summary

    outcome = Outcome()
    serial = itertools.count(int(time.time() * 1000) % 10_000_000)
    deadline = time.monotonic() + seconds
    threads = [
        threading.Thread(target=_client, args=(port, path, deadline, per_client_limit, outcome, serial))
        for _ in range(clients)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    ok = len(outcome.latencies_ms)
    return {
        "clients": clients,
        "ok": ok,
        "errors": outcome.errors,
        "seconds": round(wall, 2),
        "rps": round(ok / wall, 1),
        "latency_ms": summary(outcome.latencies_ms),
    }
