"""Pages work under the strict Content-Security-Policy: the browser reports no violation."""

import pytest

from ..factories import PASSWORD, submit


@pytest.mark.django_db(transaction=True)
def test_pages_raise_no_csp_violation(chromium, live_server, school, elena, dina) -> None:
    ticket = submit(school)
    context = chromium.new_context(locale="ru-RU")  # no bypass: the real policy applies
    page = context.new_page()
    page.set_default_timeout(15_000)
    violations: list[str] = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.goto(f"{live_server.url}/o/{school.slug}/")
    page.get_by_role("radio", name="учитель").check()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Логин").fill("elena")
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    for path in ("/desk/control/", f"/desk/t/{ticket.number}/", "/desk/dispatch/", "/reports/", "/hotline/"):
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
    context.close()
    assert violations == []
