"""Breach and warning mail from the watcher's batches: a fan-out row written with the change, expanded into
messages and rendered by the worker."""

from datetime import timedelta

import pytest

from opora.domain.enums import ServiceRole
from opora.notify import batch
from opora.notify.delivery import deliver
from opora.notify.models import Outbox, OutboxState, Preference
from opora.notify.outbox import expand
from opora.tickets import services
from opora.tickets.watcher import sweep

from ..factories import T0, make_staff, submit
from .conftest import text_of
from .helpers import expand_all, send_all

LATE = T0 + timedelta(hours=2)


def routed(school, dina, count: int) -> None:
    for _ in range(count):
        services.route(submit(school), actor=dina, role=ServiceRole.EJOURNAL_ADMIN, now=T0)


def test_breach_mail_is_written_with_the_change_and_rendered_by_the_worker(db, smtp, school, dina, egor) -> None:
    routed(school, dina, 2)
    Outbox.objects.all().delete()
    result = sweep(LATE)
    [fan_out] = Outbox.objects.all()  # the sweep's transaction writes one row for its two breaches
    assert fan_out.kind == "fan_out" and len(fan_out.render_context["clock_events"]) == len(result.news) == 2
    assert deliver(fan_out.pk, LATE) == "expanded"
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
    expand_all(T0 + timedelta(minutes=21))
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

    monkeypatch.setattr(batch, "TASK_SIZE", 2)
    routed(school, dina, 5)
    Outbox.objects.all().delete()
    sweep(LATE)
    DBTaskResult.objects.all().delete()
    expand_all(LATE)
    tasks = DBTaskResult.objects.filter(task_path="opora.notify.tasks.send_messages")
    ids = [pk for task in tasks for pk in task.args_kwargs["args"][0]]
    assert all(len(task.args_kwargs["args"][0]) <= 2 for task in tasks)
    pending = Outbox.objects.filter(state=OutboxState.PENDING, created_at=LATE)
    assert sorted(ids) == sorted(pending.values_list("pk", flat=True))
    assert len(ids) >= 5


def test_a_large_sweep_writes_a_fan_out_row_per_school_and_thousand_events(school, dina, monkeypatch) -> None:
    from django_tasks_db.models import DBTaskResult

    from ..factories import make_school

    monkeypatch.setattr(batch, "FAN_OUT_SIZE", 3)
    other = make_school("school9")
    make_staff(other, "dasha", ServiceRole.SITE_ADMIN)
    for place in (school, school, school, school, other, other):
        submit(place)
    Outbox.objects.all().delete()
    DBTaskResult.objects.all().delete()
    sweep(LATE)  # a breach each: four events here, two there
    rows = Outbox.objects.order_by("organisation_id", "pk")
    assert [(r.organisation_id, len(r.render_context["clock_events"])) for r in rows] == [
        (school.pk, 3),
        (school.pk, 1),
        (other.pk, 2),
    ]
    tasks = DBTaskResult.objects.filter(task_path="opora.notify.tasks.send_message")
    assert sorted(task.args_kwargs["args"][0] for task in tasks) == sorted(r.pk for r in rows)
    assert all(task.priority == 0 for task in tasks)  # behind the families' own mail


def test_expanding_a_sweep_twice_writes_each_message_once(school, dina, galya) -> None:
    submit(school)
    Outbox.objects.all().delete()
    sweep(LATE)
    [row] = Outbox.objects.all()
    expand(row, LATE)
    expand(row, LATE)  # a second worker, after the first one's lease ran out
    kinds = list(Outbox.objects.exclude(kind="fan_out").values_list("kind", "recipient"))
    assert sorted(kinds) == sorted(("staff_breach", person.email) for person in (dina, galya))


def test_a_request_handed_on_before_the_worker_expands_is_told_to_its_new_holder(
    school, dina, egor, elena, tolya
) -> None:
    ticket = services.route(submit(school), actor=dina, role=ServiceRole.EJOURNAL_ADMIN, now=T0)
    ticket = services.take(ticket, actor=egor, now=T0 + timedelta(minutes=1))
    Outbox.objects.all().delete()
    sweep(LATE + timedelta(hours=21))  # the resolution warning
    services.reassign(ticket, actor=elena, role=ServiceRole.TECHNICIAN, assignee=tolya, now=LATE + timedelta(hours=21))
    expand_all(LATE + timedelta(hours=21))
    warnings = Outbox.objects.filter(kind="staff_warning")
    assert list(warnings.values_list("recipient", flat=True)) == [tolya.email]
