from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from opora.domain.enums import ServiceRole
from opora.tickets import services
from opora.tickets.models import EventKind, ExtensionState

from ..factories import T0, submit

LATER = T0 + timedelta(hours=20)
NEW_DUE = T0 + timedelta(hours=48)


@pytest.fixture
def in_work(school, dina, egor):
    ticket = services.route(submit(school), actor=dina, role=ServiceRole.EJOURNAL_ADMIN, now=T0)
    return services.take(ticket, actor=egor, now=T0)


def test_a_request_does_not_move_the_deadline(in_work, egor) -> None:
    services.request_extension(in_work, actor=egor, reason="Ждём поставщика", proposed_due_at=NEW_DUE, now=LATER)
    in_work.refresh_from_db()
    assert in_work.resolve_due_at == T0 + timedelta(hours=24)
    assert in_work.events.last().kind == EventKind.EXTENSION_REQUESTED


def test_the_heads_approval_moves_it(in_work, egor, elena) -> None:
    ext = services.request_extension(in_work, actor=egor, reason="Ждём", proposed_due_at=NEW_DUE, now=LATER)
    other = NEW_DUE + timedelta(hours=2)
    services.decide_extension(ext, actor=elena, approve=True, due_at=other, comment="Да", now=LATER)
    in_work.refresh_from_db()
    assert (in_work.resolve_due_at, in_work.resolve_extended) == (other, True)
    assert in_work.events.last().data["previous_due_at"] == (T0 + timedelta(hours=24)).isoformat()


def test_a_rejection_leaves_it(in_work, egor, elena) -> None:
    ext = services.request_extension(in_work, actor=egor, reason="Ждём", proposed_due_at=NEW_DUE, now=LATER)
    ext = services.decide_extension(ext, actor=elena, approve=False, comment="Нет", now=LATER)
    in_work.refresh_from_db()
    assert (ext.state, in_work.resolve_extended) == (ExtensionState.REJECTED, False)
    assert in_work.events.last().kind == EventKind.EXTENSION_REJECTED


def test_only_the_head_decides(in_work, egor, dina) -> None:
    ext = services.request_extension(in_work, actor=egor, reason="Ждём", proposed_due_at=NEW_DUE, now=LATER)
    for person in (egor, dina):
        with pytest.raises(PermissionDenied):
            services.decide_extension(ext, actor=person, approve=True, now=LATER)


def test_one_pending_request_at_a_time_and_no_double_decision(in_work, egor, elena) -> None:
    ext = services.request_extension(in_work, actor=egor, reason="Ждём", proposed_due_at=NEW_DUE, now=LATER)
    with pytest.raises(services.ServiceError):
        services.request_extension(in_work, actor=egor, reason="Ещё", proposed_due_at=NEW_DUE, now=LATER)
    services.decide_extension(ext, actor=elena, approve=True, now=LATER)
    with pytest.raises(services.ServiceError):
        services.decide_extension(ext, actor=elena, approve=False, now=LATER)


def test_the_new_deadline_must_be_later(in_work, egor) -> None:
    with pytest.raises(services.ServiceError):
        services.request_extension(in_work, actor=egor, reason="Ждём", proposed_due_at=T0, now=LATER)
