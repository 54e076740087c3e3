from django.utils import timezone

from opora.notify.delivery import deliver
from opora.notify.models import Outbox, OutboxState


def send_all(now=None) -> list[str]:
    """What the workers do for every pending row, in order. A row that stands for a whole role is expanded into
    a message each, which the same worker sends at once: its outcome is listed as those messages' own (sent, or
    left for a retry). Each message is tried once a call."""
    now = now or timezone.now()
    outcomes: list[str] = []
    seen: set[int] = set()
    while True:
        pending = Outbox.objects.filter(state=OutboxState.PENDING).exclude(pk__in=seen).order_by("pk")
        batch = list(pending.values_list("pk", flat=True))
        if not batch:
            return outcomes
        seen.update(batch)
        for pk in batch:
            if Outbox.objects.filter(pk=pk, kind="fan_out").exclude(state=OutboxState.PENDING).exists():
                continue  # expanded with an earlier one that waited beside it: its task finds nothing to do
            known = set(Outbox.objects.values_list("pk", flat=True))
            outcome = deliver(pk, now)
            if outcome != "expanded":
                outcomes.append(outcome)
                continue
            # The watcher's messages are left to tasks of their own: the loop sends them next.
            tried = Outbox.objects.exclude(pk__in=known).filter(attempts__gt=0).order_by("pk")
            seen.update(row.pk for row in tried)
            outcomes += [_outcome(row) for row in tried]


def _outcome(row: Outbox) -> str:
    if row.state == OutboxState.SENT:
        return "sent"
    return "failed" if row.state == OutboxState.FAILED else "retry"


def expand_all(now=None) -> int:
    """What a worker does first with the watcher's mail: each fan-out row becomes its messages."""
    now = now or timezone.now()
    rows = Outbox.objects.filter(state=OutboxState.PENDING, kind="fan_out").values_list("pk", flat=True)
    return sum(deliver(pk, now) == "expanded" for pk in list(rows))
