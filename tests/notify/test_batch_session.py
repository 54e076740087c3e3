"""A role's messages go out with the worker that wrote them, over one conversation with the mail server, and a
failure stays its own. So do the watcher's batches, which go in tasks of their own."""

from datetime import timedelta

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from opora.domain.enums import Channel, ServiceRole
from opora.notify import delivery, kinds
from opora.notify.models import Outbox, OutboxState
from opora.notify.receivers import to_staff
from opora.notify.tasks import send_messages
from opora.tickets import services
from opora.tickets.models import TicketEvent

from ..factories import intake, make_staff
from .helpers import send_all


def _new_request(school) -> Outbox:
    services.receive(school, intake(email=""), channel=Channel.WEB, now=timezone.now())
    return Outbox.objects.get(kind="fan_out")


def _dispatchers_messages() -> list[Outbox]:
    return list(Outbox.objects.filter(kind="dispatch_new").order_by("pk"))


def test_the_dispatchers_hear_of_a_new_request_from_the_worker_that_expands_it(db, smtp, school, dina, galya) -> None:
    make_staff(school, "zoya", ServiceRole.HOTLINE)
    fan_out = _new_request(school)
    assert delivery.deliver(fan_out.pk, timezone.now()) == "expanded"
    messages = _dispatchers_messages()
    assert len(messages) == 3 and {m.state for m in messages} == {OutboxState.SENT}
    assert all(m.attempts == 1 and m.claimed_until is None for m in messages)
    assert len(smtp.inbox.messages) == 3 and smtp.inbox.connections == 1
    assert not DBTaskResult.objects.filter(task_path="opora.notify.tasks.send_messages").exists()


def test_with_the_mail_server_away_each_message_waits_for_its_own_retry(db, smtp, school, dina, galya) -> None:
    fan_out = _new_request(school)
    smtp.stop()
    now = timezone.now()
    assert delivery.deliver(fan_out.pk, now) == "expanded"
    assert Outbox.objects.get(pk=fan_out.pk).state == OutboxState.SENT  # expanded for good; only mail waits
    messages = _dispatchers_messages()
    assert all(m.state == OutboxState.PENDING and m.attempts == 1 and m.last_error for m in messages)
    assert all(m.claimed_until is None and m.next_attempt_at == now + delivery.backoff(1) for m in messages)
    retries = DBTaskResult.objects.filter(task_path="opora.notify.tasks.send_message").exclude(
        args_kwargs__args=[fan_out.pk]
    )
    assert sorted(t.args_kwargs["args"][0] for t in retries) == [m.pk for m in messages]
    smtp.start()
    later = now + delivery.backoff(1) + delivery.lease()
    assert send_all(later) == ["sent", "sent"]
    assert sorted(m["To"] for m in smtp.inbox.messages) == sorted([dina.email, galya.email])


def test_a_refused_message_does_not_hold_up_the_rest(db, smtp, school, dina, galya) -> None:
    zoya = make_staff(school, "zoya", ServiceRole.HOTLINE)
    smtp.inbox.refuse.add(galya.email)  # the second of three, by the order they are written in
    assert delivery.deliver(_new_request(school).pk, timezone.now()) == "expanded"
    assert sorted(m["To"] for m in smtp.inbox.messages) == sorted([dina.email, zoya.email])
    assert smtp.inbox.connections == 2  # the one after the refusal came on a connection of its own
    row = Outbox.objects.get(recipient=galya.email)
    assert row.state == OutboxState.PENDING and "554" in row.last_error
    smtp.inbox.refuse.clear()
    later = timezone.now() + delivery.backoff(1) + delivery.lease()
    assert send_all(later) == ["sent"]
    assert len(smtp.inbox.to(galya.email)) == 1 and len(smtp.inbox.to(dina.email)) == 1


def _queued_batch(school) -> list[int]:
    """Staff mail queued for a task of its own, as the watcher's warnings are."""
    fan_out = _new_request(school)
    event = TicketEvent.objects.get(pk=fan_out.render_context["_refs"]["event"])
    people = [m.user for m in school.memberships.select_related("user").order_by("user_id")]
    written = to_staff(kinds.DISPATCH_WARNING, people, event, {"clock": "dispatch"})
    [task] = DBTaskResult.objects.filter(task_path="opora.notify.tasks.send_messages")
    assert task.args_kwargs["args"] == [[row.pk for row in written]]
    return [row.pk for row in written]


def test_a_queued_batch_is_sent_in_one_conversation(db, smtp, school, dina, galya) -> None:
    make_staff(school, "zoya", ServiceRole.HOTLINE)
    batch = _queued_batch(school)
    assert send_messages.call(batch) == {"sent": 3}
    assert len(smtp.inbox.messages) == 3 and smtp.inbox.connections == 1


def test_a_batch_with_nothing_left_to_send_does_not_call_the_mail_server(db, smtp, school, dina, galya) -> None:
    batch = _queued_batch(school)
    assert send_messages.call(batch) == {"sent": 2}
    assert send_messages.call(batch) == {"skipped": 2}  # a task run twice
    assert smtp.inbox.connections == 1


def test_a_queued_batch_with_the_server_away_waits_message_by_message(db, smtp, school, dina, galya) -> None:
    batch = _queued_batch(school)
    smtp.stop()
    assert send_messages.call(batch) == {"retry": 2}
    assert all(row.attempts == 1 and row.last_error for row in Outbox.objects.filter(pk__in=batch))


def test_messages_left_when_the_claims_run_short_go_to_the_sweep(db, smtp, school, dina, galya, settings) -> None:
    settings.OPORA_MAIL_LEASE_SECONDS = 0  # as if the mail server had taken the whole claim already
    fan_out = _new_request(school)
    now = timezone.now()
    assert delivery.deliver(fan_out.pk, now) == "expanded"
    assert smtp.inbox.messages == []
    assert {m.state for m in _dispatchers_messages()} == {OutboxState.PENDING}
    assert delivery.sweep(now + timedelta(minutes=4)) == 2
    assert send_all(now + timedelta(minutes=4)) == ["sent", "sent"]
    assert sorted(m["To"] for m in smtp.inbox.messages) == sorted([dina.email, galya.email])
