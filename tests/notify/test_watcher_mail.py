"""Breach and warning mail from the watcher's batches: written with the change, rendered by the worker."""

from datetime import timedelta

import pytest

from opora.domain.enums import ServiceRole
from opora.notify.models import Outbox, OutboxState, Preference
from opora.tickets import services
from opora.tickets.watcher import sweep

from ..factories import T0, submit
from .conftest import text_of
from .helpers import send_all

LATE = T0 + timedelta(hours=2)


def routed(school, dina, count: int) -> None:
    for _ in range(count):
        services.route(submit(school), actor=dina, role=ServiceRole.EJOURNAL_ADMIN, now=T0)


def test_breach_mail_is_written_with_the_change_and_rendered_by_the_worker(db, smtp, school, dina, egor) -> None:
    routed(school, dina, 2)
    Outbox.objects.all().delete()
    sweep(LATE)
    rows = Outbox.objects.filter(recipient=egor.email, kind="staff_breach")
    assert rows.count() == 2 and all(row.subject == "" for row in rows)
    send_all(LATE)
    sent = smtp.inbox.to(egor.email)
    numbers = sorted(rows.values_list("ticket__number", flat=True))
    assert len([m for m in sent if "нарушен срок" in text_of(m)]) == 2
    for number in numbers:
        assert any(f"/desk/t/{number}/" in text_of(m) for m in sent)
    assert set(rows.values_list("state", flat=True)) == {OutboxState.SENT}
    assert all(row.subject for row in rows.all())  # read again, not the cached rows


def test_a_dispatcher_on_digests_gets_warnings_held_with_their_subject(school, dina) -> None:
    Preference.objects.create(user=dina, digest_minutes=60)
    ticket = submit(school)
    sweep(T0 + timedelta(minutes=21))
    [held] = Outbox.objects.filter(recipient=dina.email, kind="dispatch_warning")
    assert held.state == OutboxState.HELD
    assert ticket.number in held.subject


@pytest.mark.parametrize("psychologist_only", [True, False])
def test_psychologist_requests_breach_mail_keeps_their_words_private(
    db, smtp, school, elena, polina, tolya, psychologist_only
) -> None:
    ticket = submit(school, request_type="psychologist", description="Сын говорит, что всё надоело")
    if not psychologist_only:
        services.reassign(ticket, actor=elena, role=ServiceRole.TECHNICIAN, now=T0)
    Outbox.objects.all().delete()
    sweep(LATE)
    send_all(LATE)
    recipient = polina if psychologist_only else tolya
    [mail] = [m for m in smtp.inbox.to(recipient.email) if "нарушен срок" in text_of(m)]
    assert ticket.number in text_of(mail)
    assert "всё надоело" not in text_of(mail)


def test_a_large_batch_is_sent_by_several_tasks(school, dina, egor, monkeypatch) -> None:
    from django_tasks_db.models import DBTaskResult

    from opora.notify import batch

    monkeypatch.setattr(batch, "TASK_SIZE", 2)
    routed(school, dina, 5)
    DBTaskResult.objects.all().delete()
    sweep(LATE)
    tasks = DBTaskResult.objects.filter(task_path="opora.notify.tasks.send_messages")
    ids = [pk for task in tasks for pk in task.args_kwargs["args"][0]]
    assert all(len(task.args_kwargs["args"][0]) <= 2 for task in tasks)
    pending = Outbox.objects.filter(state=OutboxState.PENDING, created_at=LATE)
    assert sorted(ids) == sorted(pending.values_list("pk", flat=True))
    assert len(ids) >= 5
