from datetime import timedelta

from opora.domain.enums import Channel, ReplyChannel, ServiceRole
from opora.tickets import services
from opora.tickets.models import EventKind

from ..factories import T0, intake


def received(school):
    return services.receive(school, intake(), channel=Channel.WEB, now=T0)


def test_it_shows_number_type_and_state_in_plain_words(client, school, dina) -> None:
    got = received(school)
    services.route(got.ticket, actor=dina, role=ServiceRole.EJOURNAL_ADMIN, now=T0 + timedelta(minutes=5))
    body = client.get(f"/s/{got.status_token}/").content.decode()
    assert got.ticket.number in body
    assert "проблема с ЭЖД" in body
    assert "передано специалисту: администратор электронного журнала" in body


def test_it_shows_the_answer_sent_by_email(client, school, dina, egor) -> None:
    got = received(school)
    ticket = services.route(got.ticket, actor=dina, role=ServiceRole.EJOURNAL_ADMIN, now=T0)
    ticket = services.take(ticket, actor=egor, now=T0)
    services.resolve(ticket, actor=egor, channel=ReplyChannel.EMAIL, text="Дневник привязан.", now=T0)
    body = client.get(f"/s/{got.status_token}/").content.decode()
    assert "Дневник привязан." in body and "дан ответ" in body


def test_internal_notes_never_reach_the_author(client, school, dina, egor) -> None:
    got = received(school)
    ticket = services.route(got.ticket, actor=dina, role=ServiceRole.EJOURNAL_ADMIN, now=T0)
    services.add_note(ticket, actor=egor, text="Секретная заметка", now=T0)
    assert "Секретная заметка" not in client.get(f"/s/{got.status_token}/").content.decode()


def test_the_author_adds_a_clarification(client, school) -> None:
    got = received(school)
    response = client.post(f"/s/{got.status_token}/", {"text": "У нас два ребёнка в школе"})
    assert response.status_code == 302
    event = got.ticket.events.last()
    assert (event.kind, event.note, event.data["via"]) == (
        EventKind.AUTHOR_MESSAGE,
        "У нас два ребёнка в школе",
        "status_page",
    )


def test_an_empty_clarification_is_refused_next_to_the_field(client, school) -> None:
    got = received(school)
    response = client.post(f"/s/{got.status_token}/", {"text": "  "})
    assert response.status_code == 400
    assert 'id="id_text-error"' in response.content.decode()


def test_a_wrong_token_is_a_bare_404(client, school) -> None:
    got = received(school)
    for token in ("wrong", got.ticket.number, str(got.ticket.pk), got.status_token[:-1] + "x"):
        response = client.get(f"/s/{token}/")
        assert response.status_code == 404
        assert got.ticket.number not in response.content.decode()
