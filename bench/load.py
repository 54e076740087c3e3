"""A small bounded load generator: N clients, each looping GET form → POST request, on 127.0.0.1 only."""

import http.client
import re
import socket
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

_STARTED = re.compile(r'name="started" value="([^"]*)"')
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')
_COOKIE = re.compile(r"csrftoken=([^;]+)")


@dataclass
class Outcome:
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def _exchange(
    port: int, method: str, path: str, body: str | None = None, headers: dict[str, str] | None = None
) -> tuple[int, str, str]:
    """One request on a fresh connection (gunicorn's sync workers close it after every response): the status,
    the page and the Set-Cookie headers. Written on a bare socket: the load generator shares the machine with
    the server it measures, and through http.client a GET + POST pair cost it 1.7–1.8 ms of CPU, against 1.0.

    The client says it has sent all it will as soon as the request is out. After each response a gunicorn
    worker waits for the other end to close before it takes the next connection (`gunicorn.util.close_graceful`).
    In production nginx closes at once; here the close waited for one of 32 client threads to get the load
    generator's GIL, and the bare ceiling served 440–570 pairs/s at 32 clients instead of 850–940."""
    payload = body.encode() if body is not None else b""
    head = [
        f"{method} {path} HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        "Connection: close",
        f"Content-Length: {len(payload)}",
    ]
    if body is not None:
        head.append("Content-Type: application/x-www-form-urlencoded")
    head += [f"{name}: {value}" for name, value in (headers or {}).items()]
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall("\r\n".join(head).encode("latin-1") + b"\r\n\r\n" + payload)
        connection.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := connection.recv(262144):
            chunks.append(chunk)
    response = b"".join(chunks)
    header, separator, page = response.partition(b"\r\n\r\n")
    lines = header.decode("latin-1").split("\r\n")
    if not separator or not lines[0].startswith("HTTP/"):
        raise http.client.BadStatusLine(lines[0])
    cookies = [line.split(":", 1)[1].strip() for line in lines[1:] if line[:11].lower() == "set-cookie:"]
    return int(lines[0].split()[1]), page.decode("utf-8", "replace"), ", ".join(cookies)


def _opora_form(page: str, n: int) -> tuple[dict[str, str], dict[str, str]]:
    token = _STARTED.search(page)
    return {
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
    }, {"X-Forwarded-For": family_address(n)}


def family_address(n: int) -> str:
    """Each family's own address, as a city's proxy would pass it on (the server trusts one hop)."""
    return f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"


def _helpdesk_form(page: str, n: int, cookie: str) -> tuple[dict[str, str], dict[str, str]]:
    token = _CSRF.search(page)
    csrf = _COOKIE.search(cookie)
    return {
        "csrfmiddlewaretoken": token.group(1) if token else "",
        "queue": "1",
        "title": f"Не открывается урок {n}",
        "body": "Не открывается урок в электронном дневнике.",
        "priority": "3",
        "submitter_email": f"parent{n}@example.ru",
        "due_date": "",
    }, {"Cookie": f"csrftoken={csrf.group(1)}" if csrf else "", "Referer": "http://127.0.0.1/"}


def _client(port: int, path: str, deadline: float, limit: int, outcome: Outcome, serial: Any, kind: str) -> None:
    done = 0
    while time.monotonic() < deadline and done < limit:
        n = next(serial)
        started = time.perf_counter()
        try:
            _status, page, cookie = _exchange(port, "GET", path)
            fields, headers = _helpdesk_form(page, n, cookie) if kind == "helpdesk" else _opora_form(page, n)
            status, _, _ = _exchange(port, "POST", path, urllib.parse.urlencode(fields), headers)
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


def run(
    port: int, path: str, clients: int, seconds: float, per_client_limit: int, kind: str = "opora", raw: bool = False
) -> dict[str, Any]:
    """`raw`: with every request's latency too (`latencies_ms`), for results merged from several runs."""
    import itertools

    from .common import summary

    outcome = Outcome()
    serial = itertools.count(int(time.time() * 1000) % 10_000_000)
    deadline = time.monotonic() + seconds
    threads = [
        threading.Thread(target=_client, args=(port, path, deadline, per_client_limit, outcome, serial, kind))
        for _ in range(clients)
    ]
    started, cpu = time.perf_counter(), time.process_time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    ok = len(outcome.latencies_ms)
    return {
        "clients": clients,
        "ok": ok,
        "errors": outcome.errors,
        "seconds": round(wall, 2),
        "rps": round(ok / wall, 1),
        # What the clients took from the machine they share with the server, a GET + POST pair.
        "client_cpu_ms_per_pair": round(1000 * cpu / max(ok + outcome.errors, 1), 3),
        "latency_ms": summary(outcome.latencies_ms),
        **({"latencies_ms": outcome.latencies_ms} if raw else {}),
    }
