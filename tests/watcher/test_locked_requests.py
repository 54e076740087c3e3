"""A request someone is acting on is left to the next sweep, never read half-changed or written over."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction

from opora.domain.enums import ServiceRole
from opora.tickets import services
from opora.tickets.models import EventKind, TicketEvent, TicketWatch
from opora.tickets.services._core import lock
from opora.tickets.watcher import sweep

from ..factories import T0, submit

LATE = T0 + timedelta(hours=1)


@pytest.mark.django_db(transaction=True)
def test_the_sweep_skips_a_request_locked_by_a_service_and_takes_it_next_time(school, dina) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (SQLite runs one writer at a time)")
    busy, free = submit(school), submit(school)
    locked, release = threading.Event(), threading.Event()

    def dispatcher_at_work() -> None:
        try:
            with transaction.atomic():
                lock(busy)
                locked.set()
                release.wait(10)
        finally:
            connections.close_all()

    worker = threading.Thread(target=dispatcher_at_work)
    worker.start()
    assert locked.wait(10)
    first = sweep(LATE)
    release.set()
    worker.join()
    assert {news.ticket_id for news in first.news} == {free.pk}
    assert TicketWatch.objects.get(pk=busy.pk).dispatch_breached_at is None
    second = sweep(LATE + timedelta(seconds=5))
    assert {(news.ticket_id, news.breached) for news in second.news} == {(busy.pk, True)}


def test_a_service_right_after_the_sweep_keeps_its_stamps(school, dina) -> None:
    """Routed the moment after the sweep recorded the breach: the new take-in clock starts from the watch
    row the sweep left, so the dispatch breach is not recorded a second time."""
    ticket = submit(school)
    sweep(LATE)
    routed = services.route(ticket, actor=dina, role=ServiceRole.EJOURNAL_ADMIN, now=LATE)
    assert routed.watch.dispatch_breached_at == LATE
    assert routed.watch.watch_at == LATE + timedelta(minutes=20)  # the take-in warning
    sweep(LATE + timedelta(hours=2))
    assert TicketEvent.objects.filter(ticket=ticket, kind=EventKind.CLOCK_BREACHED, data__clock="dispatch").count() == 1
