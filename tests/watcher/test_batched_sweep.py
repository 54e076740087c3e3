"""A sweep writes a batch of requests with a fixed number of queries; the worker renders their mail."""

from datetime import timedelta

from opora.domain.enums import ServiceRole
from opora.notify.models import Outbox
from opora.tickets import services
from opora.tickets.models import EventKind, TicketEvent, TicketWatch
from opora.tickets.watcher import sweep

from ..factories import T0, submit

LATE = T0 + timedelta(hours=2)


def routed(school, dina, count: int) -> None:
    for _ in range(count):
        services.route(submit(school), actor=dina, role=ServiceRole.EJOURNAL_ADMIN, now=T0)


def queries_for_a_sweep(django_assert_max_num_queries, count: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        result = sweep(LATE)
    assert result.checked == count
    return len(captured)


def test_the_number_of_queries_does_not_grow_with_the_batch(school, dina, egor, elena, django_assert_max_num_queries):
    from django.db import connection

    routed(school, dina, 3)
    few = queries_for_a_sweep(django_assert_max_num_queries, 3)
    routed(school, dina, 30)
    many = queries_for_a_sweep(django_assert_max_num_queries, 30)
    if connection.vendor == "postgresql":
        assert many == few
    else:  # SQLite splits an INSERT at 999 parameters
        assert many <= few + 2
    assert few <= 14


def test_a_batch_splits_into_transactions_and_stops_at_its_limit(school, dina, egor) -> None:
    routed(school, dina, 7)
    first = sweep(LATE, batch=5, chunk=2)
    assert first.checked == 5
    assert sweep(LATE, batch=5, chunk=2).checked == 2
    assert TicketEvent.objects.filter(kind=EventKind.CLOCK_BREACHED, data__clock="take").count() == 7
    assert sweep(LATE).checked == 0  # each request's next moment is now in the future


def test_a_second_sweep_writes_no_second_mail(school, dina, egor) -> None:
    routed(school, dina, 3)
    sweep(LATE)
    before = Outbox.objects.count()
    sweep(LATE + timedelta(minutes=1))
    assert Outbox.objects.count() == before


def test_a_closed_request_left_with_a_watch_is_never_claimed(school, dina) -> None:
    ticket = services.withdraw(submit(school), actor=dina, reason="spam", now=T0)
    TicketWatch.objects.filter(pk=ticket.pk).update(watch_at=T0)
    assert sweep(LATE).checked == 0
    assert TicketWatch.objects.get(pk=ticket.pk).watch_at == T0
    assert not TicketEvent.objects.filter(ticket=ticket, kind__in=[EventKind.CLOCK_WARNING, EventKind.CLOCK_BREACHED])


def test_each_request_gets_its_own_stamps_and_next_moment(school, dina) -> None:
    first, second = submit(school), submit(school, now=T0 + timedelta(minutes=15))
    sweep(T0 + timedelta(minutes=36))
    late, fresh = TicketWatch.objects.get(pk=first.pk), TicketWatch.objects.get(pk=second.pk)
    assert late.dispatch_breached_at == late.dispatch_warned_at == T0 + timedelta(minutes=36)
    assert late.watch_at == T0 + timedelta(hours=22)  # the resolution warning
    assert fresh.dispatch_warned_at == T0 + timedelta(minutes=36)
    assert fresh.dispatch_breached_at is None
    assert fresh.watch_at == T0 + timedelta(minutes=45)
