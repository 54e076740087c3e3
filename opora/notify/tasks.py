from django.utils import timezone
from django_tasks import task

from .delivery import deliver


@task()
def send_message(outbox_id: int) -> str:
    return deliver(outbox_id, timezone.now())
