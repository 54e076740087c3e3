from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction

from opora.accounts.models import Membership
from opora.domain.enums import ClockKind, ServiceRole, State, WithdrawReason
from opora.domain.states import Action

from ..models import EventKind, Ticket
from ._core import Actor, advance, clear_clock, lock, record, refresh_watch
from .errors import ServiceError


def _check_assignee(ticket: Ticket, role: ServiceRole, assignee: User | None) -> None:
    if assignee is None:
        return
    holds = Membership.objects.filter(
        user=assignee, organisation=ticket.organisation, role=role, is_active=True
    ).exists()
    if not holds:
        raise ServiceError({"assignee": "Этот сотрудник не исполняет выбранную роль в Службе."}, code="bad_assignee")


def _hand_to(ticket: Ticket, role: ServiceRole, assignee: User | None, now: datetime) -> None:
    ticket.routed_role = role
    ticket.assignee = assignee
    ticket.routed_at = now
    ticket.taken_at = None
    clear_clock(ticket, ClockKind.TAKE, ticket.organisation.clock_policy().due(ClockKind.TAKE, now))


def route(
    ticket: Ticket,
    *,
    actor: Actor,
    role: ServiceRole,
    now: datetime,
    assignee: User | None = None,
) -> Ticket:
    with transaction.atomic():
        ticket = lock(ticket)
        states = advance(ticket, actor, Action.ROUTE)
        _check_assignee(ticket, role, assignee)
        _hand_to(ticket, role, assignee, now)
        ticket.first_routed_at = ticket.first_routed_at or now
        ticket.dispatch_met_at = now
        refresh_watch(ticket)
        ticket.save()
        record(
            ticket,
            EventKind.ROUTED,
            at=now,
            actor=actor,
            actor_label="" if actor else "автораспределение",
            states=states,
            data={"role": str(role), "assignee": assignee.pk if assignee else None},
        )
    return ticket


def take(ticket: Ticket, *, actor: User, now: datetime) -> Ticket:
    """The first of several people sharing a role gets it; the row lock settles a race."""
    with transaction.atomic():
        ticket = lock(ticket)
        if ticket.state == State.IN_WORK and ticket.assignee_id != actor.pk:
            raise ServiceError("Обращение уже взял в работу другой специалист.", code="already_taken")
        states = advance(ticket, actor, Action.TAKE)
        ticket.assignee = actor
        ticket.taken_at = now
        ticket.take_met_at = now
        refresh_watch(ticket)
        ticket.save()
        record(ticket, EventKind.TAKEN, at=now, actor=actor, states=states)
    return ticket


def return_to_dispatch(ticket: Ticket, *, actor: User, reason: str, now: datetime) -> Ticket:
    if not reason.strip():
        raise ServiceError({"reason": "Укажите, почему обращение возвращается."})
    with transaction.atomic():
        ticket = lock(ticket)
        previous = {
            "role": ticket.routed_role,
            "dispatch_due_at": ticket.dispatch_due_at.isoformat() if ticket.dispatch_due_at else None,
            "dispatch_met_at": ticket.dispatch_met_at.isoformat() if ticket.dispatch_met_at else None,
        }
        states = advance(ticket, actor, Action.RETURN)
        ticket.routed_role = ""
        ticket.assignee = None
        ticket.routed_at = None
        ticket.taken_at = None
        ticket.return_count += 1
        policy = ticket.organisation.clock_policy()
        # The first receipt's dispatch outcome stays in first_routed_at and this event;
        # the returned request gets a fresh 30 minutes for re-routing.
        clear_clock(ticket, ClockKind.DISPATCH, policy.due(ClockKind.DISPATCH, now))
        clear_clock(ticket, ClockKind.TAKE)
        refresh_watch(ticket)
        ticket.save()
        record(ticket, EventKind.RETURNED, at=now, actor=actor, states=states, note=reason.strip(), data=previous)
    return ticket


def reopen(ticket: Ticket, *, actor: User, reason: str, now: datetime) -> Ticket:
    with transaction.atomic():
        ticket = lock(ticket)
        previous = {
            "resolved_at": ticket.resolved_at.isoformat() if ticket.resolved_at else None,
            "reply_channel": ticket.reply_channel,
            "resolve_due_at": ticket.resolve_due_at.isoformat() if ticket.resolve_due_at else None,
        }
        states = advance(ticket, actor, Action.REOPEN)
        ticket.reopen_count += 1
        ticket.resolved_at = None
        policy = ticket.organisation.clock_policy()
        clear_clock(ticket, ClockKind.RESOLVE, policy.due(ClockKind.RESOLVE, now))
        ticket.resolve_extended = False
        refresh_watch(ticket)
        ticket.save()
        record(ticket, EventKind.REOPENED, at=now, actor=actor, states=states, note=reason.strip(), data=previous)
    return ticket


def withdraw(
    ticket: Ticket,
    *,
    actor: User,
    reason: WithdrawReason,
    now: datetime,
    note: str = "",
    duplicate_of: Ticket | None = None,
) -> Ticket:
    if reason == WithdrawReason.DUPLICATE and duplicate_of is None:
        raise ServiceError({"duplicate_of": "Укажите номер обращения, дубликатом которого является это."})
    with transaction.atomic():
        ticket = lock(ticket)
        if duplicate_of is not None and (
            duplicate_of.pk == ticket.pk or duplicate_of.organisation_id != ticket.organisation_id
        ):
            raise ServiceError({"duplicate_of": "Нельзя отметить обращение дубликатом самого себя."})
        states = advance(ticket, actor, Action.WITHDRAW)
        ticket.withdraw_reason = reason
        ticket.duplicate_of = duplicate_of
        ticket.save()
        refresh_watch(ticket)  # a withdrawn request's clocks stop, so the watcher stops looking
        record(
            ticket,
            EventKind.WITHDRAWN,
            at=now,
            actor=actor,
            states=states,
            note=note.strip(),
            data={"reason": str(reason), "duplicate_of": duplicate_of.number if duplicate_of else None},
        )
    return ticket


def reassign(
    ticket: Ticket,
    *,
    actor: User,
    role: ServiceRole,
    now: datetime,
    assignee: User | None = None,
    note: str = "",
) -> Ticket:
    with transaction.atomic():
        ticket = lock(ticket)
        was = {"role": ticket.routed_role, "assignee": ticket.assignee_id}
        states = advance(ticket, actor, Action.REASSIGN)
        _check_assignee(ticket, role, assignee)
        _hand_to(ticket, role, assignee, now)
        refresh_watch(ticket)
        ticket.save()
        record(
            ticket,
            EventKind.REASSIGNED,
            at=now,
            actor=actor,
            states=states,
            note=note.strip(),
            data={"from": was, "role": str(role), "assignee": assignee.pk if assignee else None},
        )
    return ticket
