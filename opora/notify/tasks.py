from django.utils import timezone
from django_tasks import task

from .delivery import conversation, deliver


@task()
def send_message(outbox_id: int) -> str:
    return deliver(outbox_id, timezone.now())


@task()
def send_messages(outbox_ids: list[int]) -> dict[str, int]:
    """A batch (the watcher's warnings): one task instead of one per message, each still claimed on its own,
    and one conversation with the mail server for all of them while it goes well."""
    outcomes: dict[str, int] = {}
    with conversation() as talk:
        for outbox_id in outbox_ids:
            outcome = deliver(outbox_id, timezone.now(), talk)
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes
