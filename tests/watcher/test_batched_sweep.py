"""A sweep writes a batch of requests with a fixed number of queries; the worker renders their mail."""

from datetime import timedelta

from opora.domain.enums import ServiceRole
from opora.notify.models import Outbox
from opora.tickets import services
from opora.tickets.models import EventKind, TicketEvent
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
    routed(school, dina, 3)
    few = queries_for_a_sweep(django_assert_max_num_queries, 3)
    routed(school, dina, 30)
    many = queries_for_a_sweep(django_assert_max_num_queries, 30)
    # SQLite splits an INSERT at 999 parameters; PostgreSQL writes each table with one statement.
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
