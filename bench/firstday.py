"""Scenario 5: a city's first day of distance learning.

`total` requests through the public form over a compressed hour of `minutes`, five times the usual rate in the
first twelfth of it, with auto-routing on. The real task worker sends the confirmations to an SMTP sink on
127.0.0.1. Measured: submit → routed and submit → confirmation received, and lost requests and lost mails.
"""

import http.client
import multiprocessing
import queue
import re
import subprocess
import sys
import threading
import time
import urllib.parse
from datetime import datetime
from email import message_from_bytes
from email.message import Message
from typing import Any

from .common import ROOT, autovacuum_stand_in, pct, save, summary, wait_for_port
from .intake import free_port, opora_env, public_pool, serve
from .load import _exchange, _opora_form
from .production import TASK_WORKERS, workers_and_watcher

CLIENTS = 32
BURST = 5
# What the sink passes on of each message: recipients, when, whether a family's receipt, the requests it names.
Arrival = tuple[list[str], float, bool, list[str]]


class Handler:
    """The SMTP sink's side: passes on when each message arrived and whether it was a confirmation."""

    def __init__(self, out: "multiprocessing.Queue[Arrival]") -> None:
        self.out = out

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        at = time.time()
        message = message_from_bytes(envelope.content)
        receipt = "author_receipt" in message.get("X-Opora-Message", "")
        numbers = [] if receipt else sorted(set(_NUMBER.findall(_text(message))))
        self.out.put(([a.lower() for a in envelope.rcpt_tos], at, receipt, numbers))
        return "250 OK"


_NUMBER = re.compile(r"№ (\d{4}-\d+)")


def _text(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            return payload.decode(part.get_content_charset() or "utf-8") if isinstance(payload, bytes) else ""
    return ""


def _serve_smtp(port: int, out: "multiprocessing.Queue[Arrival]") -> None:
    from aiosmtpd.controller import Controller

    controller = Controller(Handler(out), hostname="127.0.0.1", port=port)
    controller.start()
    threading.Event().wait()


class Sink:
    """A mail server in its own process, as a real one is: the 32 client threads of this process must not slow
    it down. Records when each confirmation arrived, by its recipient (one unique address per request)."""

    def __init__(self, port: int) -> None:
        self.arrived: dict[str, float] = {}
        self.told: dict[str, float] = {}  # when staff first heard of each request, by its number
        self.count = 0
        self.queue: multiprocessing.Queue[Arrival] = multiprocessing.Queue()
        self.process = multiprocessing.Process(target=_serve_smtp, args=(port, self.queue), daemon=True)
        self.reader = threading.Thread(target=self._read, daemon=True)

    def start(self, port: int) -> None:
        self.process.start()
        self.reader.start()
        wait_for_port(port)

    def _read(self) -> None:
        while True:
            addresses, at, receipt, numbers = self.queue.get()
            self.count += 1
            for number in numbers:
                self.told.setdefault(number, at)
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


def _tickets(env: dict[str, str]) -> dict[str, tuple[datetime, datetime | None, str]]:
    import psycopg

    with psycopg.connect(env["DATABASE_URL"]) as connection:
        rows = connection.execute(
            "SELECT t.email, t.received_at, MIN(e.at), t.number FROM tickets_ticket t "
            "LEFT JOIN tickets_ticketevent e ON e.ticket_id = t.id AND e.kind = 'routed' "
            "WHERE t.email LIKE '%%@firstday.example' GROUP BY t.email, t.received_at, t.number"
        ).fetchall()
    return {email.lower(): (received, routed, number) for email, received, routed, number in rows}


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
                autovacuum_stand_in([env["DATABASE_URL"]]),
                serve("opora.wsgi:application", public_pool(env), "sync") as port,
            ):
                started = time.monotonic()
                submitted = load(port, schedule(total, minutes * 60))
                load_seconds = time.monotonic() - started
            accepted = {f"parent{n}@firstday.example" for n, (ok, _) in submitted.items() if ok}
            deadline = time.monotonic() + mail_wait
            while time.monotonic() < deadline and not accepted <= set(sink.arrived):
                time.sleep(0.5)
            # And until the staff have heard of every request (the e-journal administrators, to whom each is
            # routed): their mail runs behind the web's and is gathered for half a minute.
            numbers = {number for _rec, _routed, number in _tickets(env).values()}
            while time.monotonic() < deadline and not numbers <= set(sink.told):
                time.sleep(0.5)
    finally:
        sink.stop()
    tickets = _tickets(env)
    routed_ms = [(r - rec).total_seconds() * 1000 for rec, r, _ in tickets.values() if r is not None]
    mail_s = [sink.arrived[e] - rec.timestamp() for e, (rec, _, _) in tickets.items() if e in sink.arrived]
    staff_s = [sink.told[n] - rec.timestamp() for rec, _, n in tickets.values() if n in sink.told]
    return {
        "requests": total,
        "compressed_hour_minutes": minutes,
        "load_seconds": round(load_seconds, 1),
        "refused_or_failed_posts": total - len(accepted),
        "lost_requests": len(accepted - set(tickets)),
        "lost_mails": len(set(tickets) - set(sink.arrived)),
        "staff_not_told": len({n for _, _, n in tickets.values()} - set(sink.told)),
        "submit_to_staff_mail_s": summary(staff_s),
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
