"""A family's own mail has a task queue of its own, which production serves at the web's CPU priority."""

from datetime import timedelta

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from opora.domain.enums import Channel
from opora.notify import delivery
from opora.notify.models import Outbox
from opora.tickets import services

from ..factories import intake
from .helpers import send_all


def _queues() -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    rows = DBTaskResult.objects.filter(task_path="opora.notify.tasks.send_message").order_by("enqueued_at")
    for args_kwargs, queue in rows.values_list("args_kwargs", "queue_name"):
        found.setdefault(args_kwargs["args"][0], []).append(queue)
    return found


def test_a_receipt_goes_to_the_families_queue_and_staff_mail_to_the_default_one(db, smtp, school, dina) -> None:
    services.receive(school, intake(email="mama@example.ru"), channel=Channel.WEB, now=timezone.now())
    receipt = Outbox.objects.get(kind="author_receipt")
    fan_out = Outbox.objects.get(kind="fan_out")
    assert _queues() == {receipt.pk: ["families"], fan_out.pk: ["default"]}


def test_a_receipts_retry_stays_in_the_families_queue(db, smtp, school) -> None:
    services.receive(school, intake(email="mama@example.ru"), channel=Channel.WEB, now=timezone.now())
    receipt = Outbox.objects.get(kind="author_receipt")
    smtp.stop()
    now = timezone.now()
    assert send_all(now) == ["retry"]
    assert _queues()[receipt.pk] == ["families", "families"]
    retry = DBTaskResult.objects.filter(queue_name="families").order_by("enqueued_at").last()
    assert retry is not None and retry.run_after == now + delivery.backoff(1)
    assert retry.priority > 0
    smtp.start()
    assert send_all(now + timedelta(hours=1)) == ["sent"]
