"""What the watcher does after each pass: the head's breach digest, dispatchers' digests, the outbox sweep."""

from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Min
from django.urls import reverse

from opora.accounts.models import Organisation
from opora.domain.enums import ServiceRole
from opora.reports.periodic import schedule as schedule_roll_up
from opora.tickets.labels import CLOCK
from opora.tickets.models import Ticket
from opora.tickets.watcher import SweepResult

from . import delivery, kinds
from .models import Outbox, OutboxState, Preference
from .outbox import queue, queue_for_staff
from .people import holders


def breach_digest(result: SweepResult, now: datetime) -> int:
    """One message per head per watcher run, however many breaches a surge brings."""
    by_org: dict[int, list[dict[str, object]]] = defaultdict(list)
    numbers = dict(Ticket.objects.filter(pk__in={n.ticket_id for n in result.breaches}).values_list("pk", "number"))
    for news in result.breaches:
        number = numbers[news.ticket_id]
        by_org[news.organisation_id].append(
            {
                "number": number,
                "clock_label": CLOCK[news.kind],
                "due_at": news.due_at,
                "url": settings.SITE_URL + reverse("desk:ticket", args=[number]),
            }
        )
    made = 0
    for org in Organisation.objects.filter(pk__in=by_org):
        with transaction.atomic():
            made += len(
                queue_for_staff(
                    kinds.HEAD_BREACHES,
                    holders(org, ServiceRole.HEAD),
                    organisation=org,
                    key=f"breaches:{result.run_id}:{org.pk}",
                    now=now,
                    context={
                        "items": by_org[org.pk],
                        "control_url": settings.SITE_URL + reverse("desk:control") + "?overdue=any",
                    },
                )
            )
    return made


def dispatcher_digests(now: datetime) -> int:
    """Merges held messages into one digest per person once the oldest has waited their N minutes."""
    made = 0
    waiting = (
        Outbox.objects.filter(state=OutboxState.HELD)
        .values("user_id", "organisation_id")
        .annotate(oldest=Min("created_at"))
    )
    minutes = dict(
        Preference.objects.filter(user_id__in=[w["user_id"] for w in waiting]).values_list("user_id", "digest_minutes")
    )
    for group in waiting:
        if group["oldest"] > now - timedelta(minutes=minutes.get(group["user_id"], 0)):
            continue
        with transaction.atomic():
            rows = list(
                Outbox.objects.select_for_update()
                .filter(state=OutboxState.HELD, user_id=group["user_id"], organisation_id=group["organisation_id"])
                .order_by("created_at")
            )
            if not rows:
                continue
            org = Organisation.objects.get(pk=group["organisation_id"])
            queue(
                kinds.DIGEST,
                organisation=org,
                recipient=rows[0].recipient,
                now=now,
                user=rows[0].user,
                dedupe_key=f"digest:{rows[0].pk}:{rows[-1].pk}",
                context={"items": rows, "desk_url": settings.SITE_URL + reverse("desk:home")},
            )
            Outbox.objects.filter(pk__in=[r.pk for r in rows]).update(state=OutboxState.MERGED)
            made += 1
    return made


def after_sweep(result: SweepResult, now: datetime) -> None:
    breach_digest(result, now)
    dispatcher_digests(now)
    delivery.sweep(now)
    schedule_roll_up(now)
