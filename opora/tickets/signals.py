from datetime import datetime
from typing import NamedTuple

from django.dispatch import Signal

from .models import EventKind

# Sent inside the transaction that wrote the event, so receivers (the notification
# outbox) write their rows atomically with the change. Arguments: event, context.
event_recorded = Signal()


class ClockEvent(NamedTuple):
    """A warning or breach a sweep wrote, with what its staff mail needs to know of the request."""

    event_id: int
    kind: EventKind
    at: datetime
    clock: str
    ticket_id: int
    organisation_id: int
    number: str
    request_type: str
    routed_role: str
    assignee_id: int | None


# The watcher's batch of warnings and breaches, written with one statement. Argument: events (ClockEvent).
clocks_recorded = Signal()
