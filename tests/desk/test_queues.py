from datetime import timedelta

import pytest
from django.utils import timezone

from opora.domain.enums import RequestType, ServiceRole
from opora.tickets import services

from ..factories import submit


def many(school, count: int, **overrides):
    now = timezone.now()
    return [submit(school, now=now - timedelta(minutes=count - n), **overrides) for n in range(count)]


@pytest.mark.parametrize("count", [2, 30])
def test_dispatch_queue_costs_the_same_whatever_its_size(
    client, school, dina, count, django_assert_num_queries
) -> None:
    many(school, count)
    client.force_login(dina)
    client.get("/desk/dispatch/")  # the first view of a session writes it; the queue then refreshes itself
    # session, user, schools with roles, routing table, staff, count, page
    with django_assert_num_queries(7):
        response = client.get("/desk/dispatch/")
    assert response.status_code == 200
    assert len(response.context["rows"]) == min(count, 25)


def test_dispatch_queue_is_oldest_first_with_the_suggested_role(client, school, dina) -> None:
    older, newer = many(school, 2, request_type=RequestType.TECHNICAL)
    client.force_login(dina)
    rows = client.get("/desk/dispatch/").context["rows"]
    assert [r["ticket"] for r in rows] == [older, newer]
    assert rows[0]["suggested"] == "technician"
    assert rows[0]["clock"].level in {"ok", "warn"}


def test_dispatchers_never_see_psychologist_content(client, school, dina, polina) -> None:
    ticket = submit(school, request_type=RequestType.PSYCHOLOGIST, description="Дочь плачет перед уроками")
    services.return_to_dispatch(ticket, actor=polina, reason="проверка", now=timezone.now())
    client.force_login(dina)
    body = client.get("/desk/dispatch/").content.decode()
    assert ticket.number in body
    assert "Дочь плачет" not in body and ticket.author_name not in body
    assert "Содержание конфиденциально" in body


@pytest.mark.parametrize("count", [2, 30])
def test_specialist_queue_costs_the_same(client, school, dina, egor, count, django_assert_num_queries) -> None:
    for ticket in many(school, count):
        services.route(ticket, actor=dina, role=ServiceRole.EJOURNAL_ADMIN, now=timezone.now())
    client.force_login(egor)
    client.get("/desk/mine/")
    with django_assert_num_queries(5):
        response = client.get("/desk/mine/")
    assert len(response.context["rows"]) == min(count, 25)


def test_a_specialist_sees_only_their_roles_requests(client, school, dina, egor, tolya) -> None:
    journal = services.route(submit(school), actor=dina, role=ServiceRole.EJOURNAL_ADMIN, now=timezone.now())
    tech = services.route(submit(school), actor=dina, role=ServiceRole.TECHNICIAN, now=timezone.now())
    client.force_login(tolya)
    tickets = [r["ticket"] for r in client.get("/desk/mine/").context["rows"]]
    assert tickets == [tech] and journal not in tickets


@pytest.mark.parametrize("count", [2, 30])
def test_control_costs_the_same(client, school, elena, count, django_assert_num_queries) -> None:
    many(school, count)
    client.force_login(elena)
    client.get("/desk/control/")
    with django_assert_num_queries(8):  # one grouped pass over the open requests: the figures and the load
        response = client.get("/desk/control/", {"state": "received", "type": "ejournal"})
    assert response.context["page"].paginator.count == count
    assert response.context["counts"]["received"] == count


def test_home_sends_each_role_to_its_page(client, school, dina, egor, elena, dmitry) -> None:
    for person, target in (
        (dina, "/desk/dispatch/"),
        (egor, "/desk/mine/"),
        (elena, "/desk/control/"),
        (dmitry, "/desk/control/"),
    ):
        client.force_login(person)
        assert client.get("/desk/")["Location"] == target


def test_queues_refresh_in_place_with_htmx(client, school, dina) -> None:
    many(school, 1)
    client.force_login(dina)
    response = client.get("/desk/dispatch/", headers={"HX-Request": "true"})
    assert "<html" not in response.content.decode()
    assert "Распределить" in response.content.decode()


def test_a_long_list_is_counted_only_up_to_the_cap(client, school, elena, monkeypatch) -> None:
    from opora.common.paging import CappedPaginator

    monkeypatch.setattr(CappedPaginator, "cap", 3)
    for _ in range(5):
        submit(school)
    client.force_login(elena)
    response = client.get("/desk/control/")
    assert response.context["page"].paginator.count == 4  # the cap and one more: "more than 3"
    assert "Найдено больше 3 обращений" in response.content.decode()
    assert len(response.context["rows"]) == 5
    narrowed = client.get("/desk/control/?state=received&page=1")
    assert narrowed.context["page"].paginator.count == 4


def test_a_short_list_is_counted_exactly(client, school, elena) -> None:
    for _ in range(2):
        submit(school)
    client.force_login(elena)
    response = client.get("/desk/control/")
    assert response.context["page"].paginator.count == 2
    assert "Найдено: 2 " in response.content.decode()


def test_every_list_names_types_channels_roles_and_states_in_words(client, school, dina, egor, elena) -> None:
    ticket = submit(school, request_type=RequestType.EJOURNAL, author_role="pupil", school_class="7б")
    services.route(ticket, actor=dina, role=ServiceRole.EJOURNAL_ADMIN, now=timezone.now())
    submit(school, request_type=RequestType.TECHNICAL, phone="+7 916 000-00-55", description="Нет звука")
    for person, path, words in [
        (elena, "/desk/control/", ["проблема с ЭЖД", "форма на сайте", "ученик", "передано специалисту"]),
        (elena, "/desk/control/", ["администратор электронного журнала"]),
        (dina, "/desk/dispatch/", ["проблемы технического характера", "родитель"]),
        (egor, "/desk/mine/", ["проблема с ЭЖД", "передано специалисту"]),
    ]:
        client.force_login(person)
        body = client.get(path).content.decode()
        for word in words:
            assert word in body, (path, word)


def test_a_specialist_sees_both_deadlines_of_each_request(client, school, dina, egor) -> None:
    now = timezone.now()
    routed = services.route(submit(school, now=now), actor=dina, role=ServiceRole.EJOURNAL_ADMIN, now=now)
    client.force_login(egor)
    response = client.get("/desk/mine/")
    [row] = response.context["rows"]
    assert row["ticket"] == routed
    assert (row["clock"].kind, row["resolve"].kind) == ("take", "resolve")
    body = response.content.decode()
    assert "Взять в работу:" in body and "Отработать:" in body
