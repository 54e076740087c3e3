from datetime import timedelta

import pytest

from opora.domain.enums import AuthorRole, Channel, RequestType, ServiceRole, State
from opora.tickets.models import EventKind, TicketEvent
from opora.tickets.services import ServiceError, receive
from opora.tickets.services.intake import hash_token, ticket_by_token

from ..factories import T0, intake, submit


def test_it_numbers_requests_per_school_and_year(school, other_school) -> None:
    first, second = submit(school), submit(school, now=T0 + timedelta(minutes=1))
    elsewhere = submit(other_school)
    assert (first.number, second.number, elsewhere.number) == ("2026-000001", "2026-000002", "2026-000001")


def test_the_year_is_the_schools_local_year(school) -> None:
    new_year_in_moscow = T0.replace(month=12, day=31, hour=21, minute=30)  # 00:30 on 1 January in Moscow
    assert submit(school, now=new_year_in_moscow).number == "2027-000001"


def test_it_normalises_what_families_type(school) -> None:
    ticket = submit(school, school_class="7 б", phone="8 (903) 555-12-34", email=" Parent@Example.RU ")
    assert (ticket.school_class, ticket.phone, ticket.email) == ("7Б", "+79035551234", "parent@example.ru")


def test_it_starts_the_dispatch_and_resolution_clocks(school) -> None:
    ticket = submit(school)
    assert ticket.state == State.RECEIVED
    assert ticket.dispatch_due_at == T0 + timedelta(minutes=30)
    assert ticket.resolve_due_at == T0 + timedelta(hours=24)
    assert ticket.take_due_at is None
    assert ticket.watch.watch_at == T0 + timedelta(minutes=20)


def test_it_writes_the_received_event(school) -> None:
    ticket = submit(school)
    event = TicketEvent.objects.get(ticket=ticket)
    assert (event.kind, event.at, event.actor_label, event.to_state) == (
        EventKind.RECEIVED,
        T0,
        "Кузнецова Марина Сергеевна",
        State.RECEIVED,
    )


def test_the_status_token_is_stored_only_as_a_hash(school) -> None:
    received = receive(school, intake(), channel=Channel.WEB, now=T0)
    assert len(received.status_token) >= 40
    assert received.ticket.status_token_hash == hash_token(received.status_token)
    assert received.status_token not in received.ticket.status_token_hash
    assert ticket_by_token(received.status_token) == received.ticket
    assert ticket_by_token("x" * 43) is None


def test_teachers_have_no_class(school) -> None:
    ticket = submit(school, author_role=AuthorRole.TEACHER, school_class="5А")
    assert ticket.school_class == ""


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"school_class": "13Я"}, "school_class"),
        ({"school_class": ""}, "school_class"),
        ({"phone": "позвоните"}, "phone"),
        ({"phone": "", "email": ""}, "phone"),
        ({"description": "   "}, "description"),
        ({"description": "я" * 4001}, "description"),
        ({"author_name": " "}, "author_name"),
        ({"email": "", "preferred_reply": "email"}, "email"),
    ],
)
def test_it_refuses_bad_input_with_a_message_for_the_field(school, overrides, field) -> None:
    with pytest.raises(ServiceError) as caught:
        submit(school, **overrides)
    assert field in caught.value.message_dict
    assert not school.tickets.exists()


def test_psychologist_requests_route_to_the_psychologist_at_once(school) -> None:
    ticket = submit(school, request_type=RequestType.PSYCHOLOGIST)
    assert (ticket.state, ticket.routed_role) == (State.ROUTED, ServiceRole.PSYCHOLOGIST)
    assert ticket.dispatch_met_at == T0
    kinds = list(ticket.events.values_list("kind", "actor_label"))
    assert kinds == [(EventKind.RECEIVED, ticket.author_name), (EventKind.ROUTED, "автораспределение")]


def test_auto_routing_uses_the_schools_table(school) -> None:
    school.auto_routing = True
    school.save()
    school.routing_rules.create(request_type=RequestType.OTHER, role=ServiceRole.SITE_ADMIN)
    ticket = submit(school, request_type=RequestType.OTHER)
    assert (ticket.state, ticket.routed_role, ticket.take_due_at) == (
        State.ROUTED,
        ServiceRole.SITE_ADMIN,
        T0 + timedelta(minutes=30),
    )


def test_hotline_calls_keep_the_specialist_and_call_time(school, galya) -> None:
    called = T0 - timedelta(minutes=3)
    ticket = receive(school, intake(called_at=called), channel=Channel.HOTLINE, now=T0, actor=galya).ticket
    assert (ticket.channel, ticket.called_at, ticket.recorded_by) == (Channel.HOTLINE, called, galya)
    assert ticket.events.get().actor == galya
