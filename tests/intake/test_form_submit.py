import re

from opora.domain.enums import State
from opora.tickets.models import EventKind, Ticket

from .helpers import form_data


def test_it_shows_the_appendix_1_form_with_the_hotline(client, school) -> None:
    body = client.get("/o/school5/").content.decode()
    for words in (
        "Укажите ФИО",
        "Вы являетесь",
        "Выберите тип обращения",
        "Опишите Вашу проблему",
        "проблема с ЭЖД",
        "необходима консультация психолога",
        school.hotline_phone,
        "Я даю согласие на обработку персональных данных",
        "за своего ребёнка",
    ):
        assert words in body


def test_it_files_a_request_and_shows_the_number_and_status_link(client, school) -> None:
    response = client.post("/o/school5/", form_data(), follow=True)
    ticket = Ticket.objects.get()
    body = response.content.decode()
    assert response.status_code == 200
    assert ticket.number in body and "В течение 30 минут" in body and "24 часов" in body
    status_link = response.context["status_url"]
    assert "/s/" in status_link and ticket.number not in status_link
    assert ticket.state == State.RECEIVED
    assert ticket.events.get().kind == EventKind.RECEIVED


def test_it_stores_consent_version_time_and_ip(client, school) -> None:
    client.post("/o/school5/", form_data(), REMOTE_ADDR="10.1.2.3")
    ticket = Ticket.objects.get()
    assert (ticket.consent_version, ticket.consent_ip) == ("1", "10.1.2.3")
    assert ticket.consent_at == ticket.received_at


def test_a_double_submit_returns_the_same_request(client, school) -> None:
    first = client.post("/o/school5/", form_data(), follow=True)
    second = client.post("/o/school5/", form_data(), follow=True)
    assert Ticket.objects.count() == 1
    assert first.context["ticket"] == second.context["ticket"]
    assert second.context["status_url"] == first.context["status_url"]


def test_a_teachers_class_is_ignored(client, school) -> None:
    client.post("/o/school5/", form_data(author_role="teacher", school_class="13Я"))
    assert Ticket.objects.get().school_class == ""


def test_the_confirmation_page_needs_a_submit_first(client, school) -> None:
    response = client.get("/o/school5/done/")
    assert response.status_code == 302 and response["Location"] == "/o/school5/"


def test_an_unknown_school_is_404(client, school) -> None:
    assert client.get("/o/nowhere/").status_code == 404


def test_an_anonymous_submit_writes_no_session(client, school) -> None:
    from django.contrib.sessions.models import Session

    client.post("/o/school5/", form_data())
    assert Session.objects.count() == 0


def test_a_new_consent_version_shows_on_the_form_at_once(client, school) -> None:
    from django.utils import timezone

    assert "версия 1)" in client.get("/o/school5/").content.decode()
    school.consent_texts.create(version="2", text="Новая редакция согласия.", published_at=timezone.now())
    body = client.get("/o/school5/").content.decode()
    assert "версия 2)" in body and "Новая редакция согласия." in body


def test_the_blank_form_is_the_same_from_the_cache(client, school) -> None:
    first = client.get("/o/school5/").content.decode()
    again = client.get("/o/school5/").content.decode()
    fields = re.compile(r'<label class="form-label fw-semibold" for="id_author_name">.*type="submit"', re.S)
    cached = fields.search(again)
    assert cached is not None and first.count(cached.group()) == 1
    assert 'name="consent"' in cached.group() and 'name="attachments"' in cached.group()


def test_a_form_with_errors_is_never_served_from_the_cache(client, school) -> None:
    client.get("/o/school5/")
    body = client.post("/o/school5/", form_data(author_name="", description="Мой текст")).content.decode()
    assert "Укажите ФИО." in body and "Мой текст" in body


def test_the_request_records_the_consent_text_its_form_showed(client, school) -> None:
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    page = client.get("/o/school5/").content.decode()
    started = re.search(r'name="started" value="([^"]*)"', page).group(1)
    school.consent_texts.create(version="2", text="Новая редакция согласия.", published_at=timezone.now())
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert client.post("/o/school5/", form_data(started=started)).status_code == 302
        client.post("/o/school5/", form_data(phone="+7 916 000-00-01", description="Другой вопрос"))
    shown_first, legacy_form = Ticket.objects.order_by("pk").values_list("consent_version", flat=True)
    assert shown_first == "1"  # agreed to the text on the page, not the one published while it was filled in
    assert legacy_form == "2"  # a form that did not say which text it showed: the text in force


def test_the_blank_form_costs_no_query_once_warm(client, school, django_assert_num_queries) -> None:
    client.get("/o/school5/")
    with django_assert_num_queries(0):  # the school, its consent text and the fields come from the cache
        assert client.get("/o/school5/").status_code == 200


def test_a_change_to_the_school_reaches_the_form_at_once(client, school) -> None:
    client.get("/o/school5/")
    school.name = "МБОУ «Лицей № 7»"
    school.save()
    assert "Лицей № 7" in client.get("/o/school5/").content.decode()


def test_the_blank_form_sets_no_cookie(client, school) -> None:
    response = client.get("/o/school5/")
    assert response.status_code == 200 and not response.cookies  # the same page for every family


def test_a_submit_is_seven_statements_whatever_the_staff(client, school, dina, galya) -> None:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ..factories import submit

    submit(school, phone="+7 916 000-00-77")  # the year's first request also creates its number counter

    def statements(phone: str) -> list[str]:
        client.get("/o/school5/")
        with CaptureQueriesContext(connection) as captured:
            assert client.post("/o/school5/", form_data(email="", phone=phone)).status_code == 302
        return [
            " ".join(q["sql"].replace('"', "").split()[:3])
            for q in captured.captured_queries
            if q["sql"].split()[0] in {"SELECT", "INSERT", "UPDATE", "DELETE"}
        ]

    cache.clear()  # so this one opens a gathering window for the dispatchers' mail
    first = statements("8 (903) 555-12-34")
    assert first == [
        "SELECT (SELECT COUNT(*)",  # the per-contact and per-address limits, and pressed twice?
        "UPDATE tickets_ticketcounter SET",  # the number
        "INSERT INTO tickets_ticket",
        "INSERT INTO tickets_ticketwatch",  # the deadline watcher's row
        "INSERT INTO tickets_ticketevent",
        "INSERT INTO notify_outbox",  # one row for all dispatchers, expanded by the worker
        "INSERT INTO django_tasks_database_dbtaskresult",  # the window's task
    ]
    assert statements("8 (903) 555-12-35") == first[:-1]  # another family's, in the window: it goes with that task
