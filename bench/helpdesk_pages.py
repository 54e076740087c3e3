"""django-helpdesk's staff ticket list and dashboard at scale, timed the way Opora's pages are (in-process,
server time and SQL query count), in its own venv. Its list is a page plus a DataTables JSON request for the
rows; both are timed."""

import json
import subprocess
import sys
from typing import Any

from .common import save

SCRIPT = r"""
import json, random, re, sys, time
from datetime import timedelta
import django
django.setup()
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment
from django.utils import timezone
from helpdesk.models import Queue, Ticket

setup_test_environment()
count, repeats = int(sys.argv[1]), int(sys.argv[2])
queue = Queue.objects.get(slug="support")
rng = random.Random(7)
now = timezone.now()
started = time.perf_counter()
made = Ticket.objects.count()
while made < count:
    batch = []
    for n in range(made, min(count, made + 5000)):
        created = now - timedelta(minutes=rng.randrange(365 * 24 * 60))
        batch.append(Ticket(
            title=f"Не открывается урок {n}", queue=queue, created=created, modified=created,
            submitter_email=f"parent{n}@example.ru", status=rng.choice([1, 1, 2, 3, 4, 4, 4, 4]),
            description="Не открывается урок в электронном дневнике.", priority=3,
            secret_key=f"{n:012d}",
        ))
    Ticket.objects.bulk_create(batch)
    made += len(batch)
seeded = time.perf_counter() - started
staff, _ = User.objects.get_or_create(username="bench-staff", defaults={"is_staff": True, "is_superuser": True})
client = Client()
client.force_login(staff)

def timed(path, **params):
    times, queries, status = [], 0, 0
    client.get(path, params)
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as captured:
            t = time.perf_counter()
            response = client.get(path, params)
            times.append((time.perf_counter() - t) * 1000)
        queries, status = len(captured), response.status_code
    return {"path": path, "status": status, "times": times, "queries": queries}

page = client.get("/tickets/").content.decode()
found = re.search(r"datatables_ticket_list/([A-Za-z0-9+/=_-]+)", page)
rows_path = "/datatables_ticket_list/" + found.group(1) if found else ""
results = [timed("/tickets/"), timed("/dashboard/")]
if rows_path:
    results.append(timed(rows_path, draw="1", start="0", length="25"))
print(json.dumps({"tickets": count, "seed_seconds": round(seeded, 1), "pages": results}))
"""


def staff_pages(count: int, repeats: int) -> dict[str, Any]:
    from .common import summary
    from .helpdesk import prepare

    root, env = prepare()
    python = str(root / "venv" / "bin" / "python")
    out = subprocess.run(
        [python, "-c", SCRIPT, str(count), str(repeats)], cwd=root, env=env, check=True, capture_output=True, text=True
    ).stdout
    data = json.loads(out.strip().splitlines()[-1])
    for page in data["pages"]:
        page["ms"] = summary(page.pop("times"))
    return data


if __name__ == "__main__":
    result = staff_pages(int(sys.argv[1]), int(sys.argv[2]))
    save("helpdesk_pages", result)
    for page in result["pages"]:
        print(
            page["path"][:60], page["status"], round(page["ms"]["p50"], 1), round(page["ms"]["p95"], 1), page["queries"]
        )
