"""The deadline watcher's writes: a warning before each deadline and the breach after it."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from opora.domain.enums import OPEN_STATES, ClockKind, State

from ..models import EventKind, Ticket
from ._core import record, refresh_watch


@dataclass(frozen=True)
class ClockNews:
    ticket_id: int
    organisation_id: int
    kind: ClockKind
    breached: bool
    due_at: datetime


def _due_news(ticket: Ticket, now: datetime) -> list[tuple[ClockKind, bool]]:
    policy = ticket.organisation.clock_policy()
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
        news = _due_news(ticket, now)
        for kind, breached in news:
            setattr(ticket, f"{kind}_{'breached' if breached else 'warned'}_at", now)
            # A breach found without its warning (the watcher was down) implies the warning.
            if breached and getattr(ticket, f"{kind}_warned_at") is None:
                setattr(ticket, f"{kind}_warned_at", now)
        refresh_watch(ticket)
        ticket.save()
        for kind, breached in news:
            record(
                ticket,
                EventKind.CLOCK_BREACHED if breached else EventKind.CLOCK_WARNING,
                at=now,
                actor_label="контроль сроков",
                states=(State(ticket.state), State(ticket.state)),
                data={"clock": str(kind), "due_at": getattr(ticket, f"{kind}_due_at").isoformat()},
            )
    return [
        ClockNews(ticket.pk, ticket.organisation_id, kind, breached, getattr(ticket, f"{kind}_due_at"))
        for kind, breached in news
    ]
