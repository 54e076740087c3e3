"""What one message costs the worker in statements: on the first day there are tens of thousands of them."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from opora.domain.enums import Channel, ServiceRole
from opora.notify import delivery
from opora.notify.models import Outbox, OutboxState
from opora.tickets import services

from ..factories import intake, make_staff
from .conftest import text_of


def _delivered(outbox_id: int) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        outcome = delivery.deliver(outbox_id, timezone.now())
    return outcome, [q["sql"] for q in queries.captured_queries]


def _reads(statements: list[str], table: str) -> int:
    return sum(1 for sql in statements if sql.startswith("SELECT") and f'FROM "{table}"' in sql)


def _fan_out_for(school) -> tuple[str, list[str]]:
    services.receive(school, intake(email=""), channel=Channel.WEB, now=timezone.now())
    return _delivered(Outbox.objects.get(kind="fan_out", state=OutboxState.PENDING).pk)


def test_the_dispatchers_fan_out_reads_its_school_and_request_once(db, smtp, school, dina, galya) -> None:
    outcome, statements = _fan_out_for(school)
    assert outcome == "expanded"
    assert _reads(statements, "accounts_organisation") == 0  # read with the row
    assert _reads(statements, "tickets_ticket") == 0
    # The fan-out row, and the look for others waiting with it (none): its messages' ids come with the insert.
    assert _reads(statements, "notify_outbox") == 2
    assert sum(sql.startswith("INSERT") for sql in statements) == 1  # every message, rendered and claimed
    assert len(statements) == 12
    for person in (dina, galya):
        [mail] = smtp.inbox.to(person.email)
        number = Outbox.objects.get(recipient=person.email).ticket.number
        assert number in text_of(mail) and f"/desk/t/{number}/" in text_of(mail)


def test_each_more_dispatcher_costs_the_fan_out_one_statement(db, smtp, school, dina, galya) -> None:
    _outcome, with_two = _fan_out_for(school)
    make_staff(school, "zoya", ServiceRole.HOTLINE)
    _outcome, with_three = _fan_out_for(school)
    assert len(with_three) == len(with_two) + 1  # the mark that it was sent
    assert Outbox.objects.filter(kind="dispatch_new", state=OutboxState.SENT).count() == 5


def test_a_family_receipt_names_its_school_and_request(db, smtp, school) -> None:
    received = services.receive(school, intake(), channel=Channel.WEB, now=timezone.now())
    receipt = Outbox.objects.get(kind="author_receipt")
    outcome, statements = _delivered(receipt.pk)
    assert outcome == "sent"
    assert _reads(statements, "accounts_organisation") == _reads(statements, "tickets_ticket") == 0
    # The claim, the row, its event; the text goes with the mark that it was sent.
    assert len(statements) == 4 and statements[-1].startswith('UPDATE "notify_outbox" SET "state" = \'sent\'')
    [mail] = smtp.inbox.to("kuznetsova@example.ru")
    assert received.ticket.number in text_of(mail) and received.status_token in text_of(mail)
