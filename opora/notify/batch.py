"""The watcher's clock events, turned into outbox rows a batch at a time.

A sweep may find thousands of deadlines at once (a municipality's first day). Rows are written with one
INSERT, recipients and preferences are read once per batch, and the text is rendered later by the worker
from the ids kept in `render_context`, so the sweep's transaction stays short.
"""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.urls import reverse

from opora.accounts.models import Membership
from opora.domain.enums import DISPATCHER_ROLES, RequestType, ServiceRole
from opora.tickets.models import EventKind, Ticket, TicketEvent

from . import kinds
from .models import Outbox, OutboxState, Preference
from .outbox import held, render, store, wants


class StaffBatch:
    def __init__(self) -> None:
        self._holders: dict[tuple[int, str], list[User]] = {}
        self._confidants: dict[int, set[int]] = {}
        self._planned: list[tuple[str, User, TicketEvent, dict[str, Any]]] = []

    def holders(self, organisation_id: int, roles: frozenset[str]) -> list[User]:
        key = (organisation_id, ",".join(sorted(roles)))
        if key not in self._holders:
            rows = Membership.objects.filter(
                organisation_id=organisation_id, role__in=roles, is_active=True, user__is_active=True
            ).exclude(user__email="")
            people = {m.user.pk: m.user for m in rows.select_related("user")}
            self._holders[key] = [people[pk] for pk in sorted(people)]
        return self._holders[key]

    def confidants(self, organisation_id: int) -> set[int]:
        roles = frozenset({ServiceRole.PSYCHOLOGIST, ServiceRole.HEAD})
        if organisation_id not in self._confidants:
            self._confidants[organisation_id] = {u.pk for u in self.holders(organisation_id, roles)}
        return self._confidants[organisation_id]

    def add_clock(self, event: TicketEvent, assignees: dict[int, User]) -> None:
        ticket, clock = event.ticket, event.data.get("clock", "")
        warning = event.kind == EventKind.CLOCK_WARNING
        if clock == "dispatch":
            people = self.holders(ticket.organisation_id, frozenset(DISPATCHER_ROLES))
            kind = kinds.DISPATCH_WARNING if warning else kinds.STAFF_BREACH
        else:
            people = self._handlers(ticket, assignees)
            kind = kinds.STAFF_WARNING if warning else kinds.STAFF_BREACH
        content = ticket.request_type != RequestType.PSYCHOLOGIST or all(
            p.pk in self.confidants(ticket.organisation_id) for p in people
        )
        extra = {"clock": clock, "content": content}
        self._planned += [(kind, person, event, extra) for person in people]

    def _handlers(self, ticket: Ticket, assignees: dict[int, User]) -> list[User]:
        if ticket.assignee_id is not None:
            person = assignees.get(ticket.assignee_id)
            return [person] if person is not None and person.email else []
        if not ticket.routed_role:
            return []
        return self.holders(ticket.organisation_id, frozenset({ticket.routed_role}))

    def flush(self, now: datetime) -> list[int]:
        """Writes the rows; returns the ids of those to send now (held ones wait for the digest)."""
        people = {person.pk for _, person, _, _ in self._planned}
        preferences = {p.user_id: p for p in Preference.objects.filter(user_id__in=people)}
        rows = [
            self._row(kind, person, event, extra, preferences, now)
            for kind, person, event, extra in self._planned
            if wants(person, kind, preferences)
        ]
        Outbox.objects.bulk_create(rows, ignore_conflicts=True)
        keys = [row.dedupe_key for row in rows if row.state == OutboxState.PENDING]
        return list(Outbox.objects.filter(dedupe_key__in=keys, enqueued_at=now).values_list("pk", flat=True))

    def _row(  # noqa: PLR0917 (one planned message and what decides its state)
        self,
        kind: str,
        person: User,
        event: TicketEvent,
        extra: dict[str, Any],
        preferences: dict[int, Preference],
        now: datetime,
    ) -> Outbox:
        ticket = event.ticket
        hold = held(kind, preferences.get(person.pk))
        row = Outbox(
            organisation_id=ticket.organisation_id,
            ticket=ticket,
            user=person,
            kind=kind,
            recipient=person.email,
            dedupe_key=f"{kind}:{event.pk}:{person.pk}"[:200],
            state=OutboxState.HELD if hold else OutboxState.PENDING,
            next_attempt_at=now,
            created_at=now,
            enqueued_at=None if hold else now,
        )
        context = {"event": event, "person": person, "staff_url": _staff_url(ticket), **extra}
        if hold:  # the digest lists subjects, so a held message needs its text now
            row.subject, row.body_text, row.body_html = render(
                kind, {**context, "ticket": ticket, "organisation": ticket.organisation}
            )
        else:
            row.render_context = store(context) or {}
        return row


def _staff_url(ticket: Ticket) -> str:
    return f"{settings.SITE_URL}{reverse('desk:ticket', args=[ticket.number])}"


def clock_events(events: list[TicketEvent], now: datetime) -> list[int]:
    batch = StaffBatch()
    assignee_ids = {e.ticket.assignee_id for e in events if e.ticket.assignee_id is not None}
    assignees = User.objects.in_bulk(assignee_ids)
    for event in events:
        batch.add_clock(event, assignees)
    return batch.flush(now)
