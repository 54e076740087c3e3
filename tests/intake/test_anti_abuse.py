from datetime import timedelta

from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opora.intake import abuse
from opora.intake.forms import sign_started
from opora.tickets.models import Ticket
from opora.tickets.services.intake import find_double_submit

from ..factories import intake, submit
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


def test_one_contact_is_limited_per_hour(client, school, settings) -> None:
    now = timezone.now()
    for minute in range(settings.OPORA_INTAKE_PER_CONTACT_PER_HOUR):
        submit(school, now=now - timedelta(minutes=minute + 1), phone="+7 903 555-12-34", email="")
    response = client.post("/o/school5/", form_data())
    assert response.status_code == 429
    assert school.hotline_phone in response.content.decode()


def test_families_sharing_an_ip_are_not_blocked(client, school, settings) -> None:
    for n in range(settings.OPORA_INTAKE_PER_CONTACT_PER_HOUR + 2):
        response = client.post(
            "/o/school5/", form_data(phone=f"+7 916 000-00-{10 + n}", description=f"Вопрос {n}"), REMOTE_ADDR="10.0.0.9"
        )
        assert response.status_code == 302
    assert Ticket.objects.count() == settings.OPORA_INTAKE_PER_CONTACT_PER_HOUR + 2


def test_behind_a_proxy_the_familys_own_address_counts(rf, settings) -> None:
    settings.TRUSTED_PROXY_HOPS = 1
    request = rf.post("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7")
    assert abuse.client_ip(request) == "198.51.100.7"
    settings.TRUSTED_PROXY_HOPS = 0
    assert abuse.client_ip(request) == "127.0.0.1"


def test_one_address_has_a_generous_ceiling(client, school, settings) -> None:
    settings.OPORA_INTAKE_PER_IP_PER_HOUR = 3
    for n in range(3):
        assert (
            client.post("/o/school5/", form_data(phone=f"+7 916 000-00-{20 + n}"), REMOTE_ADDR="10.9.9.9").status_code
            == 302
        )
    blocked = client.post("/o/school5/", form_data(phone="+7 916 000-00-99"), REMOTE_ADDR="10.9.9.9")
    assert blocked.status_code == 429 and school.hotline_phone in blocked.content.decode()


def test_one_email_is_limited_per_hour_in_one_query(school, settings, django_assert_num_queries) -> None:
    now = timezone.now()
    limit = settings.OPORA_INTAKE_PER_CONTACT_PER_HOUR
    for minute in range(limit - 1):
        submit(school, now=now - timedelta(minutes=minute + 1), phone="", email="mama@example.ru")
    submit(school, now=now - timedelta(minutes=61), phone="", email="mama@example.ru")  # outside the hour
    with django_assert_num_queries(1):  # phone, e-mail, address and a double submit looked for together
        screening = abuse.screen(school, intake(phone="+7 903 555-12-34", email="Mama@Example.ru "), "10.1.1.1", now)
    assert screening == abuse.Screening(over_limit=False, double_of=None)
    submit(school, now=now - timedelta(seconds=30), phone="", email="mama@example.ru")
    assert abuse.screen(school, intake(phone="", email="mama@example.ru"), None, now).over_limit
    assert not abuse.screen(school, intake(phone="", email="papa@example.ru"), None, now).over_limit


def test_pressed_twice_at_the_limit_shows_the_request_already_sent(client, school, settings) -> None:
    settings.OPORA_INTAKE_PER_IP_PER_HOUR = 1
    first = client.post("/o/school5/", form_data(), REMOTE_ADDR="10.9.9.8")
    again = client.post("/o/school5/", form_data(), REMOTE_ADDR="10.9.9.8")
    assert first.status_code == again.status_code == 302
    assert again["Location"].split("?")[0] == first["Location"].split("?")[0]
    [ticket] = Ticket.objects.all()
    assert client.get(again["Location"]).content.decode().count(ticket.number) >= 1
    other = client.post("/o/school5/", form_data(description="Другой вопрос"), REMOTE_ADDR="10.9.9.8")
    assert other.status_code == 429 and Ticket.objects.count() == 1


def test_the_screen_finds_the_same_text_from_the_same_contact_within_ten_minutes(school) -> None:
    now = timezone.now()
    sent = submit(school, now=now - timedelta(minutes=9), phone="+7 903 555-12-34", description="Нет урока")
    again = intake(phone="8 903 555 12 34", description="  Нет урока ")
    assert abuse.screen(school, again, None, now).double_of == sent.pk
    assert abuse.screen(school, again, None, now + timedelta(minutes=2)).double_of is None
    assert abuse.screen(school, intake(phone="+7 903 555-12-34", description="Другое"), None, now).double_of is None


PHONES = ["", "+7 903 555-12-34", "8 (903) 555 12 34", "+7 916 000-00-01", "12"]
EMAILS = ["", "mama@example.ru", " Mama@Example.RU ", "papa@example.ru"]
TEXTS = ["Нет урока", "  Нет урока ", "Другое"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    phone=st.sampled_from(PHONES),
    email=st.sampled_from(EMAILS),
    text=st.sampled_from(TEXTS),
    minutes_ago=st.integers(0, 12),
)
def test_the_screen_and_the_service_agree_on_what_is_pressed_twice(school, phone, email, text, minutes_ago) -> None:
    now = timezone.now()
    if not Ticket.objects.exists():
        for n, (sent_phone, sent_email) in enumerate([(PHONES[1], ""), ("", EMAILS[1]), (PHONES[3], EMAILS[3])]):
            submit(
                school, now=now - timedelta(minutes=3 + 4 * n), phone=sent_phone, email=sent_email, description=TEXTS[0]
            )
    later = now + timedelta(minutes=minutes_ago - 6)
    data = intake(phone=phone, email=email, description=text)
    found = find_double_submit(school, data, later)
    assert abuse.screen(school, data, None, later).double_of == (found.pk if found else None)
