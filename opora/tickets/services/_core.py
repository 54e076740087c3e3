"""Shared steps of every service: lock, check the move, keep the watcher's column, write the event."""

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User

from opora.common.rows import insert
from opora.domain.clocks import ClockPolicy, next_watch_at
from opora.domain.enums import ClockKind, State
from opora.domain.states import Action, IllegalTransition, next_state

from .. import access
from ..models import EventKind, Ticket, TicketEvent, TicketWatch
from ..signals import event_recorded
from .errors import ServiceError

Actor = User | None


def lock(ticket: Ticket) -> Ticket:
    """Re-read the row under a lock so two people can't act on a stale copy.

    The watch row is written only under its request's lock (by services and by the deadline watcher, which
    skips requests locked by someone else), so once the request is locked its watch row can be read plainly:
    it is the last one committed and stays so until this transaction ends."""
    locked = Ticket.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=ticket.pk)
    locked.watch = TicketWatch.objects.get(pk=ticket.pk)
    return locked


def advance(ticket: Ticket, actor: Actor, action: Action) -> tuple[State, State]:
    before = State(ticket.state)
    try:
        after = next_state(before, action)
    except IllegalTransition as exc:
        raise ServiceError(
            "Это действие недоступно для обращения в состоянии «%(state)s».",
            code="illegal_transition",
            params={"state": ticket.get_state_display()},
        ) from exc
    access.require(actor, action, ticket)
    ticket.state = after
    return before, after


def watch_of(ticket: Ticket) -> TicketWatch:
    """The request's watch row as `lock` read it; a new request's is made by its first `refresh_watch`."""
    try:
        return ticket.watch
    except TicketWatch.DoesNotExist:
        return TicketWatch(ticket=ticket)


def refresh_watch(ticket: Ticket, policy: ClockPolicy | None = None) -> None:
    """Moves the watcher's next look to what the clocks now need and writes the watch row (a new request
    must be saved first)."""
    watch = watch_of(ticket)
    warned = {k for k in ClockKind if getattr(watch, f"{k}_warned_at") is not None}
    breached = {k for k in ClockKind if getattr(watch, f"{k}_breached_at") is not None}
    policy = policy or ticket.organisation.clock_policy()
    watch.watch_at = next_watch_at(ticket.clocks(), warned, breached, policy)
    if watch._state.adding:
        insert(watch)
    else:
        watch.save()


def clear_clock(ticket: Ticket, kind: ClockKind, due_at: datetime | None = None) -> None:
    """Starts a clock afresh: a new deadline, nothing met, warned or breached yet."""
    setattr(ticket, f"{kind}_due_at", due_at)
    setattr(ticket, f"{kind}_met_at", None)
    forget_warnings(ticket, kind)


def forget_warnings(ticket: Ticket, kind: ClockKind) -> None:
    watch = watch_of(ticket)
    setattr(watch, f"{kind}_warned_at", None)
    setattr(watch, f"{kind}_breached_at", None)


def record(
    ticket: Ticket,
    kind: EventKind,
    *,
    at: datetime,
    actor: Actor = None,
    actor_label: str = "",
    states: tuple[State, State] | None = None,
    note: str = "",
    internal: bool = False,
    data: dict[str, Any] | None = None,
    context: dict[str, Any] | None = None,
) -> TicketEvent:
    if not actor_label and actor is not None:
        actor_label = actor.get_full_name() or actor.get_username()  # type: ignore[attr-defined]
    before, after = states if states else ("", "")
    event = TicketEvent(
        ticket=ticket,
        at=at,
        actor=actor,
        actor_label=actor_label,
        kind=kind,
        from_state=before,
        to_state=after,
        note=note,
        internal=internal,
        data=data or {},
    )
    insert(event)
    event_recorded.send(sender=TicketEvent, event=event, context=context or {})
    return event
