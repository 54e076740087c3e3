"""The live dashboard: counts now, today and this week, workload, and three charts with tables behind them."""

from collections import Counter
from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import TruncHour

from opora.accounts.models import Organisation
from opora.desk.queries import assigned_count, specialists, workload
from opora.domain.enums import OPEN_STATES, RequestType, State
from opora.notify.models import Outbox, OutboxState
from opora.tickets.clock_queries import KINDS, breached_q, due_between_q, met_q, overdue_now_q
from opora.tickets.labels import CHANNEL, REQUEST_TYPE
from opora.tickets.models import Extension, ExtensionState, Ticket

from .figures import share

_OPEN = [str(s) for s in OPEN_STATES]


def now_counts(org: Organisation, now: datetime) -> dict[str, int]:
    # Every figure here is about open requests: reading only those keeps the page fast over years of history,
    # and counting an indexed column lets PostgreSQL answer from the index alone.
    tickets = Ticket.objects.filter(organisation=org, state__in=_OPEN)
    counts = tickets.aggregate(
        waiting=Count("state", filter=Q(state=State.RECEIVED)),
        not_taken=Count("state", filter=Q(state=State.ROUTED)),
        in_work=Count("state", filter=Q(state=State.IN_WORK)),
        overdue_dispatch=Count("state", filter=overdue_now_q("dispatch", now)),
        overdue_take=Count("state", filter=overdue_now_q("take", now)),
        overdue_resolve=Count("state", filter=overdue_now_q("resolve", now)),
        due_soon=Count("state", filter=due_between_q(now, now + timedelta(hours=1))),
        urgent=Count("state", filter=Q(urgent=True)),
    )
    counts["extensions"] = Extension.objects.filter(ticket__organisation=org, state=ExtensionState.PENDING).count()
    counts["failed_mail"] = Outbox.objects.filter(organisation=org, state=OutboxState.FAILED).count()
    return counts


def period_start(org: Organisation, now: datetime, days: int) -> datetime:
    local = now.astimezone(org.zone).date()
    start = local - timedelta(days=local.weekday()) if days == 7 else local
    return datetime.combine(start, time.min, org.zone)


def period_figures(org: Organisation, since: datetime, now: datetime) -> dict[str, Any]:
    """One grouped query: counts by type and channel and the clock outcomes all come from its rows."""
    rows = (
        Ticket.objects.filter(organisation=org, received_at__gte=since)
        .values("request_type", "channel")
        .annotate(
            n=Count("id"),
            **{f"{k}_met": Count("id", filter=met_q(k)) for k in KINDS},
            **{f"{k}_breached": Count("id", filter=breached_q(k, now)) for k in KINDS},
        )
        .order_by()
    )
    by_type: Counter[str] = Counter()
    by_channel: Counter[str] = Counter()
    clocks: Counter[str] = Counter()
    for row in rows:
        found: dict[str, Any] = dict(row)
        by_type[found["request_type"]] += found["n"]
        by_channel[found["channel"]] += found["n"]
        clocks.update({f"{k}_{o}": found[f"{k}_{o}"] for k in KINDS for o in ("met", "breached")})
    return {
        "total": sum(by_type.values()),
        "by_type": [(REQUEST_TYPE[t], by_type[str(t)], str(t)) for t in RequestType],
        "by_channel": [(label, by_channel[str(c)], str(c)) for c, label in CHANNEL.items()],
        "shares": {k: share(clocks[f"{k}_met"], clocks[f"{k}_met"] + clocks[f"{k}_breached"]) for k in KINDS},
    }


def specialist_load(org: Organisation, now: datetime, week_start: datetime) -> list[Any]:
    people = specialists(org).annotate(resolved_week=assigned_count(org, resolved_at__gte=week_start))
    return workload(org, now, people)


def _hours(org: Organisation, since: datetime, now: datetime) -> list[dict[str, Any]]:
    """Requests per hour of the school's day and type, with the resolution outcome: the charts and the heat map
    all come from these rows, so the page reads its fortnight once."""
    rows = (
        Ticket.objects.filter(organisation=org, received_at__gte=since)
        .annotate(hour=TruncHour("received_at", tzinfo=org.zone))
        .values("hour", "request_type")
        .annotate(
            n=Count("id"), met=Count("id", filter=met_q("resolve")), late=Count("id", filter=breached_q("resolve", now))
        )
        .order_by()
    )
    return [dict(row) for row in rows]


def _daily(rows: list[dict[str, Any]], zone: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    by_type: Counter[tuple[Any, str]] = Counter()
    met: Counter[Any] = Counter()
    late: Counter[Any] = Counter()
    for row in rows:
        day = row["hour"].astimezone(zone).date()
        by_type[day, row["request_type"]] += row["n"]
        met[day] += row["met"]
        late[day] += row["late"]
    typed = [{"day": d, "request_type": t, "n": n} for (d, t), n in sorted(by_type.items())]
    days = sorted({d for d, _ in by_type})
    compliance = [
        {"day": d, "met": met[d], "breached": late[d], "share": share(met[d], met[d] + late[d])} for d in days
    ]
    return typed, compliance


def _grid(rows: list[dict[str, Any]], zone: Any) -> list[list[int]]:
    grid = [[0] * 24 for _ in range(7)]
    for row in rows:
        local = row["hour"].astimezone(zone)
        grid[local.isoweekday() - 1][local.hour] += row["n"]
    return grid


def daily_figures(
    org: Organisation, since: datetime, now: datetime
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Requests per day by type, and the share resolved in time per day."""
    return _daily(_hours(org, since, now), org.zone)


def heat_map(org: Organisation, since: datetime) -> list[list[int]]:
    """Requests by weekday (rows, Monday first) and hour of day (columns), in the school's time zone."""
    return _grid(_hours(org, since, since), org.zone)


def activity(
    org: Organisation, since: datetime, now: datetime
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[list[int]]]:
    """The fortnight's charts and heat map from one query."""
    rows = _hours(org, since, now)
    daily, compliance = _daily(rows, org.zone)
    return daily, compliance, _grid(rows, org.zone)
