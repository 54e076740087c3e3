from django.utils import timezone

from opora.domain.enums import Channel, ContactOutcome, ReplyChannel, ServiceRole
from opora.notify.models import Outbox
from opora.tickets import services

from ..factories import intake
from .conftest import html_of, subject_of, text_of
from .helpers import send_all


def test_the_author_gets_a_receipt_with_number_and_status_link(db, smtp, school) -> None:
    received = services.receive(school, intake(), channel=Channel.WEB, now=timezone.now())
    assert send_all() == ["sent"]
    [message] = smtp.inbox.to("kuznetsova@example.ru")
    body = text_of(message)
    assert subject_of(message) == f"Обращение № {received.ticket.number} принято"
    assert "в течение 30 минут" in body and "в течение 24 часов по электронной почте" in body
    assert f"https://support.school5.example.ru/s/{received.status_token}/" in body
    assert message["Auto-Submitted"] == "auto-generated"
    assert f'href="https://support.school5.example.ru/s/{received.status_token}/"' in html_of(message)


def test_the_answer_and_a_question_go_to_the_author(db, smtp, school, dina, egor) -> None:
    now = timezone.now()
    ticket = services.receive(school, intake(), channel=Channel.WEB, now=now).ticket
    ticket = services.take(
        services.route(ticket, actor=dina, role=ServiceRole.EJOURNAL_ADMIN, now=now), actor=egor, now=now
    )
    services.log_contact(ticket, actor=egor, outcome=ContactOutcome.EMAIL_SENT, note="Какой у ребёнка логин?", now=now)
    services.resolve(ticket, actor=egor, channel=ReplyChannel.EMAIL, text="Дневник привязан.", now=now)
    send_all()
    bodies = [text_of(m) for m in smtp.inbox.to("kuznetsova@example.ru")]
    assert any("Какой у ребёнка логин?" in b for b in bodies)
    assert any("Дневник привязан." in b for b in bodies)


def test_html_escapes_what_people_typed(db, smtp, school) -> None:
    services.receive(
        school, intake(author_name="Иванова <script>alert(1)</script>"), channel=Channel.WEB, now=timezone.now()
    )
    send_all()
    [message] = smtp.inbox.messages
    assert "<script>" not in html_of(message) and "&lt;script&gt;" in html_of(message)
    assert "<script>alert(1)</script>" in text_of(message)


def test_no_email_means_no_author_mail(db, smtp, school) -> None:
    services.receive(school, intake(email=""), channel=Channel.WEB, now=timezone.now())
    assert not Outbox.objects.filter(kind="author_receipt").exists()


def test_the_request_stores_the_message_and_the_worker_renders_it(db, smtp, school) -> None:
    received = services.receive(school, intake(), channel=Channel.WEB, now=timezone.now())
    [row] = Outbox.objects.filter(recipient="kuznetsova@example.ru")
    assert row.subject == "" and row.body_text == ""
    assert row.render_context["_refs"] == {"event": received.ticket.events.get().pk}
    assert send_all() == ["sent"]
    row.refresh_from_db()
    assert row.subject == f"Обращение № {received.ticket.number} принято"
    assert received.status_token in row.body_text


def test_a_receipt_the_server_turned_away_keeps_the_text_it_was_sent_with(db, smtp, school) -> None:
    received = services.receive(school, intake(), channel=Channel.WEB, now=timezone.now())
    smtp.inbox.refuse.add("kuznetsova@example.ru")
    assert send_all() == ["retry"]
    row = Outbox.objects.get(recipient="kuznetsova@example.ru")
    assert row.state == "pending" and "554" in row.last_error
    assert row.subject == f"Обращение № {received.ticket.number} принято"  # what the head's list of failures shows
    assert received.status_token in row.body_text and received.status_token in row.body_html


def test_a_message_whose_context_cannot_be_stored_is_rendered_at_once(db, school) -> None:
    from opora.notify.outbox import queue

    row = queue(
        "digest",
        organisation=school,
        recipient="dina@school.example.ru",
        dedupe_key="digest:test",
        context={"items": [], "desk_url": "https://support.school5.example.ru/desk/"},
        now=timezone.now(),
    )
    assert row is not None and row.subject and row.render_context == {}
