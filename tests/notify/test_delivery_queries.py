"""What one message costs the worker in statements: on the first day there are tens of thousands of them."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from opora.domain.enums import Channel
from opora.notify import delivery
from opora.notify.models import Outbox, OutboxState
from opora.tickets import services

from ..factories import intake
from .conftest import text_of


def _delivered(outbox_id: int) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        outcome = delivery.deliver(outbox_id, timezone.now())
    return outcome, [q["sql"] for q in queries.captured_queries]


def _reads(statements: list[str], table: str) -> int:
    return sum(1 for sql in statements if sql.startswith("SELECT") and f'FROM "{table}"' in sql)


def test_the_dispatchers_fan_out_reads_its_school_and_request_once(db, smtp, school, dina, galya) -> None:
    ticket = services.receive(school, intake(email=""), channel=Channel.WEB, now=timezone.now()).ticket
    outcome, statements = _delivered(Outbox.objects.get(kind="fan_out").pk)
    assert outcome == "expanded"
    assert _reads(statements, "accounts_organisation") == 0  # read with the row
    assert _reads(statements, "tickets_ticket") == 0
    assert len(statements) == 11
    for message in Outbox.objects.filter(kind="dispatch_new"):
        outcome, statements = _delivered(message.pk)
        assert outcome == "sent"
        assert _reads(statements, "accounts_organisation") == _reads(statements, "tickets_ticket") == 0
        assert len(statements) == 6
        assert Outbox.objects.get(pk=message.pk).state == OutboxState.SENT
    for person in (dina, galya):
        [mail] = smtp.inbox.to(person.email)
        assert ticket.number in text_of(mail) and f"/desk/t/{ticket.number}/" in text_of(mail)


def test_a_family_receipt_names_its_school_and_request(db, smtp, school) -> None:
    received = services.receive(school, intake(), channel=Channel.WEB, now=timezone.now())
    receipt = Outbox.objects.get(kind="author_receipt")
    outcome, statements = _delivered(receipt.pk)
    assert outcome == "sent"
    assert _reads(statements, "accounts_organisation") == _reads(statements, "tickets_ticket") == 0
    [mail] = smtp.inbox.to("kuznetsova@example.ru")
    assert received.ticket.number in text_of(mail) and received.status_token in text_of(mail)
