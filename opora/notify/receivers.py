"""Turns timeline events into outbox rows, inside the transaction that wrote the event."""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.dispatch import receiver
from django.urls import reverse

from opora.accounts.models import Membership
from opora.domain.enums import DISPATCHER_ROLES, RequestType, ServiceRole
from opora.tickets.models import EventKind, Ticket, TicketEvent
from opora.tickets.signals import event_recorded

from . import kinds
from .models import Outbox, Preference
from .outbox import held, queue, queue_for_roles, queue_for_staff, queue_together, wants
from .people import handlers, holders


def _links(ticket: Ticket, token: str = "") -> dict[str, str]:
    links = {"staff_url": settings.SITE_URL + reverse("desk:ticket", args=[ticket.number])}
    if token:
        links["status_url"] = settings.SITE_URL + reverse("intake:status", args=[token])
    return links


def _to_author(kind: str, event: TicketEvent, extra: dict[str, Any] | None = None) -> None:
    ticket = event.ticket
    if not ticket.email:
        return
    queue(
        kind,
        organisation=ticket.organisation,
        recipient=ticket.email,
        dedupe_key=f"{kind}:{event.pk}",
        context={"event": event, **(extra or {})},
        now=event.at,
        ticket=ticket,
    )


def _may_read(ticket: Ticket, people: list[Any]) -> bool:
    """Psychologist requests' words go only to psychologists and the head."""
    if ticket.request_type != RequestType.PSYCHOLOGIST:
        return True
    confidants = set(
        Membership.objects.filter(
            organisation=ticket.organisation, role__in=[ServiceRole.PSYCHOLOGIST, ServiceRole.HEAD], is_active=True
        ).values_list("user_id", flat=True)
    )
    return all(person.pk in confidants for person in people)


def to_staff(
    kind: str,
    people: list[Any],
    event: TicketEvent,
    extra: dict[str, Any] | None = None,
    *,
    claimed_at: datetime | None = None,
) -> list[Outbox]:
    """`claimed_at`: written for the worker that calls it to send at once (see `outbox.queue_for_staff`); else
    queued for a task of their own. Returns the messages new now."""
    ticket = event.ticket
    context = {
        "event": event,
        "content": _may_read(ticket, people),
        **_links(ticket),
        **(extra or {}),
    }
    return queue_for_staff(
        kind,
        people,
        organisation=ticket.organisation,
        key=f"{kind}:{event.pk}",
        context=context,
        now=event.at,
        ticket=ticket,
        claimed_at=claimed_at,
    )


def to_staff_together(kind: str, people: list[Any], events: list[TicketEvent], now: datetime) -> list[Outbox]:
    """Several requests' news of one kind to the same people (fan-outs that waited together): one message each,
    listing the requests, for those who take this kind at once; a held message for each request, as ever, for
    those who take it as their own digest. Returns the messages new now."""
    if not events:
        return []
    preferences = {p.user_id: p for p in Preference.objects.filter(user__in=people)}
    told = [person for person in people if wants(person, kind, preferences)]
    keeping = [person for person in told if held(kind, preferences.get(person.pk))]
    for event in events if keeping else []:
        to_staff(kind, keeping, event)
    due = "dispatch_due_at" if kind == kinds.DISPATCH_NEW else "take_due_at"
    items = [
        {
            "number": event.ticket.number,
            "type": event.ticket.get_request_type_display(),
            "due_at": getattr(event.ticket, due),
            "url": _links(event.ticket)["staff_url"],
        }
        for event in events
    ]
    context = {"kind": kind, "items": items, "desk_url": settings.SITE_URL + reverse("desk:home")}
    return queue_together(
        kind,
        [person for person in told if person not in keeping],
        events,
        context,
        organisation=events[0].ticket.organisation,
        now=now,
    )


def _received(event: TicketEvent, context: dict[str, Any]) -> None:
    ticket = event.ticket
    if ticket.email:  # most families leave a phone only: no receipt, so no links to build for it
        _to_author(kinds.AUTHOR_RECEIPT, event, _links(ticket, context.get("status_token", "")))
    if ticket.request_type != RequestType.PSYCHOLOGIST and not ticket.organisation.auto_routing:
        queue_for_roles(kinds.DISPATCH_NEW, sorted(DISPATCHER_ROLES), event, event.at)


def _to_handlers(kind: str, event: TicketEvent, extra: dict[str, Any] | None = None) -> None:
    """The assignee at once; a whole role through the worker (see `queue_for_roles`)."""
    ticket = event.ticket
    if ticket.assignee_id is None and ticket.routed_role:
        queue_for_roles(kind, [ticket.routed_role], event, event.at, extra)
    else:
        to_staff(kind, handlers(ticket), event, extra)


def _clock(event: TicketEvent, warning: bool) -> None:
    ticket, clock = event.ticket, event.data.get("clock", "")
    if clock == "dispatch":
        people = holders(ticket.organisation, *DISPATCHER_ROLES)
        kind = kinds.DISPATCH_WARNING if warning else kinds.STAFF_BREACH
    else:
        people = handlers(ticket)
        kind = kinds.STAFF_WARNING if warning else kinds.STAFF_BREACH
    to_staff(kind, people, event, {"clock": clock})


def _dispatch(event: TicketEvent, context: dict[str, Any]) -> None:
    ticket = event.ticket
    match event.kind:
        case EventKind.RECEIVED:
            _received(event, context)
        case EventKind.ROUTED | EventKind.REASSIGNED:
            _to_handlers(kinds.STAFF_ROUTED, event)
        case EventKind.RETURNED:
            to_staff(kinds.DISPATCH_NEW, holders(ticket.organisation, *DISPATCHER_ROLES), event, {"returned": True})
        case EventKind.AUTHOR_MESSAGE:
            to_staff(kinds.STAFF_AUTHOR_MESSAGE, handlers(ticket), event)
        case EventKind.CONTACT if event.data.get("outcome") == "email_sent":
            _to_author(kinds.AUTHOR_QUESTION, event)
        case EventKind.RESOLVED if event.data.get("channel") == "email":
            _to_author(kinds.AUTHOR_ANSWER, event)
        case EventKind.REOPENED:
            _to_author(kinds.AUTHOR_REOPENED, event)
            _to_handlers(kinds.STAFF_ROUTED, event, {"reopened": True})
        case EventKind.EXTENSION_REQUESTED:
            to_staff(kinds.HEAD_EXTENSION, holders(ticket.organisation, ServiceRole.HEAD), event)
        case EventKind.FLAGGED_URGENT:
            people = holders(ticket.organisation, ServiceRole.PSYCHOLOGIST, ServiceRole.HEAD)
            to_staff(kinds.URGENT, people, event)
        case EventKind.CLOCK_WARNING:
            _clock(event, warning=True)
        case EventKind.CLOCK_BREACHED:
            _clock(event, warning=False)


@receiver(event_recorded)
def on_event(sender: Any, event: TicketEvent, context: dict[str, Any], **kwargs: Any) -> None:
    _dispatch(event, context)


def failed_message(row: Outbox, now: datetime) -> None:
    """The head learns of every message that could not be delivered, so nobody waits for a lost answer."""
    if row.kind == kinds.HEAD_FAILED:
        return
    people = holders(row.organisation, ServiceRole.HEAD)
    queue_for_staff(
        kinds.HEAD_FAILED,
        people,
        organisation=row.organisation,
        key=f"failed:{row.pk}",
        context={"failed": row, "list_url": settings.SITE_URL + reverse("notify:failed")},
        now=now,
        ticket=row.ticket,
    )
