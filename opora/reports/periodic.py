from datetime import datetime

from django.core.cache import cache

from .tasks import roll_up_reports

# The watcher passes every few seconds; the roll-up is asked for at most this often.
INTERVAL_SECONDS = 15 * 60


def schedule(now: datetime) -> bool:
    """Queues the roll-up for the worker unless it was queued within the interval. Copies of the watcher
    sharing a cache queue it once; copies that don't only do the same work twice (the roll-up is idempotent)."""
    if not cache.add("reports:roll-up", now.isoformat(), timeout=INTERVAL_SECONDS):
        return False
    roll_up_reports.enqueue()
    return True
