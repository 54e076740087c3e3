"""A role's mail is one row the worker expands: nobody is missed, nobody hears twice, a crash loses nothing."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from opora.domain.enums import Channel, ServiceRole
from opora.notify import delivery
from opora.notify.models import Outbox, OutboxState
from opora.notify.outbox import expand
from opora.tickets import services

from ..factories import intake, make_staff
from .conftest import text_of
from .helpers import send_all


def receive(school, **overrides):
    return services.receive(school, intake(**overrides), channel=Channel.WEB, now=timezone.now()).ticket


def test_a_new_request_writes_one_row_for_all_dispatchers(db, school, dina, galya) -> None:
    with CaptureQueriesContext(connection) as queries:
        receive(school, email="")
    assert not any("auth_user" in q["sql"] for q in queries.captured_queries)  # nobody is looked up yet
    [row] = Outbox.objects.all()
    assert (row.kind, row.state, row.recipient) == ("fan_out", OutboxState.PENDING, "")
    assert row.render_context["roles"] == sorted(["hotline", "site_admin"])
    assert row.subject.startswith("Уведомления сотрудникам: ")  # what the head would see if it kept failing


def test_expanding_twice_writes_each_message_once(db, smtp, school, dina, galya) -> None:
    ticket = receive(school, email="")
    row = Outbox.objects.get(kind="fan_out")
    now = timezone.now()
    assert len(expand(row, now)) == 2  # written and claimed; then the worker died before sending them
    assert expand(row, now + timedelta(seconds=1)) == []  # a second worker after a crash: the messages' own keys hold
    assert Outbox.objects.filter(kind="dispatch_new").count() == 2
    assert send_all(now) == ["deferred", "deferred"]  # the dead worker's claims hold
    assert smtp.inbox.messages == []
    later = now + delivery.lease() + timedelta(seconds=1)
    assert send_all(later) == ["sent", "sent"]
    for person in (dina, galya):
        [message] = smtp.inbox.to(person.email)
        assert ticket.number in text_of(message)


def test_whoever_holds_the_role_when_the_worker_runs_is_told(db, smtp, school, dina) -> None:
    receive(school, email="")
    zoya = make_staff(school, "zoya", ServiceRole.HOTLINE)  # came on duty a moment later
    send_all()
    assert smtp.inbox.to(dina.email) and smtp.inbox.to(zoya.email)


def test_a_worker_killed_while_expanding_leaves_the_row_to_the_next(db, smtp, school, dina) -> None:
    receive(school, email="")
    now = timezone.now()
    row = Outbox.objects.get(kind="fan_out")
    assert delivery.claim(row.pk, now) is not None  # claimed, then the worker died before it committed
    assert delivery.deliver(row.pk, now) == "skipped"  # another task for it leaves it to the one expanding it
    later = now + delivery.lease() + timedelta(seconds=1)
    assert delivery.sweep(later + timedelta(minutes=5)) == 1
    assert delivery.deliver(row.pk, later) == "expanded"
    assert Outbox.objects.get(pk=row.pk).state == OutboxState.SENT
    send_all(later)
    assert len(smtp.inbox.to(dina.email)) == 1


def test_a_named_assignee_is_told_at_once_without_a_fan_out(db, school, dina, egor) -> None:
    ticket = receive(school, email="")
    services.route(ticket, actor=dina, role=ServiceRole.EJOURNAL_ADMIN, now=timezone.now(), assignee=egor)
    assert Outbox.objects.filter(kind="staff_routed", recipient=egor.email).exists()
    assert not Outbox.objects.filter(kind="fan_out", dedupe_key__startswith="fan_out:staff_routed").exists()
