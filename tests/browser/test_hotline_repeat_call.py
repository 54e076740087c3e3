"""A hotline specialist records a repeat call and is offered the caller's open request."""

import pytest

from opora.tickets.models import EventKind, Ticket

from ..factories import PASSWORD, submit
from .conftest import screenshot


def log_in(page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("Логин").fill(username)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()


@pytest.mark.django_db(transaction=True)
def test_repeat_call_joins_the_open_request(page, live_server, school, galya) -> None:
    first = submit(school, phone="+7 926 111-22-33", email="", author_name="Петрова Ольга Николаевна")
    log_in(page, live_server.url, "galya")
    page.goto(live_server.url + "/hotline/")
    page.get_by_label("Телефон для обратной связи").fill("8 926 111-22-33")
    offer = page.get_by_role("button", name=f"Добавить звонок к открытому обращению № {first.number}")
    offer.wait_for()
    page.get_by_label("Описание проблемы").fill("Перезвонила: микрофон так и не работает.")
    screenshot(page, "hotline-repeat-call")
    offer.click()
    page.get_by_text(f"Повторный звонок добавлен к обращению № {first.number}").wait_for()
    assert Ticket.objects.count() == 1
    event = first.events.last()
    assert (event.kind, event.note) == (EventKind.AUTHOR_MESSAGE, "Перезвонила: микрофон так и не работает.")


@pytest.mark.django_db(transaction=True)
def test_a_new_call_is_routed_in_one_step(page, live_server, school, galya) -> None:
    log_in(page, live_server.url, "galya")
    page.goto(live_server.url + "/hotline/")
    page.get_by_label("Телефон для обратной связи").fill("+7 903 000-11-22")
    page.get_by_label("ФИО обратившегося").fill("Соколов Игорь Владимирович")
    page.get_by_role("radio", name="учитель").check()
    page.get_by_role("radio", name="проблема с ЭЖД").check()
    assert page.get_by_label("Направить").input_value() == "ejournal_admin"
    page.get_by_label("Описание проблемы").fill("Не могу выставить отметки за 14.11.")
    page.get_by_role("button", name="Зарегистрировать обращение").click()
    page.get_by_text("зарегистрировано").wait_for()
    ticket = Ticket.objects.get()
    assert (ticket.state, ticket.routed_role, ticket.channel) == ("routed", "ejournal_admin", "hotline")
