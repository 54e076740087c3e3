"""The deadline watcher: finds requests whose next clock moment has come, through one indexed column."""

import gc
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import close_old_connections
from django.urls import get_resolver
from django.utils import timezone

from .services.clocks import ClockNews, check_due

log = logging.getLogger("opora.watcher")
BATCH = 10_000
# Requests per transaction. Each transaction costs a fixed dozen statements and one UPDATE of wide rows, so
# a large batch in few transactions is cheapest; its row locks last about a second even at 10,000 rows.
CHUNK = 10_000


def prepare_process() -> None:
    """What a watcher process does once, before its first sweep. The staff mail's links need the URL modules,
    so they are loaded now rather than inside the first sweep. Then everything loaded so far is set aside
    from the garbage collector: a sweep makes tens of thousands of small objects, and each full collection
    would otherwise walk all of Django as well (about 50 ms of a 10,000-request sweep)."""
    get_resolver().url_patterns  # noqa: B018
    gc.collect()
    gc.freeze()


@dataclass
class SweepResult:
    run_id: str
    checked: int = 0
    news: list[ClockNews] = field(default_factory=list)

    @property
    def breaches(self) -> list[ClockNews]:
        return [n for n in self.news if n.breached]


def sweep(now: datetime, batch: int = BATCH, chunk: int = CHUNK) -> SweepResult:
    result = SweepResult(run_id=uuid.uuid4().hex[:12])
    while result.checked < batch:
        limit = min(chunk, batch - result.checked)
        checked, news = check_due(now, limit)
        result.checked += checked
        result.news.extend(news)
        if checked < limit:  # nothing more is due, or another copy holds the rest
            break
    return result


AfterSweep = Callable[[SweepResult, datetime], None]


def run_forever(interval: float, after: AfterSweep, stop: Callable[[], bool] = lambda: False) -> None:
    while not stop():
        started = time.monotonic()
        close_old_connections()
        now = timezone.now()
        try:
            result = sweep(now)
            after(result, now)
            if result.news:
                log.info("watcher run %s: %d checked, %d events", result.run_id, result.checked, len(result.news))
        except Exception:
            log.exception("watcher run failed; retrying next interval")
        time.sleep(max(0.0, interval - (time.monotonic() - started)))
