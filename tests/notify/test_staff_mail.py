from django.utils import timezone

from opora.domain.enums import Channel, RequestType, ServiceRole
from opora.notify.models import Outbox, OutboxState, Preference
from opora.tickets import services

from ..factories import intake
from .conftest import text_of
from .helpers import send_all


def receive(school, **overrides):
    return services.receive(school, intake(**overrides), channel=Channel.WEB, now=timezone.now()).ticket


def test_dispatchers_hear_of_new_requests(db, smtp, school, dina, galya) -> None:
    ticket = receive(school)
    send_all()
    for person in (dina, galya):
        [message] = smtp.inbox.to(person.email)
        assert f"Поступило обращение № {ticket.number}" in text_of(message)


def test_a_request_routed_to_a_role_reaches_everyone_in_it(db, smtp, school, dina, tolya, tima) -> None:
    ticket = services.route(
        receive(school, request_type="technical"), actor=dina, role=ServiceRole.TECHNICIAN, now=timezone.now()
    )
    send_all()
    for person in (tolya, tima):
        assert any(ticket.number in text_of(m) for m in smtp.inbox.to(person.email))


def test_a_named_specialist_alone_is_told(db, smtp, school, dina, tolya, tima) -> None:
    services.route(
        receive(school, request_type="technical"),
        actor=dina,
        role=ServiceRole.TECHNICIAN,
        assignee=tima,
        now=timezone.now(),
    )
    send_all()
    assert smtp.inbox.to(tima.email) and not smtp.inbox.to(tolya.email)


def test_psychologist_content_reaches_only_the_psychologist(db, smtp, school, dina, polina, elena) -> None:
    receive(school, request_type=RequestType.PSYCHOLOGIST, description="Дочь плачет перед уроками")
    send_all()
    assert not smtp.inbox.to(dina.email)
    assert "Дочь плачет" in text_of(smtp.inbox.to(polina.email)[0])
    everything_else = [
        text_of(m) for m in smtp.inbox.messages if m["To"] not in {polina.email, elena.email, "kuznetsova@example.ru"}
    ]
    assert not any("Дочь плачет" in body for body in everything_else)


def test_a_muted_kind_is_not_sent_but_breaches_cannot_be_muted(db, school, dina) -> None:
    Preference.objects.create(user=dina, muted_kinds=["dispatch_new", "staff_breach"])
    receive(school)
    assert not Outbox.objects.filter(recipient=dina.email).exists()
    from opora.notify.outbox import wants

    assert wants(dina, "staff_breach", {dina.pk: dina.notify_preference})


def test_the_head_is_asked_about_extensions(db, smtp, school, dina, egor, elena) -> None:
    from datetime import timedelta

    now = timezone.now()
    ticket = services.take(
        services.route(receive(school), actor=dina, role=ServiceRole.EJOURNAL_ADMIN, now=now), actor=egor, now=now
    )
    services.request_extension(
        ticket, actor=egor, reason="ждём оператора", proposed_due_at=now + timedelta(days=2), now=now
    )
    send_all()
    [message] = [m for m in smtp.inbox.to(elena.email) if "просит продлить" in text_of(m)]
    assert "ждём оператора" in text_of(message)


def test_a_dispatcher_may_take_a_digest(db, smtp, school, dina) -> None:
    from datetime import timedelta

    from opora.notify.periodic import dispatcher_digests

    Preference.objects.create(user=dina, digest_minutes=15)
    now = timezone.now()
    for n in range(3):
        receive(school, description=f"вопрос {n}")
    send_all()  # the worker writes each dispatcher's message; hers waits for the digest
    assert Outbox.objects.filter(recipient=dina.email, state=OutboxState.HELD).count() == 3
    assert dispatcher_digests(now) == 0
    assert dispatcher_digests(now + timedelta(minutes=16)) == 1
    send_all(now + timedelta(minutes=16))
    [digest] = smtp.inbox.to(dina.email)
    assert text_of(digest).count("Новое обращение") == 3, text_of(digest)


def _queries_to_receive(school, n: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        receive(school, description=f"Не открывается урок номер {n}", phone=f"+7 916 000-11-{n:02d}")
    send_all()  # the worker finds the dispatchers of the moment and writes a message each
    return len(queries)


def test_telling_more_dispatchers_costs_no_more_queries(db, smtp, school, dina, galya) -> None:
    from ..factories import make_staff

    _queries_to_receive(school, 0)  # the year's first request also creates its number counter
    with_two = _queries_to_receive(school, 1)
    for name in ("vera", "lida", "zoya"):
        make_staff(school, name, ServiceRole.SITE_ADMIN)
    assert _queries_to_receive(school, 2) == with_two
    send_all()
    assert len(smtp.inbox.to("zoya@school.example.ru")) == 1 and len(smtp.inbox.to(dina.email)) == 3


def test_the_familys_receipt_goes_before_staff_mail(db, smtp, school, dina) -> None:
    from django_tasks_db.models import DBTaskResult

    receive(school, email="mama@example.ru", preferred_reply="email")
    receipt = Outbox.objects.get(kind="author_receipt")
    fan_out = Outbox.objects.get(kind="fan_out")
    priorities = {tuple(args_kwargs["args"]): priority for args_kwargs, priority in tasks(DBTaskResult)}
    assert priorities == {(receipt.pk,): 10, (fan_out.pk,): 0}
    assert send_all() == ["sent", "sent"]  # the receipt, then the dispatcher's message from the fan-out
    assert [m["To"] for m in smtp.inbox.messages] == ["mama@example.ru", dina.email]


def tasks(model) -> list[tuple[dict[str, list[int]], int]]:
    rows = model.objects.filter(task_path="opora.notify.tasks.send_message")
    return list(rows.values_list("args_kwargs", "priority"))
