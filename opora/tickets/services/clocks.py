"""The deadline watcher's writes: a warning before each deadline and the breach after it."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection, transaction

from opora.accounts.models import Organisation
from opora.common.rows import insert_rows
from opora.domain.clocks import Clock, ClockPolicy, next_watch_at
from opora.domain.enums import OPEN_STATES, ClockKind, State

from ..models import EventKind, Ticket, TicketEvent
from ..signals import ClockEvent, clocks_recorded
from ._core import record, refresh_watch


@dataclass(frozen=True)
class ClockNews:
    ticket_id: int
    organisation_id: int
    kind: ClockKind
    breached: bool
    due_at: datetime


def _due_news(ticket: Ticket, now: datetime, policy: ClockPolicy | None = None) -> list[tuple[ClockKind, bool]]:
    policy = policy or ticket.organisation.clock_policy()
    news: list[tuple[ClockKind, bool]] = []
    for kind in ClockKind:
        due = getattr(ticket, f"{kind}_due_at")
        if due is None or getattr(ticket, f"{kind}_met_at") is not None:
            continue
        if getattr(ticket, f"{kind}_warned_at") is None and policy.warn_at(kind, due) <= now:
            news.append((kind, False))
        if getattr(ticket, f"{kind}_breached_at") is None and due < now:
            news.append((kind, True))
    return news


def check_clocks(ticket_id: int, now: datetime) -> list[ClockNews]:
    """Records what is due for one request. Safe to run in many copies: the row is locked and re-read,
    and a warning or breach already recorded is never recorded again."""
    with transaction.atomic():
        ticket = (
            Ticket.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("organisation")
            .filter(pk=ticket_id, watch_at__lte=now)
            .first()
        )
        if ticket is None:
            return []
        if ticket.state not in OPEN_STATES:
            ticket.watch_at = None
            ticket.save(update_fields=["watch_at"])
            return []
        news = _mark(ticket, now)
        ticket.save()
        for kind, breached in news:
            record(ticket, **_event_fields(ticket, kind, breached, now))
    return _news(ticket, news)


def _mark(ticket: Ticket, now: datetime, policy: ClockPolicy | None = None) -> list[tuple[ClockKind, bool]]:
    news = _due_news(ticket, now, policy)
    for kind, breached in news:
        setattr(ticket, f"{kind}_{'breached' if breached else 'warned'}_at", now)
        # A breach found without its warning (the watcher was down) implies the warning.
        if breached and getattr(ticket, f"{kind}_warned_at") is None:
            setattr(ticket, f"{kind}_warned_at", now)
    refresh_watch(ticket, policy)
    return news


def _event_fields(ticket: Ticket, kind: ClockKind, breached: bool, now: datetime) -> dict[str, Any]:
    return {
        "kind": EventKind.CLOCK_BREACHED if breached else EventKind.CLOCK_WARNING,
        "at": now,
        "actor_label": "контроль сроков",
        "states": (State(ticket.state), State(ticket.state)),
        "data": {"clock": str(kind), "due_at": getattr(ticket, f"{kind}_due_at").isoformat()},
    }


def _news(ticket: Ticket, news: list[tuple[ClockKind, bool]]) -> list[ClockNews]:
    return [
        ClockNews(ticket.pk, ticket.organisation_id, kind, breached, getattr(ticket, f"{kind}_due_at"))
        for kind, breached in news
    ]


_STAMPS = [f"{k}_{s}_at" for k in ClockKind for s in ("warned", "breached")]
_FACTS = ["id", "organisation_id", "state", "number", "request_type", "routed_role", "assignee_id"]
_CLOCK_COLUMNS = [f"{k}_{s}_at" for k in ClockKind for s in ("due", "met", "warned", "breached")]
_EVENT_FIELDS = [
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
    Each mark is (id, watch_at, *stamps); only open requests are ever claimed, so only they are touched."""
    fields = ["watch_at", *_STAMPS]
    table = Ticket._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            assignments = ", ".join(f"{f} = %s" for f in fields)
            cursor.executemany(
                f"UPDATE {table} SET {assignments} WHERE id = %s",  # noqa: S608 (names from the model, values bound)
                [(*mark[1:], mark[0]) for mark in marks],
            )
            return
        # One array per column: a single statement whatever the batch, with no 65,535-parameter limit.
        casts = ", ".join(["%s::timestamptz[]"] * len(fields))
        assignments = ", ".join(f"{f} = v.{f}" for f in fields)
        cursor.execute(
            f"UPDATE {table} AS t SET {assignments} "  # noqa: S608 (names from the model, values bound)
            f"FROM unnest(%s::bigint[], {casts}) AS v(id, {', '.join(fields)}) WHERE t.id = v.id",
            [list(column) for column in zip(*marks, strict=True)],
        )


def _claim(now: datetime, limit: int) -> list[dict[str, Any]]:
    """Only the columns the clocks and the mail need, as plain values: no model instance per row."""
    rows = (
        Ticket.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(watch_at__isnull=False, watch_at__lte=now, state__in=OPEN_STATES)
        .order_by("watch_at")
        .values_list(*_FACTS, *_CLOCK_COLUMNS)[:limit]
    )
    names = [*_FACTS, *_CLOCK_COLUMNS]
    return [dict(zip(names, row, strict=True)) for row in rows]


def _due(row: dict[str, Any], now: datetime, policy: ClockPolicy) -> list[tuple[ClockKind, bool]]:
    """Marks what has come due on the row (a breach found without its warning implies the warning) and
    moves its watch to the next moment."""
    news: list[tuple[ClockKind, bool]] = []
    for kind in ClockKind:
        due, warned, breached = f"{kind}_due_at", f"{kind}_warned_at", f"{kind}_breached_at"
        if row[due] is None or row[f"{kind}_met_at"] is not None:
            continue
        if row[warned] is None and policy.warn_at(kind, row[due]) <= now:
            news.append((kind, False))
        if row[breached] is None and row[due] < now:
            news.append((kind, True))
            row[breached] = now
        if row[warned] is None and news and news[-1][0] == kind:
            row[warned] = now
    clocks = [Clock(kind, row[f"{kind}_due_at"], row[f"{kind}_met_at"]) for kind in ClockKind]
    warned_kinds = {k for k in ClockKind if row[f"{k}_warned_at"] is not None}
    breached_kinds = {k for k in ClockKind if row[f"{k}_breached_at"] is not None}
    row["watch_at"] = next_watch_at(clocks, warned_kinds, breached_kinds, policy)
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
        ids = insert_rows(TicketEvent, _EVENT_FIELDS, [_event_row(row, kind, b, now) for row, kind, b in planned])
        clocks_recorded.send(
            sender=TicketEvent,
            events=[_clock_event(pk, row, kind, b, now) for pk, (row, kind, b) in zip(ids, planned, strict=True)],
        )
    return len(rows), found


def _event_row(row: dict[str, Any], kind: ClockKind, breached: bool, now: datetime) -> tuple[Any, ...]:
    event = EventKind.CLOCK_BREACHED if breached else EventKind.CLOCK_WARNING
    data = {"clock": str(kind), "due_at": row[f"{kind}_due_at"].isoformat()}
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
