"""152-ФЗ: urgent flags, anonymisation on request or after the retention period."""

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from opora.domain.enums import State

from ..models import EventKind, Ticket, TicketEvent
from ._core import lock, record

ANONYMOUS = "обезличено"
PERSONAL_FIELDS = ("author_name", "phone", "email", "description", "reply_text", "consent_ip")


def flag_urgent(ticket: Ticket, *, signals: list[str], now: datetime) -> Ticket:
    """Risk words in a psychologist request: to the top of the queues, the psychologist and head told at once.
    The author never sees this judgement."""
    with transaction.atomic():
        ticket = lock(ticket)
        if ticket.urgent:
            return ticket
        ticket.urgent = True
        ticket.save(update_fields=["urgent", "updated_at"])
        record(
            ticket,
            EventKind.FLAGGED_URGENT,
            at=now,
            actor_label="сигналы риска",
            states=(State(ticket.state), State(ticket.state)),
            internal=True,
            data={"signals": signals},
        )
    return ticket


def anonymise(ticket: Ticket, *, now: datetime, rule: str, actor: User | None = None) -> dict[str, Any]:
    """Personal fields are replaced; type, role, class, channel, times and clocks stay for the statistics."""
    with transaction.atomic():
        ticket = lock(ticket)
        if ticket.anonymised_at is not None:
            return {}
        destroyed = [name for name in PERSONAL_FIELDS if getattr(ticket, name)]
        TicketEvent.objects.filter(ticket=ticket, actor_label=ticket.author_name).update(actor_label=ANONYMOUS)
        ticket.author_name = ANONYMOUS
        ticket.phone = ""
        ticket.email = ""
        ticket.description = ANONYMOUS
        ticket.reply_text = ANONYMOUS if ticket.reply_text else ""
        ticket.consent_ip = None
        ticket.anonymised_at = now
        # The contact check requires one of phone or e-mail; an anonymised request keeps a placeholder.
        ticket.email = "anonymised@invalid"
        ticket.save()
        notes = TicketEvent.objects.filter(ticket=ticket).exclude(note="")
        notes_count = notes.update(note=ANONYMOUS)
        attachments = _delete_attachments(ticket)
        record(
            ticket,
            EventKind.ANONYMISED,
            at=now,
            actor=actor,
            actor_label="" if actor else "срок хранения",
            states=(State(ticket.state), State(ticket.state)),
            note=rule,
            data={"fields": destroyed, "notes": notes_count, "attachments": attachments},
        )
    return {
        "number": ticket.number,
        "received_at": ticket.received_at.isoformat(),
        "fields": destroyed,
        "notes": notes_count,
        "attachments": attachments,
    }


def _delete_attachments(ticket: Ticket) -> int:
    from opora.intake.models import Attachment

    items = list(Attachment.objects.filter(ticket=ticket))
    for item in items:
        item.file.delete(save=False)
        item.delete()
    return len(items)
