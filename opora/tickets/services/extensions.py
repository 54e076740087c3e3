from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction

from opora.domain.enums import ClockKind
from opora.domain.states import Action

from ..models import EventKind, Extension, ExtensionState, Ticket
from ._core import advance, forget_warnings, lock, record, refresh_watch
from .errors import ServiceError


def request_extension(
    ticket: Ticket,
    *,
    actor: User,
    reason: str,
    proposed_due_at: datetime,
    now: datetime,
) -> Extension:
    if not reason.strip():
        raise ServiceError({"reason": "Укажите причину продления."})
    with transaction.atomic():
        ticket = lock(ticket)
        states = advance(ticket, actor, Action.REQUEST_EXTENSION)
        if ticket.resolve_due_at and proposed_due_at <= max(now, ticket.resolve_due_at):
            raise ServiceError({"proposed_due_at": "Новый срок должен быть позже текущего."})
        if ticket.extensions.filter(state=ExtensionState.PENDING).exists():
            raise ServiceError({"reason": "Предыдущий запрос на продление ещё не рассмотрен."})
        extension = Extension.objects.create(
            ticket=ticket,
            requested_by=actor,
            requested_at=now,
            reason=reason.strip(),
            proposed_due_at=proposed_due_at,
        )
        record(
            ticket,
            EventKind.EXTENSION_REQUESTED,
            at=now,
            actor=actor,
            states=states,
            note=reason.strip(),
            data={"extension": extension.pk, "proposed_due_at": proposed_due_at.isoformat()},
        )
    return extension


def decide_extension(
    extension: Extension,
    *,
    actor: User,
    approve: bool,
    now: datetime,
    due_at: datetime | None = None,
    comment: str = "",
) -> Extension:
    """Only the head's approval moves the resolution deadline (§3.2.2)."""
    with transaction.atomic():
        extension = Extension.objects.select_for_update().get(pk=extension.pk)
        if extension.state != ExtensionState.PENDING:
            raise ServiceError("Этот запрос уже рассмотрен.", code="decided")
        ticket = lock(extension.ticket)
        states = advance(ticket, actor, Action.DECIDE_EXTENSION)
        extension.decided_by = actor
        extension.decided_at = now
        extension.comment = comment.strip()
        data: dict[str, object] = {"extension": extension.pk}
        if approve:
            new_due = due_at or extension.proposed_due_at
            if new_due <= now:
                raise ServiceError({"due_at": "Новый срок должен быть в будущем."})
            extension.state = ExtensionState.APPROVED
            extension.approved_due_at = new_due
            data.update(previous_due_at=ticket.resolve_due_at.isoformat() if ticket.resolve_due_at else None)
            data.update(due_at=new_due.isoformat())
            ticket.resolve_due_at = new_due
            ticket.resolve_extended = True
            forget_warnings(ticket, ClockKind.RESOLVE)
            refresh_watch(ticket)
            ticket.save()
            kind = EventKind.EXTENSION_APPROVED
        else:
            extension.state = ExtensionState.REJECTED
            kind = EventKind.EXTENSION_REJECTED
        extension.save()
        record(ticket, kind, at=now, actor=actor, states=states, note=comment.strip(), data=data)
    return extension
