from typing import Any

from django.dispatch import receiver

from opora.domain.enums import RequestType
from opora.tickets.models import EventKind, TicketEvent
from opora.tickets.services.privacy import flag_urgent
from opora.tickets.signals import event_recorded

from .risk import matches, phrases


@receiver(event_recorded)
def flag_risk(sender: Any, event: TicketEvent, context: dict[str, Any], **kwargs: Any) -> None:
    ticket = event.ticket
    if event.kind != EventKind.RECEIVED or ticket.request_type != RequestType.PSYCHOLOGIST:
        return
    found = matches(ticket.description, phrases(ticket.organisation))
    if found:
        flag_urgent(ticket, signals=found, now=event.at)
