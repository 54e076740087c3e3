"""The per-clause report read from the daily roll-up where it can be, and counted live where it cannot."""

import math
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Q, Sum
from django.db.models.functions import Coalesce

from opora.accounts.models import Organisation
from opora.desk.filters import PARAMS, filter_tickets
from opora.domain.enums import OPEN_STATES, AuthorRole, Channel, RequestType
from opora.tickets.models import Extension, Ticket

from .figures import EXTENSION_EXPRESSIONS, ClauseReport, assemble, clause_report, count_expressions
from .models import EXTENSION_COUNTS, TICKET_COUNTS, DayFigures
from .rollup import current_days, day_bounds, route_histogram, stale_days

_OPEN = [str(s) for s in OPEN_STATES]
# The filters the roll-up's rows can answer: the period and the rows' own dimensions.
_DIMENSIONS = {
    "type": ("request_type", RequestType),
    "channel": ("channel", Channel),
    "author_role": ("author_role", AuthorRole),
}
FRACTIONS = (0.5, 0.9)

Params = Mapping[str, str]


def _value(params: Params, key: str) -> str:
    return (params.get(key) or "").strip()


def _period(params: Params) -> tuple[date, date] | None:
    try:
        return date.fromisoformat(_value(params, "from")), date.fromisoformat(_value(params, "to"))
    except ValueError:
        return None


def rollable(params: Params) -> bool:
    answerable = {"from", "to", *_DIMENSIONS}
    return _period(params) is not None and not any(_value(params, k) for k in PARAMS if k not in answerable)


def clause_report_for(params: Params, org: Organisation, now: datetime) -> ClauseReport:
    """The same report as `clause_report` over `filter_tickets(params)`, in a number of queries that does not
    grow with the number of days."""
    qs = filter_tickets(Ticket.objects.filter(organisation=org), params, now, org)
    period = _period(params)
    if period is None or not rollable(params):
        return clause_report(qs, org, now)
    start, end = period
    rolled = list(current_days(org, start, end).values_list("pk", "day", "computed_at"))
    stale = stale_days(org, {day: computed_at for _, day, computed_at in rolled})
    fresh = {day for _, day, _ in rolled if day not in stale}
    ids = [pk for pk, day, _ in rolled if day in fresh]
    rows = DayFigures.objects.filter(rolled_day_id__in=ids, **_dimensions(params))
    counts = dict.fromkeys((*TICKET_COUNTS, *EXTENSION_COUNTS), 0)
    histogram: dict[int, int] = {}
    if ids:
        summed = rows.aggregate(**{name: Coalesce(Sum(name), 0) for name in counts})
        counts = {name: summed[name] for name in counts}
        for part in rows.values_list("route_seconds", flat=True):
            for seconds, n in part.items():
                histogram[int(seconds)] = histogram.get(int(seconds), 0) + n
    live = qs.filter(Q(state__in=_OPEN) | _unrolled(org, start, end, fresh))
    _add(counts, live.aggregate(**count_expressions(org, now)))
    _add(counts, Extension.objects.filter(ticket__in=live).aggregate(**EXTENSION_EXPRESSIONS))
    for found in route_histogram(live):
        histogram[found["_seconds"]] = histogram.get(found["_seconds"], 0) + found["_n"]
    median, p90 = nearest_ranks(histogram, FRACTIONS)
    return assemble({k: counts[k] for k in TICKET_COUNTS}, {k: counts[k] for k in EXTENSION_COUNTS}, median, p90)


def _dimensions(params: Params) -> dict[str, str]:
    found = {}
    for key, (field, allowed) in _DIMENSIONS.items():
        # An unknown value is ignored, as `filter_tickets` ignores it.
        if _value(params, key) in {str(m) for m in allowed}:
            found[field] = _value(params, key)
    return found


def _unrolled(org: Organisation, start: date, end: date, fresh: set[date]) -> Q:
    """The period's days not read from the roll-up, as few ranges of `received_at` as there are gaps."""
    ranges = Q(pk__in=[])
    day = start
    while day <= end:
        if day in fresh:
            day += timedelta(days=1)
            continue
        first = day
        while day <= end and day not in fresh:
            day += timedelta(days=1)
        ranges |= Q(received_at__gte=day_bounds(org, first)[0], received_at__lt=day_bounds(org, day)[0])
    return ranges


def _add(counts: dict[str, int], found: dict[str, Any]) -> None:
    for name, value in found.items():
        counts[name] += value


def nearest_ranks(histogram: dict[int, int], fractions: tuple[float, ...]) -> list[timedelta | None]:
    """The value at rank ⌈f·n⌉ (as PostgreSQL's percentile_disc picks it) from counts of whole seconds."""
    total = sum(histogram.values())
    if not total:
        return [None] * len(fractions)
    ranks = [min(total, max(1, math.ceil(f * total))) for f in fractions]
    found: list[timedelta | None] = [None] * len(fractions)
    seen = 0
    for seconds in sorted(histogram):
        seen += histogram[seconds]
        for i, rank in enumerate(ranks):
            if found[i] is None and seen >= rank:
                found[i] = timedelta(seconds=seconds)
    return found
