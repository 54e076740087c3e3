"""The daily roll-up of the per-clause report: closed requests of each settled local day, summed once.

A request's change is stamped with `updated_at` when its row is saved, and commits a moment later. A day is
summed up only once it has been over for `SETTLE`, and its sums count as exact for the changes stamped up to
`SETTLE` before the summing began: every save commits within that margin, so a change the summing could not
see is stamped after `computed_at` and shows the day as stale.
"""

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.db.models import BigIntegerField, Count, Func, Max, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from opora.accounts.models import Organisation
from opora.domain.enums import OPEN_STATES
from opora.tickets.models import Extension, Ticket

from .figures import EXTENSION_EXPRESSIONS, breakdown, count_expressions
from .models import DayBreakdown, DayFigures, RolledDay

SETTLE = timedelta(minutes=10)
# The periodic task fills in missing days this far back; older history is backfilled by the command.
LOOK_BACK_DAYS = 40
DIMENSIONS = ("request_type", "channel", "author_role")
_OPEN = [str(s) for s in OPEN_STATES]


class RouteSeconds(Func):
    """Whole seconds from receipt to the first routing, rounded down, computed in the database."""

    output_field = BigIntegerField()

    def __init__(self) -> None:
        super().__init__("first_routed_at", "received_at")

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, template="FLOOR(EXTRACT(EPOCH FROM (%(expressions)s)))::bigint", arg_joiner=" - "
        )

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # Django's own SQLite function returns microseconds; a route time is never negative, so `/` rounds down.
        return self.as_sql(compiler, connection, template="(django_timestamp_diff(%(expressions)s) / 1000000)")


def day_bounds(org: Organisation, day: date) -> tuple[datetime, datetime]:
    return datetime.combine(day, time.min, org.zone), datetime.combine(day + timedelta(days=1), time.min, org.zone)


def is_settled(org: Organisation, day: date, now: datetime) -> bool:
    return day_bounds(org, day)[1] + SETTLE <= now


def route_histogram(qs: QuerySet[Ticket], *fields: str) -> QuerySet[Ticket, dict[str, Any]]:
    grouped: QuerySet[Ticket, dict[str, Any]] = (
        qs.exclude(first_routed_at=None)
        .annotate(_seconds=RouteSeconds())
        .values(*fields, "_seconds")
        .annotate(_n=Count("id"))
        .order_by()
    )
    return grouped


def roll_up(org: Organisation, day: date, now: datetime) -> RolledDay | None:
    """Sums up one settled day's closed requests, replacing what was there. Open requests are left to the
    live count: their breaches depend on the moment the report is read."""
    if not is_settled(org, day, now):
        return None
    computed_at = min(now, timezone.now()) - SETTLE
    start, end = day_bounds(org, day)
    closed = Ticket.objects.filter(organisation=org, received_at__gte=start, received_at__lt=end).exclude(
        state__in=_OPEN
    )
    rows: dict[tuple[str, ...], dict[str, Any]] = {}

    def row(key: tuple[str, ...]) -> dict[str, Any]:
        return rows.setdefault(key, {"route_minutes": {}, "route_seconds": {}})

    for found in closed.values(*DIMENSIONS).annotate(**count_expressions(org, now)).order_by():
        row(tuple(found.pop(d) for d in DIMENSIONS)).update(found)
    for_tickets = [f"ticket__{d}" for d in DIMENSIONS]
    for found in Extension.objects.filter(ticket__in=closed).values(*for_tickets).annotate(**EXTENSION_EXPRESSIONS):
        row(tuple(found.pop(d) for d in for_tickets)).update(found)
    for found in route_histogram(closed, *DIMENSIONS):
        values, minute = row(tuple(found[d] for d in DIMENSIONS)), str(found["_seconds"] // 60)
        values["route_minutes"][minute] = values["route_minutes"].get(minute, 0) + found["_n"]
        values["route_seconds"].setdefault(minute, {})[str(found["_seconds"])] = found["_n"]
    details = [
        (field, found)
        for field, present in detail_sets(closed).items()
        for found in breakdown(present, (field, *DIMENSIONS), now)
    ]
    with transaction.atomic():
        rolled, _ = RolledDay.objects.update_or_create(
            organisation=org,
            day=day,
            defaults={"computed_at": computed_at, "timezone": org.timezone, "dispatch_minutes": org.dispatch_minutes},
        )
        rolled.figures.all().delete()
        rolled.breakdowns.all().delete()
        DayFigures.objects.bulk_create(
            DayFigures(rolled_day=rolled, **dict(zip(DIMENSIONS, key, strict=True)), **values)
            for key, values in rows.items()
        )
        DayBreakdown.objects.bulk_create(
            DayBreakdown(rolled_day=rolled, field=field, key=str(found.pop(field)), **found) for field, found in details
        )
    return rolled


def detail_sets(qs: QuerySet[Ticket]) -> dict[str, QuerySet[Ticket]]:
    """The reports page's breakdowns beyond the figures' own dimensions (by class and by specialist), each
    over the requests that have a value."""
    return {"school_class": qs.exclude(school_class=""), "assignee": qs.exclude(assignee=None)}


def current_days(org: Organisation, start: date, end: date) -> QuerySet[RolledDay]:
    """Rolled days made with the school's present zone and dispatch limit (a change of either redoes them)."""
    return RolledDay.objects.filter(
        organisation=org,
        day__gte=start,
        day__lte=end,
        timezone=org.timezone,
        dispatch_minutes=org.dispatch_minutes,
    )


def stale_days(org: Organisation, computed: dict[date, datetime]) -> set[date]:
    """Days with a request stamped after the day was summed up: one indexed query, whatever the number of days."""
    if not computed:
        return set()
    start, end = day_bounds(org, min(computed))[0], day_bounds(org, max(computed))[1]
    changed = (
        Ticket.objects.filter(
            organisation=org, updated_at__gt=min(computed.values()), received_at__gte=start, received_at__lt=end
        )
        .annotate(_day=TruncDate("received_at", tzinfo=org.zone))
        .values("_day")
        .annotate(_last=Max("updated_at"))
        .order_by()
    )
    return {c["_day"] for c in changed if c["_day"] in computed and c["_last"] > computed[c["_day"]]}


def roll_up_due(org: Organisation, now: datetime) -> list[date]:
    """Rolls up the settled days of the last weeks that are missing or stale, and moves the others' stamps
    forward, so the next report's staleness check reads only the changes since this run."""
    checked_at = now - SETTLE
    today = now.astimezone(org.zone).date()
    window = [today - timedelta(days=n) for n in range(LOOK_BACK_DAYS, 0, -1)]
    rolled = {r.day: r for r in current_days(org, date.min, today)}
    stale = stale_days(org, {day: r.computed_at for day, r in rolled.items()})
    due = sorted(stale | {d for d in window if d not in rolled and is_settled(org, d, now)})
    for day in due:
        roll_up(org, day, now)
    _confirm([r for day, r in rolled.items() if day not in stale], checked_at)
    return due


def _confirm(fresh: Iterable[RolledDay], checked_at: datetime) -> None:
    """No request of these days was stamped after their `computed_at` as of the check, and every save stamped
    before `checked_at` had committed by then: their sums are exact up to `checked_at`. A day re-rolled
    meanwhile keeps its own stamp (the update matches the stamp that was checked)."""
    by_stamp: dict[datetime, list[int]] = {}
    for r in fresh:
        if r.computed_at < checked_at:
            by_stamp.setdefault(r.computed_at, []).append(r.pk)
    for stamp, ids in by_stamp.items():
        RolledDay.objects.filter(pk__in=ids, computed_at=stamp).update(computed_at=checked_at)


def backfill(org: Organisation, since: date, now: datetime, until: date | None = None) -> int:
    """Rolls up every settled day from `since` to `until` (yesterday by default); returns how many."""
    last = until or now.astimezone(org.zone).date() - timedelta(days=1)
    made = 0
    day = since
    while day <= last:
        made += roll_up(org, day, now) is not None
        day += timedelta(days=1)
    return made
