from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from opora.domain.enums import ServiceRole, State, WithdrawReason
from opora.tickets import services
from opora.tickets.models import EventKind

from ..factories import T0, submit

LATER = T0 + timedelta(minutes=12)


def kinds(ticket):
    return list(ticket.events.values_list("kind", flat=True))


def test_routing_meets_the_dispatch_clock_and_starts_take_in(school, dina, egor) -> None:
    ticket = services.route(submit(school), actor=dina, role=ServiceRole.EJOURNAL_ADMIN, now=LATER)
    assert (ticket.state, ticket.routed_role, ticket.dispatch_met_at) == (State.ROUTED, "ejournal_admin", LATER)
    assert ticket.take_due_at == LATER + timedelta(minutes=30)
    event = ticket.events.last()
    assert (event.kind, event.actor, event.from_state, event.to_state) == (
        EventKind.ROUTED,
        dina,
        State.RECEIVED,
        State.ROUTED,
    )


def test_routing_to_a_named_specialist_checks_their_role(school, dina, egor, tolya) -> None:
    ticket = submit(school)
    with pytest.raises(services.ServiceError):
        services.route(ticket, actor=dina, role=ServiceRole.EJOURNAL_ADMIN, now=LATER, assignee=tolya)
    routed = services.route(ticket, actor=dina, role=ServiceRole.EJOURNAL_ADMIN, now=LATER, assignee=egor)
    assert routed.assignee == egor


def test_only_dispatchers_and_the_head_route(school, egor, dmitry) -> None:
    ticket = submit(school)
    for person in (egor, dmitry):
        with pytest.raises(PermissionDenied):
            services.route(ticket, actor=person, role=ServiceRole.EJOURNAL_ADMIN, now=LATER)
    assert kinds(ticket) == [EventKind.RECEIVED]


def test_taking_meets_the_take_in_clock(school, dina, egor) -> None:
    ticket = services.route(submit(school), actor=dina, role=ServiceRole.EJOURNAL_ADMIN, now=LATER)
    taken = services.take(ticket, actor=egor, now=LATER + timedelta(minutes=30))
    assert (taken.state, taken.assignee, taken.take_met_at) == (State.IN_WORK, egor, LATER + timedelta(minutes=30))
    assert taken.clock("take").outcome(LATER + timedelta(days=1)) == "met"


def test_the_first_of_two_sharing_a_role_gets_it(school, dina, tolya, tima) -> None:
    ticket = services.route(submit(school, request_type="technical"), actor=dina, role="technician", now=LATER)
    services.take(ticket, actor=tolya, now=LATER)
    with pytest.raises(services.ServiceError, match="другой специалист"):
        services.take(ticket, actor=tima, now=LATER)
    assert kinds(ticket).count(EventKind.TAKEN) == 1


def test_a_specialist_of_another_role_cannot_take(school, dina, tolya) -> None:
    ticket = services.route(submit(school), actor=dina, role=ServiceRole.EJOURNAL_ADMIN, now=LATER)
    with pytest.raises(PermissionDenied):
        services.take(ticket, actor=tolya, now=LATER)


def test_return_gives_the_dispatcher_a_fresh_clock_and_keeps_history(school, dina, tolya) -> None:
    ticket = services.route(submit(school), actor=dina, role=ServiceRole.TECHNICIAN, now=LATER)
    back_at = LATER + timedelta(minutes=5)
    returned = services.return_to_dispatch(ticket, actor=tolya, reason="Это вопрос по ЭЖД", now=back_at)
    assert (returned.state, returned.routed_role, returned.return_count) == (State.RECEIVED, "", 1)
    assert returned.dispatch_due_at == back_at + timedelta(minutes=30)
    assert returned.first_routed_at == LATER
    event = returned.events.last()
    assert event.kind == EventKind.RETURNED and event.note == "Это вопрос по ЭЖД"
    assert event.data["dispatch_met_at"] == LATER.isoformat()


def test_return_needs_a_reason(school, dina, tolya) -> None:
    ticket = services.route(submit(school), actor=dina, role=ServiceRole.TECHNICIAN, now=LATER)
    with pytest.raises(services.ServiceError):
        services.return_to_dispatch(ticket, actor=tolya, reason=" ", now=LATER)


def test_withdrawal_stops_the_clocks(school, dina) -> None:
    ticket = services.withdraw(submit(school), actor=dina, reason=WithdrawReason.SPAM, now=LATER, note="реклама")
    assert (ticket.state, ticket.withdraw_reason, ticket.watch.watch_at) == (State.WITHDRAWN, "spam", None)
    assert kinds(ticket) == [EventKind.RECEIVED, EventKind.WITHDRAWN]


def test_a_duplicate_points_at_the_original(school, dina) -> None:
    original, copy = submit(school), submit(school, now=LATER)
    with pytest.raises(services.ServiceError):
        services.withdraw(copy, actor=dina, reason=WithdrawReason.DUPLICATE, now=LATER)
    services.withdraw(copy, actor=dina, reason=WithdrawReason.DUPLICATE, now=LATER, duplicate_of=original)
    copy.refresh_from_db()
    assert copy.duplicate_of == original
    assert copy.events.last().data["duplicate_of"] == original.number


def test_the_head_reassigns_work_in_progress(school, dina, tolya, tima, elena) -> None:
    ticket = services.route(submit(school), actor=dina, role=ServiceRole.TECHNICIAN, now=LATER)
    ticket = services.take(ticket, actor=tolya, now=LATER)
    moved = services.reassign(ticket, actor=elena, role=ServiceRole.TECHNICIAN, assignee=tima, now=LATER)
    assert (moved.state, moved.assignee, moved.take_met_at) == (State.ROUTED, tima, None)
    with pytest.raises(PermissionDenied):
        services.reassign(moved, actor=dina, role=ServiceRole.TECHNICIAN, now=LATER)


def test_illegal_moves_are_refused_with_a_message(school, dina, egor) -> None:
    ticket = services.route(submit(school), actor=dina, role=ServiceRole.EJOURNAL_ADMIN, now=LATER)
    with pytest.raises(services.ServiceError, match="недоступно"):
        services.route(ticket, actor=dina, role=ServiceRole.EJOURNAL_ADMIN, now=LATER)
