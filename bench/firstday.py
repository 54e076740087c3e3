"""Scenario 5: a city's first day of distance learning.

`total` requests through the public form over a compressed hour of `minutes`, five times the usual rate in the
first twelfth of it, with auto-routing on. The real task worker sends the confirmations to an SMTP sink on
127.0.0.1. Measured: submit → routed and submit → confirmation received, and lost requests and lost mails.
"""

import http.client
import multiprocessing
import queue
import subprocess
import sys
import threading
import time
import urllib.parse
from datetime import datetime
from email import message_from_bytes
from typing import Any

from .common import ROOT, autovacuum_stand_in, pct, save, summary, wait_for_port
from .intake import free_port, opora_env, public_pool, serve
from .load import _exchange, _opora_form
from .production import TASK_WORKERS, workers_and_watcher

CLIENTS = 32
BURST = 5


class Handler:
    """The SMTP sink's side: passes on when each message arrived and whether it was a confirmation."""

    def __init__(self, out: "multiprocessing.Queue[tuple[list[str], float, bool]]") -> None:
        self.out = out

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        at = time.time()
        receipt = "author_receipt" in message_from_bytes(envelope.content).get("X-Opora-Message", "")
        self.out.put(([a.lower() for a in envelope.rcpt_tos], at, receipt))
        return "250 OK"


def _serve_smtp(port: int, out: "multiprocessing.Queue[tuple[list[str], float, bool]]") -> None:
    from aiosmtpd.controller import Controller

    controller = Controller(Handler(out), hostname="127.0.0.1", port=port)
    controller.start()
    threading.Event().wait()


class Sink:
    """A mail server in its own process, as a real one is: the 32 client threads of this process must not slow
    it down. Records when each confirmation arrived, by its recipient (one unique address per request)."""

    def __init__(self, port: int) -> None:
        self.arrived: dict[str, float] = {}
        self.count = 0
        self.queue: multiprocessing.Queue[tuple[list[str], float, bool]] = multiprocessing.Queue()
        self.process = multiprocessing.Process(target=_serve_smtp, args=(port, self.queue), daemon=True)
        self.reader = threading.Thread(target=self._read, daemon=True)

    def start(self, port: int) -> None:
        self.process.start()
        self.reader.start()
        wait_for_port(port)

    def _read(self) -> None:
        while True:
            addresses, at, receipt = self.queue.get()
            self.count += 1
            if receipt:
                for address in addresses:
                    self.arrived.setdefault(address, at)

    def stop(self) -> None:
        self.process.terminate()
        self.process.join(10)


def schedule(total: int, seconds: float) -> list[float]:
    """Send offsets: the first twelfth of the time runs at BURST times the rate of the rest."""
    burst_span = seconds / 12
    weight = BURST * burst_span + (seconds - burst_span)
    in_burst = round(total * BURST * burst_span / weight)
    first = [burst_span * i / max(in_burst, 1) for i in range(in_burst)]
    rest = total - in_burst
    return first + [burst_span + (seconds - burst_span) * i / max(rest, 1) for i in range(rest)]


def _submit(port: int, n: int) -> tuple[bool, float]:
    try:
        _status, page, _ = _exchange(port, "GET", "/o/bench/")
        fields, headers = _opora_form(page, n)
        fields.update(email=f"parent{n}@firstday.example", preferred_reply="email", request_type="ejournal")
        status, _, _ = _exchange(port, "POST", "/o/bench/", urllib.parse.urlencode(fields), headers)
        return status == 302, time.time()
    except (OSError, http.client.HTTPException):
        return False, time.time()


def load(port: int, offsets: list[float]) -> dict[int, tuple[bool, float]]:
    jobs: queue.Queue[tuple[int, float]] = queue.Queue()
    for n, offset in enumerate(offsets):
        jobs.put((n, offset))
    done: dict[int, tuple[bool, float]] = {}
    start = time.monotonic()

    def client() -> None:
        while True:
            try:
                n, offset = jobs.get_nowait()
            except queue.Empty:
                return
            time.sleep(max(0.0, start + offset - time.monotonic()))
            done[n] = _submit(port, n)

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done


def _prepare(env: dict[str, str]) -> None:
    code = (
        "import django,os;os.environ.setdefault('DJANGO_SETTINGS_MODULE','opora.settings');django.setup();"
        "from opora.accounts.models import Organisation;"
        "Organisation.objects.filter(slug='bench').update(auto_routing=True)"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)


def _tickets(env: dict[str, str]) -> dict[str, tuple[datetime, datetime | None]]:
    import psycopg

    with psycopg.connect(env["DATABASE_URL"]) as connection:
        rows = connection.execute(
            "SELECT t.email, t.received_at, MIN(e.at) FROM tickets_ticket t "
            "LEFT JOIN tickets_ticketevent e ON e.ticket_id = t.id AND e.kind = 'routed' "
            "WHERE t.email LIKE '%%@firstday.example' GROUP BY t.email, t.received_at"
        ).fetchall()
    return {email.lower(): (received, routed) for email, received, routed in rows}


HOT_TABLES = "django_tasks_database_dbtaskresult, notify_outbox, tickets_ticket, tickets_ticketevent"


def main(total: int, minutes: float, mail_wait: float) -> dict[str, Any]:
    smtp_port = free_port()
    sink = Sink(smtp_port)
    sink.start(smtp_port)
    env = {**opora_env(), "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp_port)}
    _prepare(env)
    try:
        # The task workers and the deadline watcher run beside the web server, as in production, and until
        # the last confirmation has arrived.
        with workers_and_watcher(env):
            with (
                autovacuum_stand_in([env["DATABASE_URL"]], HOT_TABLES),
                serve("opora.wsgi:application", public_pool(env), "sync") as port,
            ):
                started = time.monotonic()
                submitted = load(port, schedule(total, minutes * 60))
                load_seconds = time.monotonic() - started
            accepted = {f"parent{n}@firstday.example" for n, (ok, _) in submitted.items() if ok}
            deadline = time.monotonic() + mail_wait
            while time.monotonic() < deadline and not accepted <= set(sink.arrived):
                time.sleep(0.5)
    finally:
        sink.stop()
    tickets = _tickets(env)
    routed_ms = [(r - rec).total_seconds() * 1000 for rec, r in tickets.values() if r is not None]
    mail_s = [sink.arrived[e] - rec.timestamp() for e, (rec, _) in tickets.items() if e in sink.arrived]
    return {
        "requests": total,
        "compressed_hour_minutes": minutes,
        "load_seconds": round(load_seconds, 1),
        "refused_or_failed_posts": total - len(accepted),
        "lost_requests": len(accepted - set(tickets)),
        "lost_mails": len(set(tickets) - set(sink.arrived)),
        "routed": len(routed_ms),
        "submit_to_routed_ms": summary(routed_ms),
        "submit_to_mail_s": summary(mail_s),
        "mail_p99_s": pct(mail_s, 0.99),
        "smtp_messages": sink.count,
        "task_workers": TASK_WORKERS,
    }


if __name__ == "__main__":
    result = main(int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]))
    save("firstday", result)
    print({k: v for k, v in result.items() if not isinstance(v, dict)})
