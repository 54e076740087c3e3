"""Writing messages: stored with the change, rendered and sent later by a worker.

A message's context is kept as ids and plain values (`render_context`), so the request or the watcher's sweep
that writes it does not spend its time rendering templates. A context that can't be kept that way (a digest's
list of rows) is rendered at once, as is a held message, whose subject the digest lists.
"""

import functools
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import linebreaks, urlize
from django.utils.safestring import mark_safe

from opora.accounts.models import Organisation
from opora.common.rows import insert, insert_new
from opora.domain.enums import ServiceRole
from opora.tickets.labels import SERVICE_ROLE
from opora.tickets.models import Ticket, TicketEvent

from .delivery import lease
from .kinds import DIGESTIBLE, FAN_OUT, NEVER_MUTED, TOGETHER
from .models import Outbox, OutboxState, Preference
from .people import holders


def render(kind: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """Russian, with times in the school's own zone; the HTML part escapes everything people typed."""
    zone = context["organisation"].zone
    with translation.override("ru"), timezone.override(zone):
        subject = " ".join(render_to_string(f"notify/{kind}/subject.txt", context).split())
        text = render_to_string(f"notify/{kind}/body.txt", context).strip() + "\n"
        text_html = mark_safe(linebreaks(urlize(text, autoescape=True), autoescape=False))  # noqa: S308 (escaped by urlize)
        html = render_to_string(f"notify/{kind}/body.html", {**context, "subject": subject, "text_html": text_html})
    return subject[:300], text, html


# What a context may refer to by id; the worker reads them back before rendering.
_REFERENCES: dict[str, type[Model]] = {"event": TicketEvent, "person": User, "failed": Outbox}


def store(context: dict[str, Any]) -> dict[str, Any] | None:
    """The context as ids and plain values, or None when some value can only be rendered now."""
    kept: dict[str, Any] = {}
    refs: dict[str, int] = {}
    for key, value in context.items():
        if key in _REFERENCES and isinstance(value, _REFERENCES[key]):
            refs[key] = value.pk
        elif value is None or isinstance(value, str | bool | int):
            kept[key] = value
        else:
            return None
    return {**kept, "_refs": refs}


def restore(row: Outbox) -> dict[str, Any]:
    context = {key: value for key, value in row.render_context.items() if key != "_refs"}
    for key, pk in row.render_context.get("_refs", {}).items():
        context[key] = _REFERENCES[key]._default_manager.get(pk=pk)
    ticket = row.ticket
    if ticket is not None:
        # The row's own school and request stand in for the event's: the same rows, not read again.
        if ticket.organisation_id == row.organisation_id:
            ticket.organisation = row.organisation
        event = context.get("event")
        if isinstance(event, TicketEvent) and event.ticket_id == ticket.pk:
            event.ticket = ticket
    return {**context, "organisation": row.organisation, "ticket": ticket}


def fill(row: Outbox) -> None:
    """Renders a stored message; the worker calls it just before the first attempt to send."""
    row.subject, row.body_text, row.body_html = render(row.kind, restore(row))


def wants(user: User, kind: str, preferences: dict[int, Preference]) -> bool:
    if not user.email or not user.is_active:
        return False
    preference = preferences.get(user.pk)
    return kind in NEVER_MUTED or preference is None or kind not in preference.muted_kinds


def held(kind: str, preference: Preference | None) -> bool:
    """Kept for the person's digest rather than sent at once."""
    return kind in DIGESTIBLE and preference is not None and preference.digest_minutes > 0


Page = Callable[[], tuple[str, str, str]]


def page_for_all(kind: str, context: dict[str, Any], organisation: Organisation, ticket: Ticket | None) -> Page:
    """The message as each of its recipients reads it, rendered at most once for all of them: no template
    addresses its reader (`tests/notify/test_render_once.py` holds them to that). In a surge each dispatcher
    gets the same message listing fifty requests, and rendering it takes about 6 ms."""
    return functools.cache(lambda: render(kind, {**context, "organisation": organisation, "ticket": ticket}))


def _message(  # noqa: PLR0917 (one outbox row and everything that decides it)
    kind: str,
    organisation: Organisation,
    recipient: str,
    dedupe_key: str,
    context: dict[str, Any],
    now: datetime,
    ticket: Ticket | None,
    user: User | None,
    hold: bool,
    rendered: bool = False,
    page: Page | None = None,
) -> Outbox:
    """`rendered`: rendered now, for a worker that sends it at once. A held message, or one whose context can't
    be stored, is rendered now anyway. `page` renders it, once for all its recipients."""
    stored = store(context)
    subject = text = html = ""
    if stored is None or hold or rendered:
        subject, text, html = (page or page_for_all(kind, context, organisation, ticket))()
    return Outbox(
        organisation=organisation,
        ticket=ticket,
        user=user,
        kind=kind,
        recipient=recipient,
        subject=subject,
        body_text=text,
        body_html=html,
        render_context={} if subject else stored,
        dedupe_key=dedupe_key[:200],
        state=OutboxState.HELD if hold else OutboxState.PENDING,
        next_attempt_at=now,
        created_at=now,
    )


def queue(
    kind: str,
    *,
    organisation: Organisation,
    recipient: str,
    dedupe_key: str,
    context: dict[str, Any],
    now: datetime,
    ticket: Ticket | None = None,
    user: User | None = None,
    hold: bool = False,
) -> Outbox | None:
    """One message; a second call with the same dedupe key changes nothing."""
    if not recipient:
        return None
    row = _message(kind, organisation, recipient, dedupe_key, context, now, ticket, user, hold)
    return _insert_and_enqueue(row, now)


def _insert_and_enqueue(
    row: Outbox, now: datetime, fresh_key: bool = False, run_after: datetime | None = None
) -> Outbox | None:
    """`fresh_key`: the key names an event written in this transaction, so no earlier row can hold it and
    the savepoint that would catch a duplicate is not needed. `run_after`: its task waits until then."""
    held_row = row.state == OutboxState.HELD
    row.enqueued_at = None if held_row else now
    if fresh_key:
        insert(row)
    else:
        try:
            with transaction.atomic():
                insert(row)
        except IntegrityError:
            return None
    if not held_row:
        enqueue(row, now, run_after=run_after, mark=False)
    return row


def queue_for_roles(
    kind: str, roles: list[str], event: TicketEvent, now: datetime, extra: dict[str, Any] | None = None
) -> Outbox | None:
    """Staff mail to everyone holding some roles, as one row the worker expands into a message each.

    A new request must not wait while its school's dispatchers and their preferences are read and a row is
    written for each: on the first day of distance learning thousands arrive at once. The row is an outbox row
    like any other, so a worker that dies while expanding it leaves it to be claimed again (the sweep), and the
    messages' own keys keep a second expansion from sending anything twice.

    Staff mail of a school and kind is gathered over `OPORA_STAFF_MAIL_GATHER_SECONDS`: the first row of a
    window gets a task that runs once the window is over, and takes the rows written meanwhile with it in one
    message to each person (`delivery.companions`). A busy hour then brings a dispatcher one such message a
    window rather than one a request, and the workers run a task a window, not one a request."""
    ticket = event.ticket
    row = Outbox(
        organisation_id=ticket.organisation_id,
        ticket=ticket,
        kind=FAN_OUT,
        recipient="",
        # Shown only if expanding keeps failing, in the head's list of messages that could not be sent.
        subject="Уведомления сотрудникам: " + ", ".join(str(SERVICE_ROLE[ServiceRole(r)]) for r in sorted(roles)),
        render_context={
            "kind": kind,
            "roles": sorted(str(r) for r in roles),
            "extra": extra or {},
            "_refs": {"event": event.pk},
        },
        dedupe_key=f"{FAN_OUT}:{kind}:{event.pk}"[:200],
        state=OutboxState.PENDING,
        next_attempt_at=now,
        created_at=now,
    )
    gather = timedelta(seconds=settings.OPORA_STAFF_MAIL_GATHER_SECONDS)
    if not gather:
        return _insert_and_enqueue(row, now, fresh_key=True)
    if cache.add(_window(row), row.pk, timeout=gather.total_seconds()):
        return _insert_and_enqueue(row, now, fresh_key=True, run_after=now + gather + min(GATHER_GRACE, gather))
    # The window's task takes this one with it; should that task be lost, the sweep hands it on.
    row.enqueued_at = now
    insert(row)
    return row


# The window's task runs this long after the window closes, so the submits that opened in it have committed.
GATHER_GRACE = timedelta(seconds=5)


def _window(row: Outbox) -> str:
    """One task a window for each school, kind and roles: processes that share a cache queue one between them;
    processes that don't, one each, and the later ones find their rows taken already."""
    context = row.render_context
    return f"notify:gather:{row.organisation_id}:{context['kind']}:{','.join(context['roles'])}"


def expand(row: Outbox, now: datetime) -> list[Outbox]:
    """The worker's half of `queue_for_roles`: the people who hold the roles now, a message each, written
    rendered and claimed by this worker, which sends them next (`delivery._expand`). Returns those to send. A
    sweep's row stands for its clock events instead (`batch.on_clocks`), whose messages go in tasks of their own."""
    from .receivers import to_staff

    if "clock_events" in row.render_context:
        from .batch import expand_clocks

        expand_clocks(row.render_context["clock_events"], now)
        return []
    context = restore(row)
    roles = [ServiceRole(role) for role in context["roles"]]
    people = holders(row.organisation, *roles)
    written = to_staff(context["kind"], people, context["event"], context["extra"], claimed_at=now)
    return [message for message in written if message.state == OutboxState.PENDING]


def expand_together(rows: list[Outbox], now: datetime) -> list[Outbox]:
    """`expand` for fan-outs of one school, kind and roles that waited together (`delivery.companions`): their
    people hear of all of them in one message each."""
    from .receivers import to_staff_together

    context = rows[0].render_context
    wanted = [row.render_context["_refs"]["event"] for row in rows]
    found = TicketEvent.objects.select_related("ticket").in_bulk(wanted)
    events = [found[pk] for pk in wanted if pk in found]
    for event in events:
        event.ticket.organisation = rows[0].organisation
    people = holders(rows[0].organisation, *[ServiceRole(role) for role in context["roles"]])
    written = to_staff_together(context["kind"], people, events, now)
    return [message for message in written if message.state == OutboxState.PENDING]


def queue_together(
    kind: str,
    people: list[User],
    events: list[TicketEvent],
    context: dict[str, Any],
    *,
    organisation: Organisation,
    now: datetime,
) -> list[Outbox]:
    """One message to each person about several requests (`kinds.TOGETHER`), written rendered and claimed for the
    worker that sends it at once. Each request's own message is kept beside it, merged, under the key it would
    have had alone: the record of who heard of which request, and no second message should it come up again."""
    claim_until = now + lease()
    page = page_for_all(TOGETHER, context, organisation, None)
    rows = []
    for person in people:
        rows += [
            Outbox(
                organisation=organisation,
                ticket=event.ticket,
                user=person,
                kind=kind,
                recipient=person.email,
                subject="",
                body_text="",
                render_context={"_refs": {"event": event.pk, "person": person.pk}},
                dedupe_key=f"{kind}:{event.pk}:{person.pk}"[:200],
                state=OutboxState.MERGED,
                next_attempt_at=now,
                created_at=now,
            )
            for event in events
        ]
        key = f"{TOGETHER}:{kind}:{events[0].pk}:{person.pk}"
        together = _message(TOGETHER, organisation, person.email, key, context, now, None, person, False, True, page)
        together.enqueued_at, together.attempts, together.claimed_until = now, 1, claim_until
        rows.append(together)
    if not rows:
        return []
    return insert_new(rows, "dedupe_key")


def queue_for_staff(
    kind: str,
    people: list[User],
    *,
    organisation: Organisation,
    key: str,
    context: dict[str, Any],
    now: datetime,
    ticket: Ticket | None = None,
    claimed_at: datetime | None = None,
) -> list[Outbox]:
    """Every recipient's message with one INSERT and one task for those sent now, whatever the number of
    staff. Returns the messages new now (a row already there under the same key, from an earlier call, is left
    as it is).

    `claimed_at`: the worker writing them sends them itself at once (a role's fan-out), from this moment of its
    own, so no task is queued. They are then rendered here, with the objects at hand, and written with its
    claim, so no other worker sends them meanwhile; if it dies first, the claim runs out and the sweep hands
    them on."""
    from .tasks import send_messages

    preferences = {p.user_id: p for p in Preference.objects.filter(user__in=people)}
    claim_until = claimed_at + lease() if claimed_at is not None else None
    page = page_for_all(kind, context, organisation, ticket)
    rows = []
    for person in people:
        if not wants(person, kind, preferences):
            continue
        hold = held(kind, preferences.get(person.pk))
        personal = {**context, "person": person}
        row = _message(
            kind,
            organisation,
            person.email,
            f"{key}:{person.pk}",
            personal,
            now,
            ticket,
            person,
            hold,
            claimed_at is not None,
            page,
        )
        row.enqueued_at = None if hold else (claimed_at or now)
        if claim_until is not None and not hold:
            row.attempts, row.claimed_until = 1, claim_until
        rows.append(row)
    if not rows:
        return []
    with transaction.atomic(savepoint=False):  # the rows and their task, or neither
        written = insert_new(rows, "dedupe_key")
        pending = [row.pk for row in written if row.state == OutboxState.PENDING]
        if pending and claimed_at is None:
            send_messages.enqueue(pending)
    return written


def enqueue_fan_outs(ids: list[int]) -> None:
    """A task for each fan-out row just written, behind the families' own mail."""
    from .tasks import send_message

    for pk in ids:
        send_message.using(priority=0).enqueue(pk)


# A family's own mail (the receipt with its status link, an answer) goes before staff mail when the
# worker has a queue, as on the first day of distance learning: staff see new requests in their queues anyway.
AUTHOR_PRIORITY = 10
# ...and in a queue of its own, which a worker at the web's CPU priority serves (deploy/systemd): the workers
# for everything else run behind the web, so a surge that fills the machine delays staff mail, not receipts.
FAMILIES_QUEUE = "families"


def enqueue(row: Outbox, now: datetime, run_after: datetime | None = None, mark: bool = True) -> None:
    from .tasks import send_message

    for_family = row.user_id is None and row.kind != FAN_OUT
    task = send_message.using(
        priority=AUTHOR_PRIORITY if for_family else 0,
        queue_name=FAMILIES_QUEUE if for_family else send_message.queue_name,
    )
    if run_after is not None:
        task = task.using(run_after=run_after)
    task.enqueue(row.pk)
    if mark:
        Outbox.objects.filter(pk=row.pk).update(enqueued_at=now)
