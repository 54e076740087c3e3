from django.utils import timezone
from django_tasks import task

from .delivery import deliver


@task()
def send_message(outbox_id: int) -> str:
    return deliver(outbox_id, timezone.now())


@task()
def send_messages(outbox_ids: list[int]) -> dict[str, int]:
    """A batch from the watcher: one task instead of one per message; each is still claimed on its own."""
    outcomes: dict[str, int] = {}
    for outbox_id in outbox_ids:
        outcome = deliver(outbox_id, timezone.now())
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes
