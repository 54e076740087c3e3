"""The per-clause report read from the daily roll-up where it can be, and counted live where it cannot."""

import dataclasses
import functools
import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from opora.accounts.models import Organisation
from opora.desk.filters import PARAMS, filter_tickets
from opora.domain.enums import OPEN_STATES, AuthorRole, Channel, RequestType
from opora.tickets.models import Extension, Ticket

from .figures import EXTENSION_EXPRESSIONS, ClauseReport, assemble, breakdown, clause_report, count_expressions
from .models import EXTENSION_COUNTS, TICKET_COUNTS, DayBreakdown, DayFigures
from .rollup import DIMENSIONS, current_days, day_bounds, detail_sets, route_histogram, stale_days

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


@dataclass(frozen=True)
class Split:
    """Which of a report's requests the roll-up answers and which are counted live."""

    rollable: bool  # the filters are ones the roll-up's rows can answer
    rows: QuerySet[DayFigures] | None  # the fresh rolled days' rows, if there are any
    live: QuerySet[Ticket]  # the rest: open requests, today, days not rolled up or stale; all if not rollable
    days: tuple[int, ...] = ()  # the fresh rolled days
    # The type, channel or author role asked for, as the rolled rows' own columns.
    dimensions: Mapping[str, str] = dataclasses.field(default_factory=dict)


def split(params: Params, org: Organisation, now: datetime) -> Split:
    qs = filter_tickets(Ticket.objects.filter(organisation=org), params, now, org)
    period = _period(params)
    if period is None or not rollable(params):
        return Split(rollable=False, rows=None, live=qs)
    start, end = period
    rolled = list(current_days(org, start, end).values_list("pk", "day", "computed_at"))
    stale = stale_days(org, {day: computed_at for _, day, computed_at in rolled})
    fresh = {day for _, day, _ in rolled if day not in stale}
    if not fresh:
        return Split(rollable=True, rows=None, live=qs)
    ids = tuple(pk for pk, day, _ in rolled if day in fresh)
    dimensions = _dimensions(params)
    rows = DayFigures.objects.filter(rolled_day_id__in=ids, **dimensions)
    live = qs.filter(Q(state__in=_OPEN) | _unrolled(org, fresh))
    return Split(rollable=True, rows=rows, live=live, days=ids, dimensions=dimensions)


def clause_report_for(params: Params, org: Organisation, now: datetime, found: Split | None = None) -> ClauseReport:
    """The same report as `clause_report` over `filter_tickets(params)`, in a number of queries that does not
    grow with the number of days. `found`: the split, when the caller has already made it."""
    found = found or split(params, org, now)
    if not found.rollable:
        return clause_report(found.live, org, now)
    counts = dict.fromkeys((*TICKET_COUNTS, *EXTENSION_COUNTS), 0)
    if found.rows is not None:
        summed = found.rows.aggregate(**{name: Coalesce(Sum(name), 0) for name in counts})
        counts = {name: summed[name] for name in counts}
    _add(counts, found.live.aggregate(**count_expressions(org, now)))
    _add(counts, Extension.objects.filter(ticket__in=found.live).aggregate(**EXTENSION_EXPRESSIONS))
    live_seconds = {row["_seconds"]: row["_n"] for row in route_histogram(found.live)}
    median, p90 = _Ranks(found.rows, live_seconds).find(FRACTIONS)
    return assemble({k: counts[k] for k in TICKET_COUNTS}, {k: counts[k] for k in EXTENSION_COUNTS}, median, p90)


_BREAKDOWN = ("total", "resolved", "breached")


def breakdowns_for(found: Split, now: datetime) -> dict[str, list[dict[str, Any]]]:
    """`figures.breakdown` by each of the roll-up's own dimensions (type, channel, author role), in two queries:
    the fresh days' rows summed, and the rest grouped live by all three at once. Over a year the page groups
    the open and recent requests, not the whole year's."""
    grouped = breakdown(found.live, DIMENSIONS, now)
    if found.rows is not None:
        summed = found.rows.values(*DIMENSIONS).annotate(
            total=Sum("total"), resolved=Sum("resolved"), breached=Sum("resolve_breached")
        )
        grouped = [*grouped, *summed.order_by()]
    return {field: _merged(field, grouped) for field in DIMENSIONS}


CLASSES_SHOWN = 10


def details_for(found: Split, now: datetime) -> dict[str, list[dict[str, Any]]]:
    """The breakdowns by class (the ten with most requests) and by specialist, fresh days read from their
    rolled rows and the rest grouped live."""
    details: dict[str, list[dict[str, Any]]] = {}
    for name, present in detail_sets(found.live).items():
        live = breakdown(present, name, now)
        if found.rows is not None:
            rolled = (
                DayBreakdown.objects.filter(rolled_day_id__in=found.days, field=name, **found.dimensions)
                .values("key")
                .annotate(total=Sum("total"), resolved=Sum("resolved"), breached=Sum("breached"))
                .order_by()
            )
            as_value = int if name == "assignee" else str
            summed = [{**row, name: as_value(row["key"])} for row in rolled]
            live = _merged(name, [*live, *summed])
        details[name] = live[:CLASSES_SHOWN] if name == "school_class" else live
    return details


def _merged(field: str, grouped: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of (field value, total, resolved, breached) added up by value, most requests first."""
    totals: dict[Any, dict[str, int]] = {}
    for row in grouped:
        into = totals.setdefault(row[field], dict.fromkeys(_BREAKDOWN, 0))
        for name in _BREAKDOWN:
            into[name] += row[name]
    ordered = sorted(totals.items(), key=lambda item: (-item[1]["total"], item[0]))
    return [{field: key, **counts} for key, counts in ordered]


def _dimensions(params: Params) -> dict[str, str]:
    found = {}
    for key, (field, allowed) in _DIMENSIONS.items():
        # An unknown value is ignored, as `filter_tickets` ignores it.
        if _value(params, key) in {str(m) for m in allowed}:
            found[field] = _value(params, key)
    return found


def _unrolled(org: Organisation, fresh: set[date]) -> Q:
    """The days not read from the roll-up (the period's own filter bounds the two open ends), as one range of
    `received_at` per gap between fresh days."""
    days = sorted(fresh)
    ranges = Q(received_at__lt=day_bounds(org, days[0])[0]) | Q(received_at__gte=day_bounds(org, days[-1])[1])
    for before, after in itertools.pairwise(days):
        if after - before > timedelta(days=1):
            ranges |= Q(received_at__gte=day_bounds(org, before)[1], received_at__lt=day_bounds(org, after)[0])
    return ranges


def _add(counts: dict[str, int], found: dict[str, Any]) -> None:
    for name, value in found.items():
        counts[name] += value


def _rank(fraction: float, total: int) -> int:
    return min(total, max(1, math.ceil(fraction * total)))


def _at_ranks(histogram: dict[int, int], ranks: list[int]) -> list[int | None]:
    found: list[int | None] = [None] * len(ranks)
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        for i, rank in enumerate(ranks):
            if found[i] is None and seen >= rank > 0:
                found[i] = value
    return found


class _Ranks:
    """Nearest-rank times to route over the rolled rows and the live requests together. A year's rows hold
    millions of (second, count) pairs, so the minutes' totals find each rank's minute, and only that minute's
    seconds are read: two or three queries, summed in the database."""

    def __init__(self, rows: QuerySet[DayFigures] | None, live_seconds: dict[int, int]) -> None:
        self.rows = rows
        self.live_seconds = live_seconds

    def find(self, fractions: tuple[float, ...]) -> list[timedelta | None]:
        minutes = _json_sums(self.rows, "route_minutes") if self.rows is not None else {}
        for seconds, n in self.live_seconds.items():
            minutes[seconds // 60] = minutes.get(seconds // 60, 0) + n
        total = sum(minutes.values())
        if not total:
            return [None] * len(fractions)
        found: list[timedelta | None] = []
        for fraction in fractions:
            rank = _rank(fraction, total)
            minute = _at_ranks(minutes, [rank])[0]
            assert minute is not None
            before = sum(n for m, n in minutes.items() if m < minute)
            second = _at_ranks(self._seconds_of(minute), [rank - before])[0]
            found.append(None if second is None else timedelta(seconds=second))
        return found

    @functools.cache  # noqa: B019 (one report's object, dropped with it)
    def _seconds_of(self, minute: int) -> dict[int, int]:
        seconds = _json_sums(self.rows, "route_seconds", str(minute)) if self.rows is not None else {}
        for value, n in self.live_seconds.items():
            if value // 60 == minute:
                seconds[value] = seconds.get(value, 0) + n
        return seconds


def _json_sums(rows: QuerySet[DayFigures], column: str, key: str | None = None) -> dict[int, int]:
    """Sums a JSON mapping of numbers → counts (or the mapping under `key`) over the rows, in the database."""
    sql, params = rows.values(column).query.sql_with_params()
    if connection.vendor == "postgresql":
        each = f"jsonb_each_text(r.{column} -> %s)" if key is not None else f"jsonb_each_text(r.{column})"
        extra = [key] if key is not None else []
    else:
        each = f"json_each(r.{column}, %s)" if key is not None else f"json_each(r.{column})"
        extra = [f'$."{key}"'] if key is not None else []
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT e.key, SUM(CAST(e.value AS integer)) FROM ({sql}) r, {each} e GROUP BY e.key",  # noqa: S608
            [*params, *extra],
        )
        return {int(k): int(n) for k, n in cursor.fetchall()}
