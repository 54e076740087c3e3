"""The deadline watcher's writes: a warning before each deadline and the breach after it."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import BooleanField, ExpressionWrapper, Q

from opora.accounts.models import Organisation
from opora.common.rows import Json, insert_rows
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
_DUE = [f"{k}_due_at" for k in ClockKind]
# Whether each clock is met, warned or breached: the claim reads flags, not timestamps, because turning
# each timestamp into a Python datetime costs more than the rest of the row.
_FLAGS = {f"{k}_{s}": Q(**{f"{k}_{s}_at__isnull": False}) for k in ClockKind for s in ("met", "warned", "breached")}
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
    table = Ticket._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            stamps = ", ".join(f"{f} = COALESCE({f}, %s)" for f in _STAMPS)
            cursor.executemany(
                f"UPDATE {table} SET watch_at = %s, {stamps} WHERE id = %s",  # noqa: S608 (names from the model)
                [(*mark[1:], mark[0]) for mark in marks],
            )
            return
        # One array per column: a single statement whatever the batch, with no 65,535-parameter limit.
        fields = ["watch_at", *_STAMPS]
        casts = ", ".join(["%s::timestamptz[]"] * len(fields))
        stamps = ", ".join(f"{f} = COALESCE(t.{f}, v.{f})" for f in _STAMPS)
        cursor.execute(
            f"UPDATE {table} AS t SET watch_at = v.watch_at, {stamps} "  # noqa: S608 (names from the model)
            f"FROM unnest(%s::bigint[], {casts}) AS v(id, {', '.join(fields)}) WHERE t.id = v.id",
            [list(column) for column in zip(*marks, strict=True)],
        )


def _claim(now: datetime, limit: int) -> list[dict[str, Any]]:
    """Only what the clocks and the mail need, as plain values: no model instance per row."""
    flags = {name: ExpressionWrapper(q, output_field=BooleanField()) for name, q in _FLAGS.items()}
    rows = (
        Ticket.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(watch_at__isnull=False, watch_at__lte=now, state__in=OPEN_STATES)
        .order_by("watch_at")
        .annotate(**flags)
        .values_list(*_FACTS, *_DUE, *flags)[:limit]
    )
    names = [*_FACTS, *_DUE, *flags]
    return [dict(zip(names, row, strict=True)) for row in rows]


# Each clock's keys in a claimed row, spelled once rather than for every row.
_KEYS = [
    (k, f"{k}_due_at", f"{k}_met", f"{k}_warned", f"{k}_breached", f"{k}_warned_at", f"{k}_breached_at")
    for k in ClockKind
]


def _due(row: dict[str, Any], now: datetime, policy: ClockPolicy) -> list[tuple[ClockKind, bool]]:
    """Stamps what has come due on the row (a breach found without its warning implies the warning) and
    moves its watch to the next moment."""
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
        if warn:
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
