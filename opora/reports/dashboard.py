"""The live dashboard: counts now, today and this week, workload, and three charts with tables behind them."""

from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay, TruncDate

from opora.accounts.models import Organisation
from opora.desk.queries import workload
from opora.domain.enums import OPEN_STATES, RequestType, State
from opora.notify.models import Outbox, OutboxState
from opora.tickets.clock_queries import breached_q, due_between_q, met_q, overdue_now_q
from opora.tickets.labels import CHANNEL, REQUEST_TYPE
from opora.tickets.models import Extension, ExtensionState, Ticket

from .figures import share

_OPEN = [str(s) for s in OPEN_STATES]


def now_counts(org: Organisation, now: datetime) -> dict[str, int]:
    tickets = Ticket.objects.filter(organisation=org)
    counts = tickets.aggregate(
        waiting=Count("id", filter=Q(state=State.RECEIVED)),
        not_taken=Count("id", filter=Q(state=State.ROUTED)),
        in_work=Count("id", filter=Q(state=State.IN_WORK)),
        overdue_dispatch=Count("id", filter=overdue_now_q("dispatch", now)),
        overdue_take=Count("id", filter=overdue_now_q("take", now)),
        overdue_resolve=Count("id", filter=overdue_now_q("resolve", now)),
        due_soon=Count("id", filter=due_between_q(now, now + timedelta(hours=1))),
        urgent=Count("id", filter=Q(state__in=_OPEN, urgent=True)),
    )
    counts["extensions"] = Extension.objects.filter(ticket__organisation=org, state=ExtensionState.PENDING).count()
    counts["failed_mail"] = Outbox.objects.filter(organisation=org, state=OutboxState.FAILED).count()
    return counts


def period_start(org: Organisation, now: datetime, days: int) -> datetime:
    local = now.astimezone(org.zone).date()
    start = local - timedelta(days=local.weekday()) if days == 7 else local
    return datetime.combine(start, time.min, org.zone)


def period_figures(org: Organisation, since: datetime, now: datetime) -> dict[str, Any]:
    tickets = Ticket.objects.filter(organisation=org, received_at__gte=since)
    by_type = dict(tickets.values_list("request_type").annotate(n=Count("id")).values_list("request_type", "n"))
    by_channel = dict(tickets.values_list("channel").annotate(n=Count("id")).values_list("channel", "n"))
    clocks = tickets.aggregate(
        **{f"{k}_met": Count("id", filter=met_q(k)) for k in ("dispatch", "take", "resolve")},
        **{f"{k}_breached": Count("id", filter=breached_q(k, now)) for k in ("dispatch", "take", "resolve")},
    )
    return {
        "total": sum(by_type.values()),
        "by_type": [(REQUEST_TYPE[t], by_type.get(str(t), 0), str(t)) for t in RequestType],
        "by_channel": [(label, by_channel.get(str(c), 0), str(c)) for c, label in CHANNEL.items()],
        "shares": {
            k: share(clocks[f"{k}_met"], clocks[f"{k}_met"] + clocks[f"{k}_breached"])
            for k in ("dispatch", "take", "resolve")
        },
    }


def specialist_load(org: Organisation, now: datetime, week_start: datetime) -> list[Any]:
    return list(
        workload(org, now).annotate(
            resolved_week=Count(
                "assigned_tickets",
                filter=Q(assigned_tickets__organisation=org, assigned_tickets__resolved_at__gte=week_start),
            ),
        )
    )


def daily_by_type(org: Organisation, since: datetime) -> list[dict[str, Any]]:
    rows = (
        Ticket.objects.filter(organisation=org, received_at__gte=since)
        .annotate(day=TruncDate("received_at", tzinfo=org.zone))
        .values("day", "request_type")
        .annotate(n=Count("id"))
        .order_by("day")
    )
    return [dict(row) for row in rows]


def daily_compliance(org: Organisation, since: datetime, now: datetime) -> list[dict[str, Any]]:
    rows = (
        Ticket.objects.filter(organisation=org, received_at__gte=since)
        .annotate(day=TruncDate("received_at", tzinfo=org.zone))
        .values("day")
        .annotate(met=Count("id", filter=met_q("resolve")), breached=Count("id", filter=breached_q("resolve", now)))
        .order_by("day")
    )
    return [{**r, "share": share(r["met"], r["met"] + r["breached"])} for r in rows]


def heat_map(org: Organisation, since: datetime) -> list[list[int]]:
    """Requests by weekday (rows, Monday first) and hour of day (columns), in the school's time zone."""
    cells = (
        Ticket.objects.filter(organisation=org, received_at__gte=since)
        .annotate(
            weekday=ExtractIsoWeekDay("received_at", tzinfo=org.zone), hour=ExtractHour("received_at", tzinfo=org.zone)
        )
        .values("weekday", "hour")
        .annotate(n=Count("id"))
    )
    grid = [[0] * 24 for _ in range(7)]
    for cell in cells:
        grid[cell["weekday"] - 1][cell["hour"]] = cell["n"]
    return grid
