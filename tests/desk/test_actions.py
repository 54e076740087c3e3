from datetime import timedelta

from django.utils import timezone

from opora.domain.enums import ServiceRole, State
from opora.tickets import services
from opora.tickets.models import EventKind, Extension

from ..factories import submit


def routed(school, dina, role=ServiceRole.EJOURNAL_ADMIN):
    return services.route(submit(school, now=timezone.now()), actor=dina, role=role, now=timezone.now())


def test_routing_is_one_post_with_the_suggestion(client, school, dina) -> None:
    ticket = submit(school, now=timezone.now())
    client.force_login(dina)
    response = client.post(f"/desk/t/{ticket.number}/route/", {"role": "ejournal_admin", "next": "/desk/dispatch/"})
    assert response["Location"] == "/desk/dispatch/"
    ticket.refresh_from_db()
    assert (ticket.state, ticket.routed_role) == (State.ROUTED, "ejournal_admin")


def test_an_outside_next_is_not_followed(client, school, dina) -> None:
    ticket = submit(school, now=timezone.now())
    client.force_login(dina)
    response = client.post(f"/desk/t/{ticket.number}/route/", {"role": "technician", "next": "https://evil.example/"})
    assert response["Location"] == f"/desk/t/{ticket.number}/"


def test_take_log_a_call_and_resolve_by_phone(client, school, dina, egor) -> None:
    ticket = routed(school, dina)
    client.force_login(egor)
    client.post(f"/desk/t/{ticket.number}/take/")
    client.post(f"/desk/t/{ticket.number}/contact/", {"outcome": "no_answer", "note": "не берёт трубку"})
    called = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    client.post(
        f"/desk/t/{ticket.number}/resolve/", {"channel": "phone", "text": "Объяснили вход", "called_at": called}
    )
    ticket.refresh_from_db()
    assert (ticket.state, ticket.reply_channel) == (State.RESOLVED, "phone")
    kinds = list(ticket.events.values_list("kind", flat=True))
    assert kinds[-3:] == [EventKind.TAKEN, EventKind.CONTACT, EventKind.RESOLVED]


def test_resolving_by_a_channel_without_contact_shows_the_reason(client, school, dina, egor) -> None:
    ticket = services.route(
        submit(school, now=timezone.now(), email=""), actor=dina, role=ServiceRole.EJOURNAL_ADMIN, now=timezone.now()
    )
    services.take(ticket, actor=egor, now=timezone.now())
    client.force_login(egor)
    response = client.post(f"/desk/t/{ticket.number}/resolve/", {"channel": "email", "text": "Ответ"})
    assert response.status_code == 400
    assert "У автора нет электронной почты" in response.content.decode()
    assert "Ответ" in response.content.decode()


def test_the_preferred_channel_is_preselected(client, school, dina, egor) -> None:
    ticket = services.take(routed(school, dina), actor=egor, now=timezone.now())
    client.force_login(egor)
    form = client.get(f"/desk/t/{ticket.number}/").context["forms"]["resolve"]
    assert form.initial["channel"] == "email"


def test_extension_requested_then_approved_by_the_head(client, school, dina, egor, elena) -> None:
    ticket = services.take(routed(school, dina), actor=egor, now=timezone.now())
    client.force_login(egor)
    proposed = timezone.localtime(timezone.now() + timedelta(hours=40)).strftime("%Y-%m-%dT%H:%M")
    client.post(f"/desk/t/{ticket.number}/extension/", {"reason": "ждём поставщика", "proposed_due_at": proposed})
    client.force_login(elena)
    control = client.get("/desk/control/").content.decode()
    assert "Ждут решения о продлении срока" in control and ticket.number in control
    client.post(f"/desk/t/{ticket.number}/decide/", {"decide-decision": "approve", "decide-comment": "да"})
    ticket.refresh_from_db()
    assert ticket.resolve_extended
    assert Extension.objects.get().state == "approved"


def test_bad_input_keeps_the_form_open_with_the_message(client, school, dina, egor) -> None:
    ticket = services.take(routed(school, dina), actor=egor, now=timezone.now())
    client.force_login(egor)
    response = client.post(f"/desk/t/{ticket.number}/extension/", {"reason": "", "proposed_due_at": "завтра"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Укажите дату и время." in body and 'id="id_proposed_due_at-error"' in body


def test_return_and_reopen(client, school, dina, egor, galya) -> None:
    ticket = routed(school, dina)
    client.force_login(egor)
    client.post(f"/desk/t/{ticket.number}/return/", {"return-reason": "это технический вопрос"})
    ticket.refresh_from_db()
    assert ticket.state == State.RECEIVED
    ticket = services.route(ticket, actor=dina, role=ServiceRole.EJOURNAL_ADMIN, now=timezone.now())
    ticket = services.take(ticket, actor=egor, now=timezone.now())
    services.resolve(ticket, actor=egor, channel="email", text="готово", now=timezone.now())
    client.force_login(galya)
    client.post(f"/desk/t/{ticket.number}/reopen/", {"reopen-reason": "перезвонили: не решено"})
    ticket.refresh_from_db()
    assert (ticket.state, ticket.reopen_count) == (State.IN_WORK, 1)


def test_withdraw_as_a_duplicate_of_another(client, school, dina) -> None:
    first, copy = submit(school, now=timezone.now()), submit(school, now=timezone.now())
    client.force_login(dina)
    response = client.post(f"/desk/t/{copy.number}/withdraw/", {"reason": "duplicate", "duplicate_of": "2026-999999"})
    assert "Обращение с таким номером не найдено" in response.content.decode()
    client.post(f"/desk/t/{copy.number}/withdraw/", {"reason": "duplicate", "duplicate_of": first.number})
    copy.refresh_from_db()
    assert (copy.state, copy.duplicate_of) == (State.WITHDRAWN, first)
