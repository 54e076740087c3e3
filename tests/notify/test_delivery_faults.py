"""SMTP refuses, requests keep coming, SMTP comes back: every message arrives exactly once."""

from datetime import timedelta

from django.utils import timezone

from opora.domain.enums import Channel
from opora.notify import delivery
from opora.notify.models import Outbox, OutboxState
from opora.tickets import services

from ..factories import intake
from .helpers import send_all


def test_refused_mail_is_retried_with_backoff_then_delivered_once(db, smtp, school, settings) -> None:
    now = timezone.now()
    smtp.stop()
    for n in range(4):
        services.receive(school, intake(email=f"parent{n}@example.ru"), channel=Channel.WEB, now=now)
    assert set(send_all(now)) == {"retry"}
    row = Outbox.objects.first()
    assert row.attempts == 1 and row.next_attempt_at == now + timedelta(seconds=settings.OPORA_MAIL_BACKOFF_SECONDS)
    assert "Connection refused" in row.last_error or "Errno" in row.last_error
    assert send_all(now) == ["skipped"] * 4  # not before the backoff
    smtp.start()
    later = now + timedelta(minutes=5)
    assert set(send_all(later)) == {"sent"}
    assert send_all(later + timedelta(minutes=5)) == []
    assert sorted(m["To"] for m in smtp.inbox.messages) == [f"parent{n}@example.ru" for n in range(4)]


def test_after_the_last_attempt_the_head_sees_it_and_can_retry(db, smtp, school, elena, client, settings) -> None:
    settings.OPORA_MAIL_MAX_ATTEMPTS = 2
    now = timezone.now()
    smtp.stop()
    services.receive(school, intake(), channel=Channel.WEB, now=now)
    send_all(now)
    send_all(now + timedelta(hours=1))
    failed = Outbox.objects.get(kind="author_receipt")
    assert failed.state == OutboxState.FAILED
    assert Outbox.objects.filter(kind="head_failed", recipient=elena.email).exists()
    client.force_login(elena)
    assert failed.recipient in client.get("/notify/failed/").content.decode()
    smtp.start()
    client.post(f"/notify/failed/{failed.pk}/retry/")
    send_all(timezone.now() + timedelta(hours=2))
    failed.refresh_from_db()
    assert failed.state == OutboxState.SENT
    assert len(smtp.inbox.to(failed.recipient)) == 1


def test_a_task_that_runs_twice_sends_once(db, smtp, school) -> None:
    now = timezone.now()
    services.receive(school, intake(), channel=Channel.WEB, now=now)
    row = Outbox.objects.get(kind="author_receipt")
    assert delivery.deliver(row.pk, now) == "sent"
    assert delivery.deliver(row.pk, now) == "skipped"
    assert len(smtp.inbox.messages) == 1


def test_a_claimed_message_is_left_to_its_worker(db, smtp, school) -> None:
    now = timezone.now()
    services.receive(school, intake(), channel=Channel.WEB, now=now)
    row = Outbox.objects.get(kind="author_receipt")
    assert delivery.claim(row.pk, now) is not None
    assert delivery.deliver(row.pk, now) == "deferred"  # looks again when the lease runs out
    assert delivery.deliver(row.pk, now + delivery.lease() + timedelta(seconds=1)) == "sent"


def test_the_same_dedupe_key_is_one_row(db, school) -> None:
    from opora.notify.outbox import queue

    now = timezone.now()
    first = queue("author_reopened", organisation=school, recipient="a@example.ru", dedupe_key="k", context={}, now=now)
    again = queue("author_reopened", organisation=school, recipient="a@example.ru", dedupe_key="k", context={}, now=now)
    assert first is not None and again is None
