"""The deadline watcher's writes: a warning before each deadline and the breach after it."""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connection, transaction

from opora.accounts.models import Organisation
from opora.common.rows import Json, array_text, insert_rows
from opora.domain.clocks import Clock, ClockPolicy, next_watch_at
from opora.domain.enums import OPEN_STATES, ClockKind

from ..models import EventKind, Ticket, TicketEvent, TicketWatch
from ..signals import ClockEvent, clocks_recorded


@dataclass(frozen=True)
class ClockNews:
    ticket_id: int
    organisation_id: int
    kind: ClockKind
    breached: bool
    due_at: datetime


_STAMPS = [f"{k}_{s}_at" for k in ClockKind for s in ("warned", "breached")]
_DUE = [f"{k}_due_at" for k in ClockKind]
# Whether each clock is met, warned or breached: the claim reads flags, not timestamps, because turning
# each timestamp into a Python datetime costs more than the rest of the row.
_FLAGS = {
    **{f"{k}_met": f"t.{k}_met_at" for k in ClockKind},
    **{f"{k}_{s}": f"w.{k}_{s}_at" for k in ClockKind for s in ("warned", "breached")},
}
_FACTS = ["id", "organisation_id", "state", "number", "request_type", "routed_role", "assignee_id", *_DUE]
_CLAIM = (
    f"SELECT {', '.join(f't.{name}' for name in _FACTS)}, "  # noqa: S608 (names from the model)
    f"{', '.join(f'{column} IS NOT NULL' for column in _FLAGS.values())} "
    f"FROM {TicketWatch._meta.db_table} w JOIN {Ticket._meta.db_table} t ON t.id = w.ticket_id "
    f"WHERE w.watch_at IS NOT NULL AND w.watch_at <= %s AND t.state IN ({', '.join(['%s'] * len(OPEN_STATES))}) "
    "ORDER BY w.watch_at LIMIT %s"
)
# In the order of each event row written by the sweep (and by the bench's seed).
EVENT_COLUMNS = [
    "ticket_id",
    "at",
    "actor_id",
    "actor_label",
    "kind",
    "from_state",
    "to_state",
    "note",
    "internal",
    "data",
]


def _save_marks(marks: list[tuple[Any, ...]]) -> None:
    """One UPDATE for the whole batch: every row gets one new version, whatever number of clocks moved.
    Each mark is (id, watch_at, *new stamps or None); a stamp once set is kept. Only open requests are
    ever claimed, so only they are touched."""
    table = TicketWatch._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            stamps = ", ".join(f"{f} = COALESCE({f}, %s)" for f in _STAMPS)
            cursor.executemany(
                f"UPDATE {table} SET watch_at = %s, {stamps} WHERE ticket_id = %s",  # noqa: S608 (names from the model)
                [(*(_stamp(value) for value in mark[1:]), mark[0]) for mark in marks],
            )
            return
        # One array per column: a single statement whatever the batch, with no 65,535-parameter limit. Each
        # array goes as one literal: psycopg quoting each element took an eighth of the sweep.
        fields = ["watch_at", *_STAMPS]
        casts = ", ".join(["%s::timestamptz[]"] * len(fields))
        stamps = ", ".join(f"{f} = COALESCE(t.{f}, v.{f})" for f in _STAMPS)
        cursor.execute(
            f"UPDATE {table} AS t SET watch_at = v.watch_at, {stamps} "  # noqa: S608 (names from the model)
            f"FROM unnest(%s::bigint[], {casts}) AS v(id, {', '.join(fields)}) WHERE t.ticket_id = v.id",
            [array_text(column) for column in zip(*marks, strict=True)],
        )


def _claim(now: datetime, limit: int) -> list[dict[str, Any]]:
    """Only what the clocks and the mail need, as plain values: no model instance per row.

    Both rows are locked. A service locks the request first and writes its watch row only under that lock,
    so a request someone is acting on is skipped and left to the next sweep, and the watch row read here is
    the one last committed."""
    sql = _CLAIM
    if connection.features.has_select_for_update_skip_locked:
        sql += " FOR UPDATE OF t, w SKIP LOCKED"
    with connection.cursor() as cursor:
        cursor.execute(sql, [_stamp(now), *OPEN_STATES, limit])
        rows = cursor.fetchall()
    names = [*_FACTS, *_FLAGS]
    claimed = [dict(zip(names, row, strict=True)) for row in rows]
    if connection.vendor == "sqlite":  # its columns come back as naive UTC
        for row in claimed:
            for name in _DUE:
                row[name] = row[name] and row[name].replace(tzinfo=UTC)
    return claimed


def _stamp(value: datetime | None) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


# Each clock's keys in a claimed row, spelled once rather than for every row.
_KEYS = [
    (k, f"{k}_due_at", f"{k}_met", f"{k}_warned", f"{k}_breached", f"{k}_warned_at", f"{k}_breached_at")
    for k in ClockKind
]


def _due(row: dict[str, Any], now: datetime, policy: ClockPolicy) -> list[tuple[ClockKind, bool]]:
    """Stamps what has come due on the row and moves its watch to the next moment. A breach found before its
    warning was given (the watcher was stopped, or the clock is shorter than its warning) is recorded alone:
    the warning's stamp is set so it never follows, but nobody gets «5 minutes left» about a deadline
    already missed, and the timeline shows no warning that was never given."""
    news: list[tuple[ClockKind, bool]] = []
    running, warned, breached = [], set(), set()
    for kind, due_at, met, was_warned, was_breached, warned_at, breached_at in _KEYS:
        due = row[due_at]
        row[warned_at] = row[breached_at] = None
        if due is None or row[met]:
            continue
        running.append(Clock(kind, due))
        warn = not row[was_warned] and policy.warn_at(kind, due) <= now
        breach = not row[was_breached] and due < now
        if warn and not breach:
            news.append((kind, False))
        if breach:
            news.append((kind, True))
            row[breached_at] = now
        if not row[was_warned] and (warn or breach):
            row[warned_at] = now
        if row[was_warned] or row[warned_at]:
            warned.add(kind)
        if row[was_breached] or row[breached_at]:
            breached.add(kind)
    row["watch_at"] = next_watch_at(running, warned, breached, policy)
    return news


def check_due(now: datetime, limit: int) -> tuple[int, list[ClockNews]]:
    """One batch of due requests in one transaction: claimed with SKIP LOCKED (so copies of the watcher
    split the work), updated with one statement, and their events written with one more."""
    with transaction.atomic():
        rows = _claim(now, limit)
        if not rows:
            return 0, []
        schools = Organisation.objects.in_bulk({row["organisation_id"] for row in rows})
        policies = {pk: school.clock_policy() for pk, school in schools.items()}
        found: list[ClockNews] = []
        planned: list[tuple[dict[str, Any], ClockKind, bool]] = []
        for row in rows:
            for kind, breached in _due(row, now, policies[row["organisation_id"]]):
                planned.append((row, kind, breached))
                found.append(ClockNews(row["id"], row["organisation_id"], kind, breached, row[f"{kind}_due_at"]))
        _save_marks([(row["id"], row["watch_at"], *(row[s] for s in _STAMPS)) for row in rows])
        ids = insert_rows(TicketEvent, EVENT_COLUMNS, [_event_row(row, kind, b, now) for row, kind, b in planned])
        clocks_recorded.send(
            sender=TicketEvent,
            events=[_clock_event(pk, row, kind, b, now) for pk, (row, kind, b) in zip(ids, planned, strict=True)],
        )
    return len(rows), found


def _event_row(row: dict[str, Any], kind: ClockKind, breached: bool, now: datetime) -> tuple[Any, ...]:
    event = EventKind.CLOCK_BREACHED if breached else EventKind.CLOCK_WARNING
    data = Json(f'{{"clock": "{kind}", "due_at": "{row[f"{kind}_due_at"].isoformat()}"}}')
    return (row["id"], now, None, "контроль сроков", event, row["state"], row["state"], "", False, data)


def _clock_event(pk: int, row: dict[str, Any], kind: ClockKind, breached: bool, now: datetime) -> ClockEvent:
    return ClockEvent(
        event_id=pk,
        kind=EventKind.CLOCK_BREACHED if breached else EventKind.CLOCK_WARNING,
        at=now,
        clock=str(kind),
        ticket_id=row["id"],
        organisation_id=row["organisation_id"],
        number=row["number"],
        request_type=row["request_type"],
        routed_role=row["routed_role"],
        assignee_id=row["assignee_id"],
    )
