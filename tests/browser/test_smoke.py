import pytest

from .conftest import screenshot


@pytest.mark.django_db(transaction=True)
def test_home_page_renders_in_russian(page, live_server, school) -> None:
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.get_by_role("heading", level=1).inner_text() == "Поддержка обучения в дистанционный период"
    # A single-school install shows that school's form at the root.
    assert page.get_by_text(school.name).first.is_visible()
    assert page.get_by_role("button", name="Отправить обращение").is_visible()
    # Bootstrap is served by the project itself, never from a CDN.
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith("system-ui")
    assert screenshot(page, "home").stat().st_size > 1000
