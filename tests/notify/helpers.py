from django.utils import timezone

from opora.notify.delivery import deliver
from opora.notify.models import Outbox, OutboxState


def send_all(now=None) -> list[str]:
    """What a worker does for every pending row, in order."""
    now = now or timezone.now()
    return [deliver(pk, now) for pk in Outbox.objects.filter(state=OutboxState.PENDING).values_list("pk", flat=True)]
