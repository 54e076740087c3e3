"""The hotline form is built for speed: keyboard only, in the order a call goes."""

import pytest

from opora.tickets.models import Ticket

from .test_hotline_repeat_call import log_in


@pytest.mark.django_db(transaction=True)
def test_a_call_is_recorded_without_the_mouse(page, live_server, school, galya) -> None:
    log_in(page, live_server.url, "galya")
    page.goto(live_server.url + "/hotline/")
    # The call time is prefilled with now; the specialist starts at the caller's phone.
    page.get_by_label("Телефон для обратной связи").focus()
    order = []
    for _ in range(3):
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.name"))
    assert order == ["email", "author_name", "author_role"]
    page.get_by_label("Телефон для обратной связи").focus()
    page.keyboard.type("+7 926 555-44-33")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.type("Морозов Павел Олегович")
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")  # роль: учитель
    page.keyboard.press("ArrowDown")  # родитель
    page.keyboard.press("Tab")
    page.keyboard.type("8б")
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")  # тип: проблема с ЭЖД
    page.keyboard.press("Tab")
    page.keyboard.type("В дневнике не видно второго ребёнка.")
    page.keyboard.press("Tab")  # ответ: по телефону (preselected)
    page.keyboard.press("Tab")  # направить
    assert page.evaluate("document.activeElement.name") == "route_to", page.evaluate(
        "[document.activeElement.tagName, document.activeElement.id, document.activeElement.outerHTML.slice(0, 120)]"
    )
    assert page.evaluate("document.activeElement.value") == "ejournal_admin"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.get_by_text("зарегистрировано").wait_for()
    ticket = Ticket.objects.get()
    assert (ticket.author_role, ticket.school_class, ticket.request_type, ticket.routed_role) == (
        "parent",
        "8Б",
        "ejournal",
        "ejournal_admin",
    )
