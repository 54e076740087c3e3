"""A surge: new requests arrive faster than their mail goes out. Each dispatcher then gets one message listing
the requests that waited together, not one each; nothing is missed and nobody hears twice."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from opora.domain.enums import Channel, ServiceRole
from opora.notify import delivery
from opora.notify.models import Outbox, OutboxState, Preference
from opora.tickets import services
from opora.tickets.models import Ticket

from ..factories import intake, make_staff
from .conftest import subject_of, text_of


def _waiting(school, count: int, **overrides) -> list[Outbox]:
    """`count` new requests whose dispatchers' mail waits for a worker, oldest first."""
    for _ in range(count):
        services.receive(school, intake(email="", **overrides), channel=Channel.WEB, now=timezone.now())
    return list(Outbox.objects.filter(kind="fan_out").order_by("pk"))


def _numbers() -> list[str]:
    return list(Ticket.objects.order_by("pk").values_list("number", flat=True))


def test_each_dispatcher_gets_one_message_listing_the_requests_that_waited(db, smtp, school, dina, galya) -> None:
    fan_outs = _waiting(school, 4)
    now = timezone.now()
    assert delivery.deliver(fan_outs[0].pk, now) == "expanded"
    assert [delivery.deliver(row.pk, now) for row in fan_outs[1:]] == ["skipped"] * 3  # their tasks find them done
    for person in (dina, galya):
        [message] = smtp.inbox.to(person.email)
        assert subject_of(message) == "Новые обращения: 4"
        body = text_of(message)
        assert all(f"№ {number} (" in body for number in _numbers())
        assert "распределить до" in body and "https://support.school5.example.ru/" in body
    assert smtp.inbox.connections == 1
    assert set(Outbox.objects.filter(kind="fan_out").values_list("state", flat=True)) == {OutboxState.SENT}


def test_each_request_keeps_its_own_record_of_who_heard_of_it(db, smtp, school, dina, galya) -> None:
    fan_outs = _waiting(school, 3)
    delivery.deliver(fan_outs[0].pk, timezone.now())
    merged = Outbox.objects.filter(kind="dispatch_new")
    assert merged.count() == 6 and set(merged.values_list("state", flat=True)) == {OutboxState.MERGED}
    for ticket in Ticket.objects.all():
        assert set(merged.filter(ticket=ticket).values_list("user", flat=True)) == {dina.pk, galya.pk}
    together = Outbox.objects.filter(kind="together")
    assert set(together.values_list("state", "attempts", "claimed_until")) == {(OutboxState.SENT, 1, None)}


def test_a_quiet_moment_still_brings_one_message_per_request(db, smtp, school, dina) -> None:
    [fan_out] = _waiting(school, 1)
    delivery.deliver(fan_out.pk, timezone.now())
    [message] = smtp.inbox.to(dina.email)
    assert subject_of(message) == f"Новое обращение № {_numbers()[0]}"
    assert not Outbox.objects.filter(kind="together").exists()


def test_one_message_lists_at_most_the_set_number_and_the_rest_follow(db, smtp, settings, school, dina) -> None:
    settings.OPORA_MAIL_TOGETHER = 3
    fan_outs = _waiting(school, 5)
    now = timezone.now()
    outcomes = [delivery.deliver(row.pk, now) for row in fan_outs]
    # The second finds its row gone with the first, and takes the two still waiting.
    assert outcomes == ["expanded", "expanded", "skipped", "skipped", "skipped"]
    subjects = sorted(subject_of(m) for m in smtp.inbox.to(dina.email))
    assert subjects == ["Новые обращения: 2", "Новые обращения: 3"]
    listed = "".join(text_of(m) for m in smtp.inbox.to(dina.email))
    assert all(listed.count(f"№ {number} (") == 1 for number in _numbers())


def test_schools_are_never_mixed(db, smtp, school, other_school, dina) -> None:
    olga = make_staff(other_school, "olga", ServiceRole.SITE_ADMIN)
    _waiting(school, 2)
    _waiting(other_school, 2)
    rows = list(Outbox.objects.filter(kind="fan_out").order_by("pk"))
    now = timezone.now()
    assert [delivery.deliver(row.pk, now) for row in rows] == ["expanded", "skipped", "expanded", "skipped"]
    [ours] = smtp.inbox.to(dina.email)
    [theirs] = smtp.inbox.to(olga.email)
    for message, org in ((ours, school), (theirs, other_school)):
        numbers = Ticket.objects.filter(organisation=org).values_list("number", flat=True)
        assert subject_of(message) == "Новые обращения: 2"
        assert all(f"№ {n} (" in text_of(message) for n in numbers)


def test_preferences_hold_as_for_single_messages(db, smtp, school, dina, galya) -> None:
    Preference.objects.create(user=dina, muted_kinds=["dispatch_new"])
    Preference.objects.create(user=galya, digest_minutes=30)
    fan_outs = _waiting(school, 3)
    delivery.deliver(fan_outs[0].pk, timezone.now())
    assert smtp.inbox.messages == []
    assert not Outbox.objects.filter(user=dina).exists()
    held = Outbox.objects.filter(user=galya, kind="dispatch_new", state=OutboxState.HELD)
    assert held.count() == 3 and all(row.subject.startswith("Новое обращение № ") for row in held)


def test_requests_routed_to_a_role_together_reach_its_people_in_one_message(db, smtp, school, dina, egor) -> None:
    tickets = []
    for _ in range(3):
        tickets.append(services.receive(school, intake(email=""), channel=Channel.WEB, now=timezone.now()).ticket)
    Outbox.objects.all().delete()
    for ticket in tickets:
        services.route(ticket, actor=dina, role=ServiceRole.EJOURNAL_ADMIN, now=timezone.now())
    first = Outbox.objects.filter(kind="fan_out").order_by("pk").first()
    assert first is not None
    delivery.deliver(first.pk, timezone.now())
    [message] = smtp.inbox.to(egor.email)
    assert subject_of(message) == "Вам передано обращений: 3"
    assert "взять в работу до" in text_of(message)


def test_a_fan_out_claimed_by_another_worker_is_left_to_it(db, smtp, school, dina) -> None:
    fan_outs = _waiting(school, 3)
    now = timezone.now()
    assert delivery.claim(fan_outs[1].pk, now) is not None  # another worker is expanding this one
    assert delivery.deliver(fan_outs[0].pk, now) == "expanded"
    [message] = smtp.inbox.to(dina.email)
    assert subject_of(message) == "Новые обращения: 2"
    assert Outbox.objects.get(pk=fan_outs[1].pk).state == OutboxState.PENDING


def test_a_worker_that_dies_before_sending_leaves_the_message_to_the_sweep(db, smtp, school, dina) -> None:
    fan_outs = _waiting(school, 3)
    now = timezone.now()
    leader = delivery.claim(fan_outs[0].pk, now)
    assert leader is not None
    [together] = delivery._expand_with_companions(leader, now)
    assert together.kind == "together" and smtp.inbox.messages == []  # written and claimed, never sent
    later = now + delivery.lease() + timedelta(seconds=1)
    assert delivery.sweep(later + timedelta(minutes=5)) == 1
    assert delivery.deliver(together.pk, later) == "sent"
    [message] = smtp.inbox.to(dina.email)
    assert subject_of(message) == "Новые обращения: 3"


def test_the_statements_do_not_grow_with_the_requests_listed(db, smtp, school, dina, galya) -> None:
    def statements(count: int) -> int:
        Outbox.objects.all().delete()
        fan_outs = _waiting(school, count)
        with CaptureQueriesContext(connection) as queries:
            delivery.deliver(fan_outs[0].pk, timezone.now())
        return len(queries.captured_queries)

    assert statements(2) == statements(10)


def test_a_broken_row_beside_it_does_not_hold_up_a_request_s_own_message(db, smtp, school, dina) -> None:
    fan_outs = _waiting(school, 3)
    broken = fan_outs[2]
    broken.render_context = {key: value for key, value in broken.render_context.items() if key != "_refs"}
    broken.save()  # as an older version might have left it: no request to read
    now = timezone.now()
    assert delivery.deliver(fan_outs[0].pk, now) == "expanded"
    [message] = smtp.inbox.to(dina.email)
    assert subject_of(message) == f"Новое обращение № {_numbers()[0]}"  # alone, as in a quiet moment
    assert delivery.deliver(fan_outs[1].pk, now) == "expanded"  # the next one is still waiting, and goes too
    assert delivery.deliver(broken.pk, now) == "retry"  # the broken one fails on its own


@pytest.mark.django_db(transaction=True)
def test_workers_expanding_at_once_tell_everyone_of_each_request_once(smtp, school, dina) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("workers race only on PostgreSQL; SQLite runs one writer at a time")
    fan_outs = _waiting(school, 12)
    start = threading.Barrier(4)
    errors: list[Exception] = []

    def work(row: Outbox) -> None:
        start.wait()
        try:
            delivery.deliver(row.pk, timezone.now())
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(row,)) for row in fan_outs[::3]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    listed = "".join(text_of(m) for m in smtp.inbox.to(dina.email))
    numbers = _numbers()
    assert [listed.count(f"№ {number} (") for number in numbers] == [1] * 12
    assert set(Outbox.objects.filter(kind="fan_out").values_list("state", flat=True)) == {OutboxState.SENT}


def test_staff_mail_about_a_new_request_waits_for_others_to_go_with_it(db, settings, school) -> None:
    settings.OPORA_STAFF_MAIL_GATHER_SECONDS = 30
    now = timezone.now()
    services.receive(school, intake(email="mama@example.ru"), channel=Channel.WEB, now=now)
    fan_out = Outbox.objects.get(kind="fan_out")
    tasks = {task.args_kwargs["args"][0]: task for task in DBTaskResult.objects.all()}
    assert tasks[fan_out.pk].run_after == now + timedelta(seconds=35)  # the window, and a moment for its submits
    assert fan_out.next_attempt_at == now  # a worker that comes to it sooner (a sweep, a companion) may take it
    receipt = Outbox.objects.get(kind="author_receipt")
    assert tasks[receipt.pk].run_after == get_date_max()  # the family's own mail goes at once


def test_requests_within_the_window_ride_with_its_task(db, settings, smtp, school, dina) -> None:
    settings.OPORA_STAFF_MAIL_GATHER_SECONDS = 30
    fan_outs = _waiting(school, 4)
    [task] = DBTaskResult.objects.filter(task_path="opora.notify.tasks.send_message")
    assert task.args_kwargs["args"] == [fan_outs[0].pk]
    assert all(row.enqueued_at is not None for row in fan_outs)  # so the sweep leaves them to the window's task
    assert delivery.sweep(timezone.now() + timedelta(minutes=1)) == 0
    assert delivery.deliver(fan_outs[0].pk, timezone.now() + timedelta(seconds=35)) == "expanded"
    [message] = smtp.inbox.to(dina.email)
    assert subject_of(message) == "Новые обращения: 4"


def test_a_window_longer_than_one_message_goes_out_in_turns(db, settings, smtp, school, dina) -> None:
    settings.OPORA_STAFF_MAIL_GATHER_SECONDS = 30
    settings.OPORA_MAIL_TOGETHER = 3
    _waiting(school, 7)
    done: set[str] = set()
    while task := DBTaskResult.objects.exclude(id__in=done).order_by("enqueued_at").first():
        done.add(task.id)
        delivery.deliver(task.args_kwargs["args"][0], timezone.now() + timedelta(seconds=35))
    assert len(done) == 3  # the window's task, and one for each message after a full one
    subjects = sorted(subject_of(m) for m in smtp.inbox.to(dina.email))
    assert subjects == [f"Новое обращение № {_numbers()[-1]}", "Новые обращения: 3", "Новые обращения: 3"]
    listed = "".join(text_of(m) for m in smtp.inbox.to(dina.email))
    assert all(listed.count(f"№ {number} (") == 1 for number in _numbers())


def test_a_window_s_lost_task_is_made_up_for_by_the_sweep(db, settings, smtp, school, dina) -> None:
    settings.OPORA_STAFF_MAIL_GATHER_SECONDS = 30
    _waiting(school, 3)
    DBTaskResult.objects.all().delete()  # the worker's database lost it, say
    assert delivery.sweep(timezone.now() + timedelta(minutes=5)) == 3
    first = DBTaskResult.objects.order_by("enqueued_at").first()
    assert first is not None
    delivery.deliver(first.args_kwargs["args"][0], timezone.now() + timedelta(minutes=5))
    [message] = smtp.inbox.to(dina.email)
    assert subject_of(message) == "Новые обращения: 3"


def test_with_no_gathering_staff_mail_goes_at_once(db, settings, school) -> None:
    settings.OPORA_STAFF_MAIL_GATHER_SECONDS = 0
    services.receive(school, intake(email=""), channel=Channel.WEB, now=timezone.now())
    assert DBTaskResult.objects.get().run_after == get_date_max()


def test_a_window_s_task_whose_own_row_went_earlier_takes_the_rest(db, settings, smtp, school, dina) -> None:
    settings.OPORA_STAFF_MAIL_GATHER_SECONDS = 30
    fan_outs = _waiting(school, 3)
    Outbox.objects.filter(pk=fan_outs[0].pk).update(state=OutboxState.SENT)  # went with an earlier window's
    assert delivery.deliver(fan_outs[0].pk, timezone.now() + timedelta(seconds=35)) == "expanded"
    [message] = smtp.inbox.to(dina.email)
    assert subject_of(message) == "Новые обращения: 2"
    assert delivery.deliver(fan_outs[0].pk, timezone.now() + timedelta(seconds=36)) == "skipped"  # none left
