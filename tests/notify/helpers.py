from django.utils import timezone

from opora.notify.delivery import deliver
from opora.notify.models import Outbox, OutboxState


def send_all(now=None) -> list[str]:
    """What a worker does for every pending row, in order: a row that stands for a whole role is expanded
    into a message each, which is then sent in the same call. Expansions are not listed, so the outcomes
    are those of real messages."""
    now = now or timezone.now()
    outcomes: list[str] = []
    seen: set[int] = set()
    while True:
        pending = Outbox.objects.filter(state=OutboxState.PENDING).exclude(pk__in=seen).order_by("pk")
        batch = list(pending.values_list("pk", flat=True))
        if not batch:
            return outcomes
        seen.update(batch)
        outcomes += [outcome for outcome in (deliver(pk, now) for pk in batch) if outcome != "expanded"]


def expand_all(now=None) -> int:
    """What a worker does first with the watcher's mail: each fan-out row becomes its messages."""
    now = now or timezone.now()
    rows = Outbox.objects.filter(state=OutboxState.PENDING, kind="fan_out").values_list("pk", flat=True)
    return sum(deliver(pk, now) == "expanded" for pk in list(rows))
