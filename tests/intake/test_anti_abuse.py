from datetime import timedelta

from django.utils import timezone

from opora.intake import abuse
from opora.intake.forms import sign_started
from opora.tickets.models import Ticket

from ..factories import submit
from .helpers import form_data


def test_a_filled_honeypot_is_refused_politely_with_the_hotline(client, school) -> None:
    response = client.post("/o/school5/", form_data(website="http://spam.example"))
    body = response.content.decode()
    assert response.status_code == 400
    assert "Не получилось отправить обращение" in body and school.hotline_phone in body
    assert not Ticket.objects.exists()


def test_a_form_filled_in_a_second_is_refused(client, school) -> None:
    response = client.post("/o/school5/", form_data(started=sign_started(timezone.now())))
    assert response.status_code == 400 and not Ticket.objects.exists()


def test_a_forged_start_time_is_refused(client, school) -> None:
    response = client.post("/o/school5/", form_data(started="12345"))
    assert response.status_code == 400 and not Ticket.objects.exists()


def test_one_contact_is_limited_per_hour(client, school) -> None:
    now = timezone.now()
    for minute in range(abuse.PER_CONTACT):
        submit(school, now=now - timedelta(minutes=minute + 1), phone="+7 903 555-12-34", email="")
    response = client.post("/o/school5/", form_data())
    assert response.status_code == 429
    assert school.hotline_phone in response.content.decode()


def test_families_sharing_an_ip_are_not_blocked(client, school) -> None:
    for n in range(abuse.PER_CONTACT + 2):
        response = client.post(
            "/o/school5/", form_data(phone=f"+7 916 000-00-{10 + n}", description=f"Вопрос {n}"), REMOTE_ADDR="10.0.0.9"
        )
        assert response.status_code == 302
    assert Ticket.objects.count() == abuse.PER_CONTACT + 2
