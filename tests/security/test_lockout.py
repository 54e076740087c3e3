"""Five wrong passwords lock the account with a clear Russian message; an administrator unlocks it."""

import pytest
from axes.utils import reset

from ..factories import PASSWORD


@pytest.fixture(autouse=True)
def axes_on(settings):
    settings.AXES_ENABLED = True


def attempt(client, password: str):
    return client.post("/accounts/login/", {"username": "dina", "password": password})


def test_the_sixth_try_is_refused_even_with_the_right_password(client, dina) -> None:
    for _ in range(4):
        assert attempt(client, "wrong").status_code == 200
    assert attempt(client, "wrong").status_code == 429
    locked = attempt(client, PASSWORD)
    assert locked.status_code == 429
    assert "Обратитесь к администратору школы" in locked.content.decode()


def test_an_administrator_unlocks_it(client, dina) -> None:
    for _ in range(5):
        attempt(client, "wrong")
    reset(username="dina")
    assert attempt(client, PASSWORD).status_code == 302


def test_a_success_resets_the_count(client, dina) -> None:
    for _ in range(4):
        attempt(client, "wrong")
    assert attempt(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert attempt(client, "wrong").status_code == 200
