"""What the author sees on the status page: plain words, times, and the answer when it was written."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from opora.domain.enums import ReplyChannel, ServiceRole, State
from opora.tickets.labels import REQUEST_TYPE, SERVICE_ROLE
from opora.tickets.models import EventKind, Ticket

_VISIBLE = {
    EventKind.RECEIVED,
    EventKind.ROUTED,
    EventKind.TAKEN,
    EventKind.RESOLVED,
    EventKind.REOPENED,
    EventKind.AUTHOR_MESSAGE,
    EventKind.WITHDRAWN,
}


@dataclass(frozen=True)
class Step:
    at: datetime
    text: str


def _step_text(kind: str, data: dict[str, Any]) -> str:
    if kind == EventKind.RECEIVED:
        return _("Обращение получено")
    if kind == EventKind.ROUTED:
        role = SERVICE_ROLE.get(ServiceRole(data["role"])) if data.get("role") else ""
        return _("Передано специалисту: %(role)s") % {"role": role}
    if kind == EventKind.TAKEN:
        return _("Специалист взял обращение в работу")
    if kind == EventKind.RESOLVED:
        return _("Дан ответ")
    if kind == EventKind.REOPENED:
        return _("Обращение открыто повторно")
    if kind == EventKind.AUTHOR_MESSAGE:
        return _("Вы дополнили обращение")
    return _("Обращение закрыто")


def plain_state(ticket: Ticket) -> str:
    if ticket.state == State.ROUTED:
        return _("передано специалисту: %(role)s") % {"role": SERVICE_ROLE[ServiceRole(ticket.routed_role)]}
    return {
        State.RECEIVED: _("получено, ждёт распределения"),
        State.IN_WORK: _("в работе"),
        State.RESOLVED: _("дан ответ"),
        State.WITHDRAWN: _("закрыто"),
    }[State(ticket.state)]


def status_context(ticket: Ticket, now: datetime) -> dict[str, Any]:
    events = ticket.events.filter(kind__in=_VISIBLE, internal=False).only("at", "kind", "data")
    steps = [Step(at=e.at, text=_step_text(e.kind, e.data)) for e in events]
    show_answer = ticket.state == State.RESOLVED and ticket.reply_channel == ReplyChannel.EMAIL
    return {
        "ticket": ticket,
        "school": ticket.organisation,
        "type_label": REQUEST_TYPE[ticket.request_type],  # type: ignore[index]
        "state_label": plain_state(ticket),
        "steps": steps,
        "show_answer": show_answer,
        "answered_by_phone": ticket.state == State.RESOLVED and ticket.reply_channel == ReplyChannel.PHONE,
        "can_clarify": ticket.state != State.WITHDRAWN,
    }
