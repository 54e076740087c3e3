"""A parent on a 390 px phone files a request, fixes a mistake, and opens the status link."""

import pytest

from opora.tickets.models import Ticket

from .a11y import assert_no_axe_violations, assert_no_horizontal_scroll
from .conftest import screenshot


@pytest.fixture(autouse=True)
def quick_fill(settings):
    settings.OPORA_MIN_FILL_SECONDS = 0


def fill(page) -> None:
    page.get_by_label("Укажите ФИО").fill("Кузнецова Марина Сергеевна")
    page.get_by_role("radio", name="родитель").check()
    page.get_by_label("Укажите класс, в котором обучается Ваш ребенок").fill("13Я")
    page.get_by_label("проблема с ЭЖД").check()
    page.get_by_label("Опишите Вашу проблему").fill("Вход через Госуслуги: «Ваш дневник не найден».")
    page.get_by_label("Телефон для обратной связи").fill("8 (903) 555-12-34")
    page.get_by_label("Я даю согласие на обработку персональных данных").check()


@pytest.mark.django_db(transaction=True)
def test_parent_files_a_request_from_a_phone(phone_page, live_server, school) -> None:
    page = phone_page
    page.goto(f"{live_server.url}/o/{school.slug}/")
    assert_no_axe_violations(page)
    assert_no_horizontal_scroll(page)
    fill(page)
    page.get_by_role("button", name="Отправить обращение").click()

    summary = page.locator("#form-errors")
    assert "Класс указан неверно" in summary.inner_text()
    # intake.js moves focus to the summary once the page has loaded, so screen readers announce it.
    page.wait_for_function("document.activeElement && document.activeElement.id === 'form-errors'")
    assert page.get_by_label("Укажите ФИО").input_value() == "Кузнецова Марина Сергеевна"
    screenshot(page, "intake-phone-error")
    assert_no_axe_violations(page)

    page.get_by_label("Укажите класс, в котором обучается Ваш ребенок").fill("5а")
    page.get_by_label("Я даю согласие на обработку персональных данных").check()
    page.get_by_role("button", name="Отправить обращение").click()
    number = page.locator("#ticket-number").inner_text()
    ticket = Ticket.objects.get()
    assert number == ticket.number
    assert ticket.school_class == "5А"
    screenshot(page, "intake-phone-confirmation")
    assert_no_axe_violations(page)
    assert_no_horizontal_scroll(page)

    page.locator("#status-link").click()
    assert page.locator("#state").inner_text() == "получено, ждёт распределения"
    screenshot(page, "intake-phone-status")
    assert_no_axe_violations(page)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("width", "zoom"), [(320, 1), (640, 2)])
def test_the_form_fits_narrow_screens_and_200_percent_zoom(chromium, live_server, school, width, zoom) -> None:
    # 200% zoom of a 1280 px window lays the page out in 640 CSS pixels.
    context = chromium.new_context(locale="ru-RU", viewport={"width": width, "height": 800}, device_scale_factor=zoom)
    page = context.new_page()
    page.goto(f"{live_server.url}/o/{school.slug}/")
    assert_no_horizontal_scroll(page)
    screenshot(page, f"intake-{width}px-x{zoom}")
    context.close()


@pytest.mark.django_db(transaction=True)
def test_the_form_works_from_the_keyboard_alone(page, live_server, school) -> None:
    page.goto(f"{live_server.url}/o/{school.slug}/")
    page.keyboard.press("Tab")  # skip link
    page.keyboard.press("Tab")  # brand
    page.keyboard.press("Tab")  # hotline
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_author_name"
    page.keyboard.type("Смирнов Артём Игоревич")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    assert page.get_by_role("radio", name="ученик").is_checked()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_school_class"


@pytest.mark.django_db(transaction=True)
def test_a_teacher_never_sees_the_class_field(page, live_server, school) -> None:
    page.goto(f"{live_server.url}/o/{school.slug}/")
    page.get_by_role("radio", name="учитель").check()
    assert not page.locator("#id_school_class").is_visible()
    page.get_by_role("radio", name="ученик").check()
    assert page.get_by_label("Укажите класс, в котором Вы обучаетесь").is_visible()
