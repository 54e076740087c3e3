"""A staff session ends after a period of inactivity; activity keeps it alive."""

from datetime import timedelta

import time_machine
from django.utils import timezone

from ..factories import PASSWORD


def test_an_idle_session_expires_and_an_active_one_does_not(client, school, dina, settings) -> None:
    settings.SESSION_COOKIE_AGE = 30 * 60
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.post("/accounts/login/", {"username": "dina", "password": PASSWORD})
        assert client.get("/desk/dispatch/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=25), tick=False):
        assert client.get("/desk/dispatch/").status_code == 200  # activity moves the expiry on
    with time_machine.travel(start + timedelta(minutes=50), tick=False):
        assert client.get("/desk/dispatch/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=85), tick=False):
        assert client.get("/desk/dispatch/")["Location"].startswith("/accounts/login/")


def test_the_session_is_written_at_most_once_a_minute(client, school, dina) -> None:
    from django.contrib.sessions.models import Session

    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.post("/accounts/login/", {"username": "dina", "password": PASSWORD})
        client.get("/desk/dispatch/")
        first = Session.objects.get().expire_date
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        client.get("/desk/dispatch/")
        assert Session.objects.get().expire_date == first  # a queue refreshing itself writes nothing
    with time_machine.travel(start + timedelta(seconds=90), tick=False):
        client.get("/desk/dispatch/")
        assert Session.objects.get().expire_date == first + timedelta(seconds=90)
