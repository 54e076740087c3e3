"""The head and the psychologist confirm each login with a TOTP code; others may work without one."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


@pytest.fixture(autouse=True)
def required(settings):
    settings.OPORA_REQUIRE_2FA = True


def code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


def test_the_head_sets_up_and_confirms_a_code(client, school, elena) -> None:
    client.force_login(elena)
    gate = client.get("/desk/control/")
    assert gate.status_code == 302 and gate["Location"].startswith("/accounts/2fa/")
    page = client.get(gate["Location"])
    assert page.context["qr"].startswith("data:image/svg+xml")
    device = TOTPDevice.objects.get(user=elena)
    wrong = client.post(gate["Location"], {"token": "000000" if code(device) != "000000" else "111111"})
    assert wrong.status_code == 400 and "Код не подошёл" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # django-otp slows down guessing after a failure
    done = client.post(gate["Location"], {"token": code(device)})
    assert done["Location"] == "/desk/control/"
    assert client.get("/desk/control/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed


@pytest.mark.parametrize("persona", ["polina", "elena"])
def test_a_confidant_is_stopped_before_any_page(client, request, school, persona) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/desk/mine/")["Location"].startswith("/accounts/2fa/")


@pytest.mark.parametrize("persona", ["dina", "egor", "dmitry"])
def test_others_may_work_without_it(client, request, school, persona) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/desk/").status_code == 302
    assert not client.get("/desk/")["Location"].startswith("/accounts/2fa/")


def test_an_outside_next_is_ignored(client, school, elena) -> None:
    client.force_login(elena)
    client.get("/accounts/2fa/")
    device = TOTPDevice.objects.get(user=elena)
    response = client.post("/accounts/2fa/?next=https://evil.example/", {"token": code(device)})
    assert response["Location"] == "/desk/"
