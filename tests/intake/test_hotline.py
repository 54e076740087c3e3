import pytest
from django.utils import timezone

from opora.domain.enums import State
from opora.tickets.models import EventKind, Ticket

from ..factories import PASSWORD, submit


def call(**overrides):
    data = {
        "called_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "author_name": "Петрова Ольга Николаевна",
        "author_role": "teacher",
        "school_class": "",
        "request_type": "technical",
        "description": "Пропадает микрофон при демонстрации экрана.",
        "phone": "+7 926 111-22-33",
        "email": "",
        "preferred_reply": "phone",
        "route_to": "",
    }
    data.update(overrides)
    return data


def test_only_hotline_staff_record_calls(client, school, galya, egor) -> None:
    assert client.get("/hotline/").status_code == 302
    client.login(username="egor", password=PASSWORD)
    assert client.get("/hotline/").status_code == 403
    client.login(username="galya", password=PASSWORD)
    assert client.get("/hotline/").status_code == 200


def test_a_call_is_recorded_with_channel_and_call_time(client, school, galya) -> None:
    client.login(username="galya", password=PASSWORD)
    response = client.post("/hotline/", call())
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert (ticket.channel, ticket.recorded_by, ticket.state) == ("hotline", galya, State.RECEIVED)
    assert ticket.called_at is not None


def test_the_specialist_routes_in_the_same_step(client, school, galya) -> None:
    client.login(username="galya", password=PASSWORD)
    client.post("/hotline/", call(route_to="technician"))
    ticket = Ticket.objects.get()
    assert (ticket.state, ticket.routed_role) == (State.ROUTED, "technician")
    assert list(ticket.events.values_list("kind", "actor")) == [
        (EventKind.RECEIVED, galya.pk),
        (EventKind.ROUTED, galya.pk),
    ]


def test_the_routing_table_suggestion_is_on_the_page(client, school, galya) -> None:
    client.login(username="galya", password=PASSWORD)
    body = client.get("/hotline/").content.decode()
    assert '"ejournal": "ejournal_admin"' in body and '"lesson_quality": "head"' in body


def test_a_bad_call_time_is_refused_next_to_the_field(client, school, galya) -> None:
    client.login(username="galya", password=PASSWORD)
    response = client.post("/hotline/", call(called_at="вчера"))
    assert response.status_code == 400
    assert "Укажите дату и время звонка" in response.content.decode()
    assert "Петрова Ольга Николаевна" in response.content.decode()


def test_lookup_offers_the_callers_open_request_first(client, school, galya) -> None:
    old = submit(school, phone="+7 926 111-22-33", email="")
    client.login(username="galya", password=PASSWORD)
    body = client.get("/hotline/lookup/", {"phone": "8 926 111 22 33"}).content.decode()
    assert old.number in body and "Добавить звонок к открытому обращению" in body
    assert (
        "Обращений с этого номера не найдено"
        in client.get("/hotline/lookup/", {"phone": "+7 900 000-00-00"}).content.decode()
    )


@pytest.mark.parametrize("calls", [1, 12])
def test_lookup_runs_a_fixed_number_of_queries(client, school, galya, django_assert_num_queries, calls) -> None:
    for n in range(calls):
        submit(school, phone="+7 926 111-22-33", email="", description=f"Вопрос {n}")
    client.login(username="galya", password=PASSWORD)
    client.get("/hotline/")
    # session, user, schools with roles, the caller's requests
    with django_assert_num_queries(4):
        response = client.get("/hotline/lookup/", {"phone": "+79261112233"})
    assert response.content.decode().count('<li class="border-bottom py-2">') == calls


def test_a_repeat_call_is_added_to_the_open_request(client, school, galya) -> None:
    old = submit(school, phone="+7 926 111-22-33", email="")
    client.login(username="galya", password=PASSWORD)
    response = client.post(f"/hotline/append/{old.number}/", {"description": "Звонит второй раз, не помогло"})
    assert response.status_code == 302
    assert Ticket.objects.count() == 1
    event = old.events.last()
    assert (event.kind, event.actor, event.data["via"]) == (EventKind.AUTHOR_MESSAGE, galya, "hotline")
