"""The deadline watcher's writes: a warning before each deadline and the breach after it."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection, transaction

from opora.accounts.models import Organisation
from opora.domain.clocks import ClockPolicy
from opora.domain.enums import OPEN_STATES, ClockKind, State

from ..models import EventKind, Ticket, TicketEvent
from ._core import record, record_many, refresh_watch


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


def _save_marks(tickets: list[Ticket]) -> None:
    """One UPDATE for the whole batch: every row gets one new version, whatever number of clocks moved."""
    fields = ["watch_at", *_STAMPS]
    if connection.vendor != "postgresql":
        Ticket.objects.bulk_update(tickets, fields)
        return
    row = "(%s, " + ", ".join(["%s::timestamptz"] * len(fields)) + ")"
    params: list[Any] = [value for t in tickets for value in (t.pk, *(getattr(t, f) for f in fields))]
    assignments = ", ".join(f"{f} = v.{f}" for f in fields)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Ticket._meta.db_table} AS t SET {assignments} "  # noqa: S608 (names from the model, values bound)
            f"FROM (VALUES {', '.join([row] * len(tickets))}) AS v(id, {', '.join(fields)}) WHERE t.id = v.id",
            params,
        )


def check_due(now: datetime, limit: int) -> tuple[int, list[ClockNews]]:
    """One batch of due requests in one transaction: claimed with SKIP LOCKED (so copies of the watcher
    split the work), updated with one statement and their events written with one INSERT."""
    with transaction.atomic():
        tickets = list(
            Ticket.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(watch_at__isnull=False, watch_at__lte=now)
            .order_by("watch_at")[:limit]
        )
        if not tickets:
            return 0, []
        schools = Organisation.objects.in_bulk({t.organisation_id for t in tickets})
        policies = {pk: school.clock_policy() for pk, school in schools.items()}
        events: list[TicketEvent] = []
        found: list[ClockNews] = []
        for ticket in tickets:
            ticket.organisation = schools[ticket.organisation_id]
            if ticket.state not in OPEN_STATES:
                ticket.watch_at = None
                continue
            news = _mark(ticket, now, policies[ticket.organisation_id])
            for kind, breached in news:
                fields = _event_fields(ticket, kind, breached, now)
                before, after = fields.pop("states")
                events.append(TicketEvent(ticket=ticket, from_state=before, to_state=after, **fields))
            found += _news(ticket, news)
        _save_marks(tickets)
        record_many(events)
    return len(tickets), found
