"""Two watcher copies at once record each warning and breach exactly once."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections

from opora.notify.models import Outbox
from opora.tickets.models import EventKind, TicketEvent
from opora.tickets.watcher import CHUNK, sweep

from ..factories import T0, submit


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("chunk", [CHUNK, 3])
def test_two_copies_record_each_event_once(school, chunk) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent watchers need PostgreSQL's row locks (SQLite runs one writer at a time)")
    for _ in range(40):
        submit(school)
    assert _race(T0 + timedelta(minutes=21), chunk) == 40  # the dispatch warnings
    assert _race(T0 + timedelta(minutes=31), chunk) == 40  # and the breaches
    assert TicketEvent.objects.filter(kind=EventKind.CLOCK_BREACHED).count() == 40
    assert TicketEvent.objects.filter(kind=EventKind.CLOCK_WARNING).count() == 40
    assert Outbox.objects.count() == Outbox.objects.values("dedupe_key").distinct().count() > 0


def test_a_second_pass_over_the_same_moment_records_nothing(school) -> None:
    for _ in range(3):
        submit(school)
    assert len(sweep(T0 + timedelta(hours=1)).news) == 3
    assert sweep(T0 + timedelta(hours=1)).news == []


def _race(at, chunk: int) -> int:
    """Two copies sweep the same moment at once; how much news they found between them."""
    start = threading.Barrier(2)
    totals: list[int] = []

    def run() -> None:
        start.wait()
        try:
            totals.append(len(sweep(at, chunk=chunk).news))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(totals)
