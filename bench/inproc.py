"""Scenarios measured inside one Django process: staff pages, the watcher, reports."""

import os
import sys
import time
from datetime import timedelta
from typing import Any

import django


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opora.settings")
    django.setup()


def school_with_staff() -> Any:
    from opora.tickets.demo.school import create_school, create_staff

    org = create_school("bench")
    return org, create_staff(org, password="bench-password-1")


def timed_get(client: Any, path: str, repeats: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .common import summary

    times, queries = [], 0
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
        queries = len(captured)
    return {"path": path, "ms": summary(times), "queries": queries}


def staff_pages(count: int, repeats: int) -> dict[str, Any]:
    from django.test import Client
    from django.utils import timezone

    from .seed import seed

    org, people = school_with_staff()
    started = time.perf_counter()
    seed(org, count, now=timezone.now(), span=timedelta(days=365))
    seeded = time.perf_counter() - started
    from opora.tickets.models import Ticket

    sample = Ticket.objects.filter(organisation=org).order_by("-id").values_list("number", flat=True).first()
    results = []
    for user, path in [
        ("site_admin", "/desk/dispatch/"),
        ("ejournal", "/desk/mine/"),
        ("head", "/desk/control/?state=resolved&type=ejournal&channel=web"),
        ("head", "/desk/control/?state=resolved&page=200"),
        ("head", f"/desk/t/{sample}/"),
        ("head", "/reports/"),
    ]:
        client = Client()
        client.force_login(people[user])
        client.get(path)  # warm-up
        results.append(timed_get(client, path, repeats))
    return {"tickets": count, "seed_seconds": round(seeded, 1), "pages": results}


def watcher_sweep(count: int, due: int) -> dict[str, Any]:
    from django.utils import timezone

    from opora.tickets.watcher import prepare_process, sweep

    from .seed import seed

    org, _people = school_with_staff()
    now = timezone.now()
    seed(org, count, now=now, span=timedelta(days=30), open_share=1.0, due=due, seed=11)
    prepare_process()  # as `watch_deadlines` does when it starts
    started = time.perf_counter()
    result = sweep(now, batch=due + 10)
    elapsed = time.perf_counter() - started
    return {
        "open_tickets": count,
        "due": due,
        "checked": result.checked,
        "events": len(result.news),
        "sweep_seconds": round(elapsed, 3),
    }


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _export(client: Any, since: str) -> dict[str, Any]:
    """One streamed XLSX export, with the process's resident memory sampled while it runs."""
    import threading

    baseline, peak, running = _rss_mb(), [0.0], [True]

    def sample() -> None:
        while running[0]:
            peak[0] = max(peak[0], _rss_mb())
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    started = time.perf_counter()
    response = client.get("/reports/export/", {"format": "xlsx", "from": since})
    size = sum(len(chunk) for chunk in response.streaming_content)
    seconds = time.perf_counter() - started
    running[0] = False
    sampler.join()
    return {
        "bytes": size,
        "seconds": round(seconds, 2),
        "rss_before_mb": round(baseline, 1),
        "rss_peak_mb": round(max(peak[0], _rss_mb()), 1),
    }


def reports(count: int, export_rows: int) -> dict[str, Any]:
    from urllib.parse import urlencode

    from django.test import Client
    from django.utils import timezone

    from opora.desk.filters import filter_tickets
    from opora.reports.figures import clause_report
    from opora.reports.rolled import clause_report_for
    from opora.reports.rollup import backfill
    from opora.tickets.models import Ticket

    from .seed import seed

    org, people = school_with_staff()
    now = timezone.now()
    started = time.perf_counter()
    seed(org, count, now=now, span=timedelta(days=365), seed=13)
    seeded = time.perf_counter() - started
    qs = Ticket.objects.filter(organisation=org)
    today = now.astimezone(org.zone).date()
    started = time.perf_counter()
    backfill(org, today - timedelta(days=366), timezone.now())
    rolled = time.perf_counter() - started

    def period(days: int) -> dict[str, str]:
        return {"from": (today - timedelta(days=days)).isoformat(), "to": today.isoformat()}

    clause_report_for(period(1), org, now)  # warm the connection
    started = time.perf_counter()
    rolled_year = clause_report_for(period(366), org, now)
    year = time.perf_counter() - started
    started = time.perf_counter()
    clause_report_for(period(30), org, now)
    month_s = time.perf_counter() - started
    # The same year counted live, as every filter the roll-up cannot answer still is: the two must agree.
    started = time.perf_counter()
    live = clause_report(filter_tickets(qs, period(366), now, org), org, now)
    year_live = time.perf_counter() - started
    client = Client()
    client.force_login(people["head"])
    # The page the head opens: the report with its breakdowns by type, author role, class, channel and
    # specialist, server time and queries.
    pages = {
        label: timed_get(client, "/reports/clauses/?" + urlencode(period(days)), 3)
        for label, days in (("year", 366), ("month", 30))
    }
    newest = qs.order_by("-received_at").values_list("received_at", flat=True)
    exports = {}
    # The same export at a tenth of the size first: flat memory means the two peaks are alike.
    for rows in (max(export_rows // 10, 1), export_rows):
        since = newest[min(rows, count) - 1].astimezone(org.zone).date().isoformat()
        exports[str(rows)] = {"rows_about": qs.filter(received_at__date__gte=since).count(), **_export(client, since)}
    return {
        "tickets": count,
        "seed_seconds": round(seeded, 1),
        "rollup_seconds": round(rolled, 1),
        "year_report_seconds": round(year, 3),
        "month_report_seconds": round(month_s, 3),
        "year_live_seconds": round(year_live, 3),
        "rolled_equals_live": rolled_year == live,
        "pages": pages,
        "xlsx": exports,
    }


if __name__ == "__main__":
    from .common import migrated_db

    name, *args = sys.argv[1:]
    # A database of its own for each scenario: seeding adds to what is there, so in one `make bench` the
    # reports over 5,000,000 requests also counted the staff pages' and the watcher's 2,000,000 (a million of
    # them open), and the watcher's 1,000,000 open requests sat beside the staff pages' million.
    os.environ["DATABASE_URL"] = migrated_db(f"opora_{name}")
    setup()
    numbers = [int(a) for a in args]
    result = {"staff_pages": staff_pages, "watcher": watcher_sweep, "reports": reports}[name](*numbers)
    from .common import save

    save(name, result)
    import json

    print(json.dumps(result, ensure_ascii=False, indent=1, default=str))
