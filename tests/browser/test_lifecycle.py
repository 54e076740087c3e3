"""The whole life of a request in Chromium, person by person, with a screenshot at each step."""

from datetime import timedelta

import pytest
from django.utils import timezone

from opora.domain.enums import ServiceRole
from opora.tickets.models import EventKind, Ticket

from ..factories import PASSWORD, make_staff
from .a11y import assert_no_axe_violations
from .conftest import screenshot


def log_in(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(base + "/accounts/login/")
    page.get_by_label("Логин").fill(username)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()


def open_action(page, title: str) -> None:
    page.locator("summary", has_text=title).click()


@pytest.mark.django_db(transaction=True)
def test_a_request_from_submit_to_answer(page, live_server, school, settings) -> None:
    settings.OPORA_MIN_FILL_SECONDS = 0
    make_staff(school, "dina", ServiceRole.SITE_ADMIN)
    make_staff(school, "egor", ServiceRole.EJOURNAL_ADMIN)
    make_staff(school, "elena", ServiceRole.HEAD)
    base = live_server.url

    # 1. A parent submits.
    page.goto(f"{base}/o/{school.slug}/")
    page.get_by_label("Укажите ФИО").fill("Новикова Елена Викторовна")
    page.get_by_role("radio", name="родитель").check()
    page.get_by_label("Укажите класс, в котором обучается Ваш ребенок").fill("5А")
    page.get_by_role("radio", name="проблема с ЭЖД").check()
    page.get_by_label("Опишите Вашу проблему").fill("Вход через Госуслуги: «Ваш дневник не найден».")
    page.get_by_label("Телефон для обратной связи").fill("+7 985 700-00-01")
    page.get_by_label("Электронная почта").fill("novikova@example.ru")
    page.get_by_role("radio", name="по электронной почте").check()
    page.get_by_label("Я даю согласие на обработку персональных данных").check()
    page.get_by_role("button", name="Отправить обращение").click()
    number = page.locator("#ticket-number").inner_text()
    status_url = page.locator("#status-link").get_attribute("href")
    screenshot(page, "lifecycle-1-submitted")

    # 2. The dispatcher routes with one click: the table's suggestion is preselected.
    log_in(page, base, "dina")
    page.goto(f"{base}/desk/dispatch/")
    row = page.locator("li", has_text=number)
    assert row.get_by_label("Кому").input_value() == "ejournal_admin"
    screenshot(page, "lifecycle-2-dispatch")
    assert_no_axe_violations(page)
    row.get_by_role("button", name="Распределить").click()
    page.get_by_text("Все обращения распределены.").wait_for()

    # 3. The e-journal admin takes it, logs a call with no answer, asks for more time.
    log_in(page, base, "egor")
    page.goto(f"{base}/desk/mine/")
    page.locator("li", has_text=number).get_by_role("button", name="Взять в работу").click()
    page.get_by_text("Обращение взято в работу.").wait_for()
    open_action(page, "Связь с автором")
    page.get_by_label("Результат").select_option("no_answer")
    page.get_by_role("button", name="Записать", exact=True).click()
    page.get_by_text("Связь с автором записана.").wait_for()
    open_action(page, "Запросить продление срока")
    new_due = timezone.localtime(timezone.now() + timedelta(hours=36)).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("Почему нужно больше времени").fill("Ждём ответа от оператора ЭЖД.")
    page.get_by_label("Предлагаемый срок").fill(new_due)
    page.get_by_role("button", name="Отправить руководителю").click()
    page.get_by_text("Запрос на продление отправлен").wait_for()
    screenshot(page, "lifecycle-3-specialist")
    assert_no_axe_violations(page)

    # 4. The head approves.
    log_in(page, base, "elena")
    page.goto(f"{base}/desk/control/")
    page.get_by_role("link", name=f"№ {number}").first.click()
    page.get_by_role("radio", name="согласовать").check()
    page.get_by_role("button", name="Принять решение").click()
    page.get_by_text("Продление согласовано.").wait_for()
    screenshot(page, "lifecycle-4-head")

    # 5. The admin resolves by e-mail.
    log_in(page, base, "egor")
    page.goto(f"{base}/desk/t/{number}/")
    open_action(page, "Дать ответ и закрыть")
    assert page.get_by_role("radio", name="по электронной почте").is_checked()
    page.get_by_label("Ответ (для телефона — краткое содержание разговора)").fill(
        "Дневник привязан к Вашей учётной записи, войдите заново."
    )
    page.get_by_role("button", name="Записать ответ").click()
    page.get_by_text("Ответ записан").wait_for()
    screenshot(page, "lifecycle-5-resolved")

    # 6. The author sees the answer on the status page.
    page.context.clear_cookies()
    page.goto(status_url)
    assert page.locator("#answer").inner_text() == "Дневник привязан к Вашей учётной записи, войдите заново."
    screenshot(page, "lifecycle-6-author")

    ticket = Ticket.objects.get(number=number)
    kinds = list(ticket.events.values_list("kind", flat=True))
    assert kinds == [
        EventKind.RECEIVED,
        EventKind.ROUTED,
        EventKind.TAKEN,
        EventKind.CONTACT,
        EventKind.EXTENSION_REQUESTED,
        EventKind.EXTENSION_APPROVED,
        EventKind.RESOLVED,
    ]
    assert ticket.resolve_extended and ticket.resolve_met_at is not None
