"""Writing messages: rendered now, stored with the change, sent later by a worker."""

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import linebreaks, urlize
from django.utils.safestring import mark_safe

from opora.accounts.models import Organisation
from opora.tickets.models import Ticket

from .kinds import DIGESTIBLE, NEVER_MUTED
from .models import Outbox, OutboxState, Preference


def render(kind: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """Russian, with times in the school's own zone; the HTML part escapes everything people typed."""
    zone = context["organisation"].zone
    with translation.override("ru"), timezone.override(zone):
        subject = " ".join(render_to_string(f"notify/{kind}/subject.txt", context).split())
        text = render_to_string(f"notify/{kind}/body.txt", context).strip() + "\n"
        text_html = mark_safe(linebreaks(urlize(text, autoescape=True), autoescape=False))  # noqa: S308 (escaped by urlize)
        html = render_to_string(f"notify/{kind}/body.html", {**context, "subject": subject, "text_html": text_html})
    return subject[:300], text, html


def wants(user: User, kind: str, preferences: dict[int, Preference]) -> bool:
    if not user.email or not user.is_active:
        return False
    preference = preferences.get(user.pk)
    return kind in NEVER_MUTED or preference is None or kind not in preference.muted_kinds


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
    subject, text, html = render(kind, {**context, "organisation": organisation, "ticket": ticket})
    try:
        with transaction.atomic():
            row = Outbox.objects.create(
                organisation=organisation,
                ticket=ticket,
                user=user,
                kind=kind,
                recipient=recipient,
                subject=subject,
                body_text=text,
                body_html=html,
                dedupe_key=dedupe_key[:200],
                state=OutboxState.HELD if hold else OutboxState.PENDING,
                next_attempt_at=now,
                created_at=now,
            )
    except IntegrityError:
        return None
    if not hold:
        enqueue(row, now)
    return row


def queue_for_staff(
    kind: str,
    people: list[User],
    *,
    organisation: Organisation,
    key: str,
    context: dict[str, Any],
    now: datetime,
    ticket: Ticket | None = None,
) -> int:
    preferences = {p.user_id: p for p in Preference.objects.filter(user__in=people)}
    made = 0
    for person in people:
        if not wants(person, kind, preferences):
            continue
        preference = preferences.get(person.pk)
        hold = kind in DIGESTIBLE and preference is not None and preference.digest_minutes > 0
        row = queue(
            kind,
            organisation=organisation,
            recipient=person.email,
            dedupe_key=f"{key}:{person.pk}",
            context={**context, "person": person},
            now=now,
            ticket=ticket,
            user=person,
            hold=hold,
        )
        made += row is not None
    return made


def enqueue(row: Outbox, now: datetime, run_after: datetime | None = None) -> None:
    from .tasks import send_message

    task = send_message.using(run_after=run_after) if run_after else send_message
    task.enqueue(row.pk)
    Outbox.objects.filter(pk=row.pk).update(enqueued_at=now)
