from datetime import timedelta

import pytest
from django.utils import timezone

from opora.domain.enums import RequestType, ServiceRole
from opora.tickets import services

from ..factories import submit


def test_it_shows_fields_clocks_and_timeline(client, school, dina, egor) -> None:
    ticket = services.route(
        submit(school, now=timezone.now()), actor=dina, role=ServiceRole.EJOURNAL_ADMIN, now=timezone.now()
    )
    client.force_login(egor)
    response = client.get(f"/desk/t/{ticket.number}/")
    body = response.content.decode()
    assert response.status_code == 200
    for text in (
        ticket.author_name,
        "+7 903 555-12-34",
        "kuznetsova@example.ru",
        "распределение (30 минут)",
        "соблюдён",
        "Взять в работу",
        "распределено",
    ):
        assert text in body
    assert "Передать другому исполнителю" not in body  # only the head reassigns


@pytest.mark.parametrize("events", [1, 12])
def test_it_costs_the_same_whatever_the_timeline(client, school, dina, egor, events, django_assert_num_queries) -> None:
    ticket = services.route(submit(school), actor=dina, role=ServiceRole.EJOURNAL_ADMIN, now=timezone.now())
    ticket = services.take(ticket, actor=egor, now=timezone.now())
    for n in range(events):
        services.add_note(ticket, actor=egor, text=f"заметка {n}", now=timezone.now() + timedelta(seconds=n))
    client.force_login(egor)
    client.get("/desk/mine/")
    with django_assert_num_queries(9):  # includes the access-log line
        response = client.get(f"/desk/t/{ticket.number}/")
    assert len(response.context["events"]) == events + 3


def test_the_head_sees_psychologist_content_the_director_does_not(client, school, elena, dmitry, polina) -> None:
    ticket = submit(school, request_type=RequestType.PSYCHOLOGIST, description="Тревожно перед ОГЭ")
    client.force_login(elena)
    assert "Тревожно перед ОГЭ" in client.get(f"/desk/t/{ticket.number}/").content.decode()
    client.force_login(dmitry)
    body = client.get(f"/desk/t/{ticket.number}/").content.decode()
    assert "Тревожно перед ОГЭ" not in body and ticket.author_name not in body and "Конфиденциально" in body


def test_another_roles_ticket_by_url_is_404(client, school, dina, tolya) -> None:
    ticket = services.route(submit(school), actor=dina, role=ServiceRole.EJOURNAL_ADMIN, now=timezone.now())
    client.force_login(tolya)
    response = client.get(f"/desk/t/{ticket.number}/")
    assert response.status_code == 404
    assert ticket.author_name not in response.content.decode()


def test_another_schools_head_gets_404(client, school, oscar) -> None:
    ticket = submit(school)
    client.force_login(oscar)
    assert client.get(f"/desk/t/{ticket.number}/").status_code == 404
