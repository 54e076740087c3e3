"""The head's per-clause report page reads the roll-up and shows what the live count shows."""

from datetime import date, timedelta

import time_machine
from django.utils import timezone

from opora.desk.filters import filter_tickets
from opora.reports.figures import clause_report
from opora.reports.models import RolledDay
from opora.reports.rollup import backfill, stale_days
from opora.tickets.models import Ticket

DAY = date(2026, 11, 23)


def test_the_page_and_its_csv_show_the_rolled_figures(client, school, known, elena) -> None:
    rolled_at = timezone.now() + timedelta(hours=1)
    with time_machine.travel(rolled_at, tick=False):
        backfill(school, DAY, rolled_at, until=DAY)
    rolled = RolledDay.objects.get(day=DAY)
    assert stale_days(school, {DAY: rolled.computed_at}) == set()
    client.force_login(elena)
    params = {"from": DAY.isoformat(), "to": DAY.isoformat()}
    now = rolled_at + timedelta(hours=1)
    with time_machine.travel(now, tick=False):
        page = client.get("/reports/clauses/", params)
        csv = b"".join(client.get("/reports/clauses/", {**params, "format": "csv"}).streaming_content).decode()
    live = clause_report(filter_tickets(Ticket.objects.filter(organisation=school), params, now, school), school, now)
    assert page.context["report"] == live
    assert page.context["report"].dispatch["median"] == timedelta(minutes=10)
    assert "0:30:01" in csv
