"""Scenario 3, live: how long after a deadline passes is its breach recorded and visible?

`count` requests get dispatch deadlines spread over `span` seconds from now, on a school with one open request
per deadline. The real `watch_deadlines` command runs beside, at its production interval. This process polls the
events table every 0.1 s and notes when each breach becomes visible.
"""

import os
import subprocess
import sys
import time
from datetime import timedelta
from typing import Any

from .common import ROOT, django_env, migrated_db, save, summary


def _prepare(count: int, span: float) -> Any:
    import django

    os.environ.update(django_env(migrated_db("opora_watchlive")))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opora.settings")
    django.setup()
    from django.db import connection
    from django.utils import timezone

    from .inproc import school_with_staff
    from .seed import seed

    org, _people = school_with_staff()
    now = timezone.now()
    seed(org, count, now=now, span=timedelta(days=1), open_share=1.0, seed=5)
    first = now + timedelta(seconds=5)
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH numbered AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM tickets_ticket) "
            "UPDATE tickets_ticket t SET state = 'received', routed_role = '', assignee_id = NULL, "
            "dispatch_due_at = %s + numbered.n * %s * interval '1 second', dispatch_met_at = NULL, "
            "take_due_at = NULL, take_met_at = NULL, resolve_due_at = %s, resolve_met_at = NULL "
            "FROM numbered WHERE t.id = numbered.id",
            [first, span / count, now + timedelta(days=2)],
        )
        cursor.execute(
            "UPDATE tickets_ticketwatch w SET watch_at = t.dispatch_due_at, dispatch_warned_at = NULL, "
            "dispatch_breached_at = NULL, take_warned_at = NULL, take_breached_at = NULL, resolve_warned_at = NULL, "
            "resolve_breached_at = NULL FROM tickets_ticket t WHERE t.id = w.ticket_id"
        )
        cursor.execute("DELETE FROM tickets_ticketevent WHERE kind IN ('clock_warning', 'clock_breached')")
    return connection


def _poll(connection: Any, count: int, deadline: float) -> list[float]:
    seen: dict[int, float] = {}
    last = 0
    while len(seen) < count and time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT e.id, extract(epoch FROM t.dispatch_due_at) FROM tickets_ticketevent e "
                "JOIN tickets_ticket t ON t.id = e.ticket_id "
                "WHERE e.kind = 'clock_breached' AND e.data->>'clock' = 'dispatch' AND e.id > %s",
                [last],
            )
            observed = time.time()
            for event_id, due in cursor.fetchall():
                seen[event_id] = observed - float(due)
                last = max(last, event_id)
        time.sleep(0.1)
    return list(seen.values())


def main(count: int, span: float) -> dict[str, Any]:
    connection = _prepare(count, span)
    watcher = subprocess.Popen(
        [sys.executable, "manage.py", "watch_deadlines"],
        cwd=ROOT,
        env=dict(os.environ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        delays = _poll(connection, count, time.monotonic() + span + 120)
    finally:
        watcher.terminate()
        watcher.wait(20)
    return {
        "deadlines": count,
        "span_seconds": span,
        "watcher_interval_seconds": 10,
        "recorded": len(delays),
        "missed": count - len(delays),
        "delay_s": summary(delays),
    }


if __name__ == "__main__":
    result = main(int(sys.argv[1]), float(sys.argv[2]))
    save("watchlive", result)
    print({k: v for k, v in result.items() if k != "delay_s"}, result["delay_s"])
