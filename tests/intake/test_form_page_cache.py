"""The blank form comes from a cache on a surge; each family still gets its own start time, and nobody gets
a page meant for someone else."""

import re
from datetime import timedelta

import time_machine
from django.utils import timezone

from opora.tickets.models import Ticket

from .helpers import form_data

STARTED = re.compile(r'name="started" value="([^"]*)"')


def started_of(client, path: str = "/o/school5/", **headers) -> str:
    return STARTED.search(client.get(path, headers=headers).content.decode()).group(1)


def test_each_visit_gets_its_own_start_time_and_each_is_accepted(client, school) -> None:
    first = started_of(client)
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        second = started_of(client)
    assert first != second
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        for n, started in enumerate((first, second)):
            data = form_data(started=started, phone=f"+7 916 000-00-4{n}", description=f"Вопрос {n}")
            assert client.post("/o/school5/", data).status_code == 302
    assert Ticket.objects.count() == 2


def test_a_page_just_opened_is_still_too_fast_to_send(client, school, settings) -> None:
    settings.OPORA_MIN_FILL_SECONDS = 3
    client.get("/o/school5/")  # the page is in the cache now
    started = started_of(client)
    assert client.post("/o/school5/", form_data(started=started)).status_code == 400


def test_a_signed_in_teachers_menu_never_reaches_a_family(client, school, dina) -> None:
    name = dina.get_full_name() or dina.username
    client.force_login(dina)
    assert name in client.get("/o/school5/").content.decode()
    client.logout()
    assert name not in client.get("/o/school5/").content.decode()


def test_languages_and_the_embedded_page_are_kept_apart(client, school) -> None:
    english = client.get("/o/school5/", headers={"accept-language": "en"}).content.decode()
    russian = client.get("/o/school5/").content.decode()
    assert "Send the request" in english and "Отправить обращение" in russian
    assert "Send the request" not in russian
    embedded = client.get("/o/school5/?embed=1").content.decode()
    assert "?embed=1" in embedded and "?embed=1" not in russian
