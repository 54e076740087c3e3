"""The support button on a school's own site (another origin) opens the form in a dialog and submits."""

import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from playwright.sync_api import expect

from opora.tickets.models import Ticket

from .a11y import assert_no_axe_violations
from .conftest import screenshot


@pytest.fixture
def school_site(live_server: Any) -> Iterator[str]:
    """A stand-in for the school's site on its own port, i.e. another origin."""
    page = (
        "<!doctype html><html lang='ru'><head><meta charset='utf-8'><title>Школа № 5</title></head>"
        "<body><main><h1>Школа № 5</h1><div id='support'></div></main>"
        f"<script src='{live_server.url}/widget.js' data-school='school5' data-target='#support'></script>"
        "</body></html>"
    ).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.django_db(transaction=True)
def test_the_button_opens_an_accessible_dialog_and_submits(page, live_server, school, school_site, settings) -> None:
    settings.OPORA_MIN_FILL_SECONDS = 0
    school.site_origins = school_site
    school.save()
    page.goto(school_site + "/")
    button = page.get_by_role("button", name="Поддержка обучения в дистанционный период")
    # The button appears once the widget has fetched its school's settings.
    button.wait_for()
    page.get_by_text(school.hotline_phone).wait_for()
    assert_no_axe_violations(page)  # the school's page with our button, before any frame is in it
    button.click()
    # Checked through Playwright's own waits, each with a time limit, not by scripts run in the page.
    dialog = page.get_by_role("dialog", name="Поддержка обучения в дистанционный период")
    expect(dialog).to_be_visible()
    expect(dialog.locator("iframe")).to_have_attribute("title", re.compile(r"^Поддержка .+ — .+"))
    expect(page.get_by_role("button", name="Закрыть")).to_be_focused()
    frame = page.frame_locator("dialog iframe")
    frame.get_by_label("Укажите ФИО").fill("Петрова Ольга Николаевна")
    screenshot(page, "widget-dialog")

    # Esc in the form: the key goes down in the framed form, which asks the page to close the dialog, and it
    # comes up on the school's page. Pressed in one step, the release could be sent into the frame after the
    # dialog had removed it, and Chromium never answered it: CI hung there.
    page.keyboard.down("Escape")
    expect(dialog).to_have_count(0)
    page.keyboard.up("Escape")
    expect(button).to_be_focused()

    button.click()
    frame = page.frame_locator("dialog iframe")
    frame.get_by_label("Укажите ФИО").fill("Петрова Ольга Николаевна")
    frame.get_by_role("radio", name="учитель").check()
    frame.get_by_role("radio", name="проблемы технического характера").check()
    frame.get_by_label("Опишите Вашу проблему").fill("Пропадает микрофон при демонстрации экрана.")
    frame.get_by_label("Электронная почта").fill("petrova@example.ru")
    frame.get_by_role("radio", name="по электронной почте").check()
    frame.get_by_label("Я даю согласие на обработку персональных данных").check()
    frame.get_by_role("button", name="Отправить обращение").click()
    number = frame.locator("#ticket-number").inner_text()
    assert number == Ticket.objects.get().number
    screenshot(page, "widget-submitted")


@pytest.mark.django_db(transaction=True)
def test_a_narrow_screen_goes_to_the_form_page(phone_page, live_server, school, school_site) -> None:
    phone_page.set_viewport_size({"width": 360, "height": 740})
    phone_page.goto(school_site + "/")
    phone_page.get_by_role("button", name="Поддержка обучения в дистанционный период").click()
    phone_page.wait_for_url(f"{live_server.url}/o/school5/")
    assert phone_page.get_by_role("heading", level=1).inner_text() == "Поддержка обучения в дистанционный период"


@pytest.mark.django_db(transaction=True)
def test_the_form_framed_in_the_dialog_passes_axe(page, live_server, school) -> None:
    """The document the dialog frames, checked in a page of its own: axe does not reach into a frame."""
    page.goto(f"{live_server.url}/o/school5/?embed=1")
    page.get_by_label("Укажите ФИО").wait_for()
    assert_no_axe_violations(page)
