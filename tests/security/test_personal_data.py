import io
import json
from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from opora.audit.models import AccessLog, DestructionAct
from opora.domain.enums import ReplyChannel, ServiceRole
from opora.tickets import services
from opora.tickets.models import EventKind, Ticket

from ..factories import submit


def test_staff_views_of_personal_data_are_logged(client, school, dina, elena) -> None:
    ticket = submit(school, now=timezone.now())
    client.force_login(dina)
    client.get(f"/desk/t/{ticket.number}/")
    entry = AccessLog.objects.get()
    assert (entry.user, entry.ticket_number, entry.what) == (dina, ticket.number, "просмотр карточки обращения")
    client.force_login(elena)
    body = client.get("/audit/access-log/", {"ticket": ticket.number}).content.decode()
    assert "просмотр карточки обращения" in body
    csv_body = b"".join(client.get("/audit/access-log/", {"format": "csv"}).streaming_content).decode()
    assert ticket.number in csv_body


def test_only_the_head_sees_the_privacy_pages(client, school, dina, dmitry) -> None:
    for person in (dina, dmitry):
        client.force_login(person)
        for path in ("/audit/access-log/", "/audit/person/", "/audit/acts/", "/audit/risk-words/"):
            assert client.get(path).status_code == 403


def test_export_on_request_gives_everything_about_a_phone(client, school, elena) -> None:
    mine = submit(school, phone="+7 903 111-22-33", email="")
    submit(school, phone="+7 903 999-99-99", email="")
    client.force_login(elena)
    response = client.post("/audit/person/", {"phone": "8 903 111 22 33", "email": "", "action": "export"})
    data = json.loads(response.content)
    assert [r["number"] for r in data["requests"]] == [mine.number]
    assert data["requests"][0]["phone"] == "+79031112233"


def test_withdrawal_of_consent_anonymises_at_once_with_an_act(client, school, elena, dina, egor) -> None:
    now = timezone.now()
    ticket = services.take(
        services.route(
            submit(school, now=now, phone="+7 903 111-22-33"), actor=dina, role=ServiceRole.EJOURNAL_ADMIN, now=now
        ),
        actor=egor,
        now=now,
    )
    services.resolve(ticket, actor=egor, channel=ReplyChannel.EMAIL, text="Ответ с именем ребёнка", now=now)
    client.force_login(egor)
    client.get(f"/desk/t/{ticket.number}/")
    client.force_login(elena)
    response = client.post("/audit/person/", {"phone": "+79031112233", "email": "", "action": "anonymise"})
    assert response["Location"] == "/audit/acts/"
    ticket.refresh_from_db()
    assert (ticket.author_name, ticket.phone, ticket.description) == ("обезличено", "", "обезличено")
    assert (ticket.request_type, ticket.school_class, ticket.state) == ("ejournal", "3Б", "resolved")
    assert not ticket.events.filter(note__contains="ребёнка").exists()
    assert ticket.events.last().kind == EventKind.ANONYMISED
    act = DestructionAct.objects.get()
    pdf = client.get(f"/audit/acts/{act.pk}.pdf")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert act.number in text and "отзыв согласия" in text and ticket.number in text
    assert "просмотр карточки обращения" in text  # the log extract


def test_the_retention_period_anonymises_old_requests(school, dina, egor) -> None:
    long_ago = timezone.now() - timedelta(days=400)
    old = services.take(
        services.route(submit(school, now=long_ago), actor=dina, role=ServiceRole.EJOURNAL_ADMIN, now=long_ago),
        actor=egor,
        now=long_ago,
    )
    services.resolve(old, actor=egor, channel=ReplyChannel.EMAIL, text="ok", now=long_ago)
    recent = submit(school, now=timezone.now())
    call_command("purge_expired", stdout=io.StringIO())
    assert Ticket.objects.get(pk=old.pk).anonymised_at is not None
    assert Ticket.objects.get(pk=recent.pk).anonymised_at is None
    assert "срок хранения" in DestructionAct.objects.get().rule
    call_command("purge_expired", stdout=io.StringIO())
    assert DestructionAct.objects.count() == 1


def test_an_anonymised_status_link_is_gone(client, school) -> None:
    from opora.domain.enums import Channel

    from ..factories import intake

    got = services.receive(school, intake(), channel=Channel.WEB, now=timezone.now())
    from opora.tickets.services.privacy import anonymise

    anonymise(got.ticket, now=timezone.now(), rule="тест")
    assert client.get(f"/s/{got.status_token}/").status_code == 404
