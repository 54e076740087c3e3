"""The watcher as its process runs it: `watch_deadlines --once` for cron, after its one-time preparation."""

import gc
from collections.abc import Iterator
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from opora.tickets.models import EventKind, TicketEvent
from opora.tickets.watcher import prepare_process

from ..factories import T0, submit


@pytest.fixture
def unfrozen() -> Iterator[None]:
    """The test run's own objects go back to the collector afterwards."""
    yield
    gc.unfreeze()


def test_a_cron_pass_records_the_breach_that_came_due(school, dina, unfrozen) -> None:
    ticket = submit(school)
    out = StringIO()
    with time_machine.travel(T0 + timedelta(minutes=31), tick=False):
        call_command("watch_deadlines", "--once", stdout=out)
    assert out.getvalue().strip() == "checked 1, recorded 1"
    breach = TicketEvent.objects.get(ticket=ticket, kind=EventKind.CLOCK_BREACHED)
    assert breach.data["clock"] == "dispatch"


def test_preparing_the_process_sets_what_is_loaded_aside_from_the_collector(unfrozen) -> None:
    gc.unfreeze()
    prepare_process()
    # All of Django and Opora: far more than any sweep's own objects.
    assert gc.get_freeze_count() > 50_000
