"""Every figure of the reports, computed in the database: GROUP BY and conditional aggregates."""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet

from opora.accounts.models import Organisation
from opora.domain.enums import OPEN_STATES, State
from opora.tickets.clock_queries import breached_q, met_q
from opora.tickets.models import Extension, ExtensionState, Ticket

_OPEN = [str(s) for s in OPEN_STATES]


def share(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def percentiles(qs: QuerySet[Ticket], expression: Any, fractions: tuple[float, ...]) -> list[timedelta | None]:
    """Values at nearest ranks, found by the database's own ordering (no rows come back to Python)."""
    ranked = qs.annotate(_value=expression).exclude(_value__isnull=True)
    if connection.vendor == "postgresql":
        # One sort for every fraction: percentile_disc is the nearest rank.
        sql, params = ranked.values("_value").query.sql_with_params()
        marks = ", ".join(["%s"] * len(fractions))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT percentile_disc(ARRAY[{marks}]::float8[]) WITHIN GROUP (ORDER BY _value) FROM ({sql}) ranked",  # noqa: S608
                [*fractions, *params],
            )
            values = cursor.fetchone()[0]
        return list(values) if values is not None else [None] * len(fractions)
    total = ranked.count()
    if not total:
        return [None] * len(fractions)
    found: list[timedelta | None] = []
    for fraction in fractions:
        index = min(total - 1, max(0, math.ceil(fraction * total) - 1))
        value = ranked.order_by("_value").values_list("_value", flat=True)[index]
        found.append(value if isinstance(value, timedelta) else timedelta(microseconds=int(value)))
    return found


@dataclass(frozen=True)
class ClauseReport:
    dispatch: dict[str, Any]
    take: dict[str, Any]
    resolve: dict[str, Any]
    reply: dict[str, Any]
    quality: dict[str, Any]


def count_expressions(org: Organisation, now: datetime) -> dict[str, Count]:
    """The report's counts over requests; for closed requests none of them depends on `now`."""
    in_time = F("received_at") + timedelta(minutes=org.dispatch_minutes)
    return {
        "total": Count("id"),
        "routed": Count("id", filter=Q(first_routed_at__isnull=False)),
        "routed_in_time": Count("id", filter=Q(first_routed_at__isnull=False, first_routed_at__lte=in_time)),
        "dispatch_breached": Count(
            "id",
            filter=Q(first_routed_at__gt=in_time)
            | Q(first_routed_at__isnull=True, dispatch_due_at__lt=now, state__in=_OPEN),
        ),
        "take_total": Count("id", filter=Q(take_due_at__isnull=False)),
        "take_met": Count("id", filter=met_q("take")),
        "take_breached": Count("id", filter=breached_q("take", now)),
        "resolve_met": Count("id", filter=met_q("resolve") & Q(resolve_extended=False)),
        "resolve_extended": Count("id", filter=met_q("resolve") & Q(resolve_extended=True)),
        "resolve_breached": Count("id", filter=breached_q("resolve", now)),
        "resolved": Count("id", filter=Q(state=State.RESOLVED)),
        "by_preferred": Count("id", filter=Q(state=State.RESOLVED, reply_channel=F("preferred_reply"))),
        "by_phone": Count("id", filter=Q(state=State.RESOLVED, reply_channel="phone")),
        "by_email": Count("id", filter=Q(state=State.RESOLVED, reply_channel="email")),
        "returned": Count("id", filter=Q(return_count__gt=0)),
        "reopened": Count("id", filter=Q(reopen_count__gt=0)),
        "withdrawn": Count("id", filter=Q(state=State.WITHDRAWN)),
    }


EXTENSION_EXPRESSIONS = {
    "requested": Count("id"),
    "approved": Count("id", filter=Q(state=ExtensionState.APPROVED)),
    "rejected": Count("id", filter=Q(state=ExtensionState.REJECTED)),
}


def whole_seconds(value: timedelta | None) -> timedelta | None:
    """Times to route are shown to the second: the roll-up keeps whole seconds, and so does the live report."""
    return None if value is None else value - timedelta(microseconds=value.microseconds)


def clause_report(qs: QuerySet[Ticket], org: Organisation, now: datetime) -> ClauseReport:
    figures = qs.aggregate(**count_expressions(org, now))
    to_route = ExpressionWrapper(F("first_routed_at") - F("received_at"), output_field=DurationField())
    extensions = Extension.objects.filter(ticket__in=qs).aggregate(**EXTENSION_EXPRESSIONS)
    median, p90 = percentiles(qs, to_route, (0.5, 0.9))
    return assemble(figures, extensions, whole_seconds(median), whole_seconds(p90))


def assemble(
    figures: dict[str, int], extensions: dict[str, int], median: timedelta | None, p90: timedelta | None
) -> ClauseReport:
    resolve_total = figures["resolve_met"] + figures["resolve_extended"] + figures["resolve_breached"]
    return ClauseReport(
        dispatch={
            "total": figures["total"],
            "routed": figures["routed"],
            "met": figures["routed_in_time"],
            "breached": figures["dispatch_breached"],
            "share": share(figures["routed_in_time"], figures["routed"]),
            "median": median,
            "p90": p90,
        },
        take={
            "total": figures["take_total"],
            "met": figures["take_met"],
            "breached": figures["take_breached"],
            "share": share(figures["take_met"], figures["take_met"] + figures["take_breached"]),
        },
        resolve={
            "met": figures["resolve_met"],
            "extended": figures["resolve_extended"],
            "breached": figures["resolve_breached"],
            "total": resolve_total,
            "share": share(figures["resolve_met"] + figures["resolve_extended"], resolve_total),
            "share_plain": share(figures["resolve_met"], resolve_total),
            **extensions,
        },
        reply={
            "resolved": figures["resolved"],
            "preferred": figures["by_preferred"],
            "share": share(figures["by_preferred"], figures["resolved"]),
            "phone": figures["by_phone"],
            "email": figures["by_email"],
        },
        quality={"returned": figures["returned"], "reopened": figures["reopened"], "withdrawn": figures["withdrawn"]},
    )


def breakdown(
    qs: QuerySet[Ticket], fields: str | tuple[str, ...], now: datetime, limit: int | None = None
) -> list[dict[str, Any]]:
    """Requests, resolved and resolution breached, by one field (most first) or by several at once."""
    by = (fields,) if isinstance(fields, str) else fields
    rows = (
        qs.values(*by)
        .annotate(
            total=Count("id"),
            resolved=Count("id", filter=Q(state=State.RESOLVED)),
            breached=Count("id", filter=breached_q("resolve", now)),
        )
        .order_by("-total", *by)
    )
    return list(rows[:limit] if limit else rows)
