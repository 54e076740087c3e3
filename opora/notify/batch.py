"""The watcher's clock events, turned into outbox rows a batch at a time.

A sweep may find thousands of deadlines at once (a municipality's first day). Its transaction writes only one
fan-out row per school and thousand events; the worker expands each (`expand_clocks`) into the staff's
messages, as it does a new request's row for its dispatchers. There the rows are written with one statement
(COPY on PostgreSQL), recipients and preferences are read once per batch, and the text is rendered later
still, from the ids kept in `render_context`.
"""

import json
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.dispatch import receiver
from django.urls import reverse

from opora.accounts.models import Membership
from opora.common.rows import Json, insert_rows
from opora.domain.enums import DISPATCHER_ROLES, RequestType, ServiceRole
from opora.tickets.models import EventKind, TicketEvent
from opora.tickets.signals import ClockEvent, clocks_recorded

from . import kinds
from .kinds import FAN_OUT
from .models import Outbox, OutboxState, Preference
from .outbox import held, render, wants

_FIELDS = [
    "organisation_id",
    "ticket_id",
    "user_id",
    "kind",
    "recipient",
    "subject",
    "body_text",
    "body_html",
    "render_context",
    "dedupe_key",
    "state",
    "attempts",
    "next_attempt_at",
    "claimed_until",
    "enqueued_at",
    "sent_at",
    "last_error",
    "created_at",
]
_MARK = "~number~"
TASK_SIZE = 1000
# Clock events per fan-out row: one worker's expansion writes about two messages for each.
FAN_OUT_SIZE = 1000


class StaffBatch:
    def __init__(self) -> None:
        self._holders: dict[tuple[int, str], list[User]] = {}
        self._confidants: dict[int, set[int]] = {}
        self._planned: list[Plan] = []

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

    def add_clock(self, event: ClockEvent, assignees: dict[int, User]) -> None:
        warning = event.kind == EventKind.CLOCK_WARNING
        if event.clock == "dispatch":
            people = self.holders(event.organisation_id, frozenset(DISPATCHER_ROLES))
            kind = kinds.DISPATCH_WARNING if warning else kinds.STAFF_BREACH
        else:
            people = self._handlers(event, assignees)
            kind = kinds.STAFF_WARNING if warning else kinds.STAFF_BREACH
        content = event.request_type != RequestType.PSYCHOLOGIST or all(
            p.pk in self.confidants(event.organisation_id) for p in people
        )
        self._planned += [(kind, person, event, content) for person in people]

    def _handlers(self, event: ClockEvent, assignees: dict[int, User]) -> list[User]:
        if event.assignee_id is not None:
            person = assignees.get(event.assignee_id)
            return [person] if person is not None and person.email else []
        if not event.routed_role:
            return []
        return self.holders(event.organisation_id, frozenset({event.routed_role}))

    def flush(self, now: datetime) -> list[int]:
        """Writes the rows; returns the ids of those to send now (held ones wait for the digest). A message
        already written (a second expansion of the same events) is not written again."""
        people = {person.pk for _, person, _, _ in self._planned}
        preferences = {p.user_id: p for p in Preference.objects.filter(user_id__in=people)}
        wanted = [plan for plan in self._planned if wants(plan[1], plan[0], preferences)]
        written = set(
            Outbox.objects.filter(dedupe_key__in=[_key(plan) for plan in wanted]).values_list("dedupe_key", flat=True)
        )
        wanted = [plan for plan in wanted if _key(plan) not in written]
        holds = [held(kind, preferences.get(person.pk)) for kind, person, _, _ in wanted]
        # Only the digest's messages are rendered now (the digest lists their subjects), so only they need
        # the event and the request as objects.
        events = TicketEvent.objects.select_related("ticket__organisation").in_bulk(
            {event.event_id for (_, _, event, _), hold in zip(wanted, holds, strict=True) if hold}
        )
        prefix, suffix = (settings.SITE_URL + reverse("desk:ticket", args=[_MARK])).split(_MARK)
        rows = [
            _row(plan, f"{prefix}{plan[2].number}{suffix}", events[plan[2].event_id] if hold else None, now)
            for plan, hold in zip(wanted, holds, strict=True)
        ]
        ids = insert_rows(Outbox, _FIELDS, rows)
        return [pk for pk, hold in zip(ids, holds, strict=True) if not hold]


Plan = tuple[str, User, ClockEvent, bool]


def _key(plan: Plan) -> str:
    kind, person, event, _ = plan
    return f"{kind}:{event.event_id}:{person.pk}"[:200]


def _row(plan: Plan, staff_url: str, held_event: TicketEvent | None, now: datetime) -> tuple[Any, ...]:
    kind, person, event, content = plan
    subject = text = html = ""
    # What `outbox.store` makes of the event, the person and plain values, written out directly.
    flag = "true" if content else "false"
    stored: dict[str, Any] | Json = Json(
        f'{{"staff_url": {json.dumps(staff_url)}, "clock": "{event.clock}", "content": {flag}, '
        f'"_refs": {{"event": {event.event_id}, "person": {person.pk}}}}}'
    )
    if held_event is not None:
        ticket = held_event.ticket
        context = {"event": held_event, "person": person, "staff_url": staff_url, "clock": event.clock}
        context |= {"content": content, "ticket": ticket, "organisation": ticket.organisation}
        subject, text, html = render(kind, context)
        stored = {}
    return (
        event.organisation_id,
        event.ticket_id,
        person.pk,
        kind,
        person.email,
        subject,
        text,
        html,
        stored,
        _key(plan),
        OutboxState.HELD if held_event is not None else OutboxState.PENDING,
        0,
        now,
        None,
        None if held_event is not None else now,
        None,
        "",
        now,
    )


def staff_mail(events: list[ClockEvent], now: datetime) -> list[int]:
    """Writes the batch's staff mail; returns the ids of the messages to send now."""
    batch = StaffBatch()
    assignees = User.objects.in_bulk({e.assignee_id for e in events if e.assignee_id is not None})
    for event in events:
        batch.add_clock(event, assignees)
    return batch.flush(now)


def _send(ids: list[int]) -> None:
    """In tasks of up to `TASK_SIZE` messages each, so that several workers share a large batch."""
    from .tasks import send_messages

    for start in range(0, len(ids), TASK_SIZE):
        send_messages.enqueue(ids[start : start + TASK_SIZE])


@receiver(clocks_recorded)
def on_clocks(sender: Any, events: list[ClockEvent], **kwargs: Any) -> None:
    """A fan-out row for each school's thousand events, and a task for each row."""
    if not events:
        return
    from .outbox import enqueue_fan_outs

    now = events[0].at
    by_school: dict[int, list[int]] = {}
    for event in events:
        by_school.setdefault(event.organisation_id, []).append(event.event_id)
    rows = []
    for organisation_id, ids in by_school.items():
        for start in range(0, len(ids), FAN_OUT_SIZE):
            chunk = ids[start : start + FAN_OUT_SIZE]
            rows.append(_fan_out_row(organisation_id, chunk, now))
    enqueue_fan_outs(insert_rows(Outbox, _FIELDS, rows))


def _fan_out_row(organisation_id: int, event_ids: list[int], now: datetime) -> tuple[Any, ...]:
    # The subject is shown only if expanding keeps failing, in the head's list of messages not sent.
    subject = f"Уведомления сотрудникам о сроках: {len(event_ids)}"
    context = Json(json.dumps({"clock_events": event_ids}))
    key = f"{FAN_OUT}:clocks:{event_ids[0]}:{event_ids[-1]}"
    return (
        organisation_id,
        None,
        None,
        FAN_OUT,
        "",
        subject,
        "",
        "",
        context,
        key,
        OutboxState.PENDING,
        0,
        now,
        None,
        now,
        None,
        "",
        now,
    )


def expand_clocks(event_ids: list[int], now: datetime) -> int:
    """The worker's half of `on_clocks`: each event's staff, as the request stands now (a request handed
    to someone else since is told to its new holder). Returns how many messages go out now."""
    facts = TicketEvent.objects.filter(pk__in=event_ids).values_list(
        "pk",
        "kind",
        "at",
        "data__clock",
        "ticket_id",
        "ticket__organisation_id",
        "ticket__number",
        "ticket__request_type",
        "ticket__routed_role",
        "ticket__assignee_id",
    )
    events = [ClockEvent(pk, EventKind(kind), *rest) for pk, kind, *rest in facts.order_by("pk")]
    ids = staff_mail(events, now) if events else []
    _send(ids)
    return len(ids)
