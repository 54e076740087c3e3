from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction

from opora.domain.enums import ContactOutcome, ReplyChannel, State
from opora.domain.states import Action, IllegalTransition, next_state

from ..models import EventKind, Ticket
from ._core import advance, lock, record, refresh_watch
from .errors import ServiceError


def log_contact(
    ticket: Ticket,
    *,
    actor: User,
    outcome: ContactOutcome,
    note: str,
    now: datetime,
) -> Ticket:
    """§3.2.1: a call to the author, or a question sent by e-mail (queued to the author)."""
    if outcome == ContactOutcome.EMAIL_SENT:
        if not ticket.email:
            raise ServiceError({"outcome": "У автора нет адреса электронной почты."})
        if not note.strip():
            raise ServiceError({"note": "Напишите вопрос автору."})
    with transaction.atomic():
        ticket = lock(ticket)
        states = advance(ticket, actor, Action.LOG_CONTACT)
        ticket.save(update_fields=["updated_at"])
        record(
            ticket,
            EventKind.CONTACT,
            at=now,
            actor=actor,
            states=states,
            note=note.strip(),
            data={"outcome": str(outcome)},
        )
    return ticket


def add_note(ticket: Ticket, *, actor: User, text: str, now: datetime) -> Ticket:
    if not text.strip():
        raise ServiceError({"text": "Заметка пуста."})
    with transaction.atomic():
        ticket = lock(ticket)
        states = advance(ticket, actor, Action.NOTE)
        record(ticket, EventKind.NOTE, at=now, actor=actor, states=states, note=text.strip(), internal=True)
    return ticket


def author_message(ticket: Ticket, *, text: str, now: datetime, recorded_by: User | None = None) -> Ticket:
    """A clarification from the author: on the status page, or a repeat call the hotline recorded.

    It reaches whoever holds the request.
    """
    text = text.strip()
    if not text:
        raise ServiceError({"text": "Напишите сообщение."})
    if len(text) > 4000:
        raise ServiceError({"text": "Сообщение длиннее 4000 символов."})
    with transaction.atomic():
        ticket = lock(ticket)
        try:
            next_state(State(ticket.state), Action.AUTHOR_MESSAGE)
        except IllegalTransition as exc:
            raise ServiceError({"text": "Это обращение закрыто, дополнить его нельзя."}) from exc
        record(
            ticket,
            EventKind.AUTHOR_MESSAGE,
            at=now,
            actor=recorded_by,
            actor_label=ticket.author_name,
            states=(State(ticket.state), State(ticket.state)),
            note=text,
            data={"via": "hotline" if recorded_by else "status_page"},
        )
    return ticket


def resolve(
    ticket: Ticket,
    *,
    actor: User,
    channel: ReplyChannel,
    text: str,
    now: datetime,
    called_at: datetime | None = None,
) -> Ticket:
    """§3.2.3: the answer is given orally by phone, or sent by e-mail."""
    if channel == ReplyChannel.PHONE and not ticket.phone:
        raise ServiceError({"channel": "У автора нет телефона: ответьте по электронной почте."})
    if channel == ReplyChannel.EMAIL and not ticket.email:
        raise ServiceError({"channel": "У автора нет электронной почты: ответьте по телефону."})
    if not text.strip():
        raise ServiceError({"text": "Напишите ответ или его краткое содержание."})
    if called_at is not None and called_at > now:
        raise ServiceError({"called_at": "Время звонка не может быть в будущем."})
    with transaction.atomic():
        ticket = lock(ticket)
        states = advance(ticket, actor, Action.RESOLVE)
        ticket.reply_channel = channel
        ticket.reply_text = text.strip()
        ticket.resolved_at = now
        ticket.resolve_met_at = now
        refresh_watch(ticket)
        ticket.save()
        record(
            ticket,
            EventKind.RESOLVED,
            at=now,
            actor=actor,
            states=states,
            note=text.strip(),
            data={
                "channel": str(channel),
                "called_at": called_at.isoformat() if called_at else None,
                "preferred": ticket.preferred_reply,
            },
        )
    return ticket
