"""A batch of staff messages goes over one conversation with the mail server, and a failure stays its own."""

from django.utils import timezone

from opora.domain.enums import Channel, ServiceRole
from opora.notify import delivery
from opora.notify.models import Outbox, OutboxState
from opora.notify.tasks import send_messages
from opora.tickets import services

from ..factories import intake, make_staff
from .helpers import send_all


def _dispatchers_messages(school) -> list[int]:
    """A new request's fan-out expanded, as the worker's first task does: a message for each dispatcher."""
    services.receive(school, intake(email=""), channel=Channel.WEB, now=timezone.now())
    assert delivery.deliver(Outbox.objects.get(kind="fan_out").pk, timezone.now()) == "expanded"
    return list(Outbox.objects.filter(kind="dispatch_new").order_by("pk").values_list("pk", flat=True))


def test_a_batch_is_sent_in_one_conversation(db, smtp, school, dina, galya) -> None:
    make_staff(school, "zoya", ServiceRole.HOTLINE)
    batch = _dispatchers_messages(school)
    assert len(batch) == 3
    assert send_messages.call(batch) == {"sent": 3}
    assert len(smtp.inbox.messages) == 3 and smtp.inbox.connections == 1


def test_with_the_mail_server_away_each_message_waits_for_its_own_retry(db, smtp, school, dina, galya) -> None:
    batch = _dispatchers_messages(school)
    smtp.stop()
    assert send_messages.call(batch) == {"retry": 2}
    assert all(row.attempts == 1 and row.last_error for row in Outbox.objects.filter(pk__in=batch))
    smtp.start()
    later = timezone.now() + delivery.backoff(1) + delivery.lease()
    assert send_all(later) == ["sent", "sent"]
    assert sorted(m["To"] for m in smtp.inbox.messages) == sorted([dina.email, galya.email])


def test_a_refused_message_does_not_hold_up_the_rest(db, smtp, school, dina, galya) -> None:
    zoya = make_staff(school, "zoya", ServiceRole.HOTLINE)
    batch = _dispatchers_messages(school)
    recipients = dict(Outbox.objects.filter(pk__in=batch).values_list("pk", "recipient"))
    refused = batch[1]
    smtp.inbox.refuse.add(recipients[refused])
    assert send_messages.call(batch) == {"sent": 2, "retry": 1}
    assert sorted(m["To"] for m in smtp.inbox.messages) == sorted(recipients[pk] for pk in batch if pk != refused)
    assert smtp.inbox.connections == 2  # the one after the refusal came on a connection of its own
    row = Outbox.objects.get(pk=refused)
    assert row.state == OutboxState.PENDING and "554" in row.last_error
    smtp.inbox.refuse.clear()
    later = timezone.now() + delivery.backoff(1) + delivery.lease()
    assert send_all(later) == ["sent"]
    assert len(smtp.inbox.to(recipients[refused])) == 1
    assert {dina.email, galya.email, zoya.email} == set(recipients.values())
