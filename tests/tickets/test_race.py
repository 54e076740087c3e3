"""Two specialists sharing a role press «Взять в работу» at the same moment."""

import threading

import pytest
from django.db import connection, connections

from opora.domain.enums import ServiceRole
from opora.tickets import services
from opora.tickets.models import EventKind

from ..factories import T0, submit


@pytest.mark.django_db(transaction=True)
def test_only_one_of_two_simultaneous_takes_wins(school, dina, tolya, tima) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks race only on PostgreSQL; SQLite serialises writers")
    ticket = services.route(submit(school, request_type="technical"), actor=dina, role=ServiceRole.TECHNICIAN, now=T0)
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def press(person) -> None:
        start.wait()
        try:
            services.take(ticket, actor=person, now=T0)
            outcomes[person.username] = "took"
        except services.ServiceError:
            outcomes[person.username] = "refused"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press, args=(p,)) for p in (tolya, tima)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()) == ["refused", "took"]
    assert ticket.events.filter(kind=EventKind.TAKEN).count() == 1
    ticket.refresh_from_db()
    assert outcomes[ticket.assignee.username] == "took"


@pytest.mark.django_db(transaction=True)
def test_numbers_stay_unique_under_concurrent_intake(school) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    start = threading.Barrier(8)
    errors: list[Exception] = []

    def file_one() -> None:
        start.wait()
        try:
            submit(school)
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=file_one) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(school.tickets.values_list("number", flat=True))
    assert numbers == [f"2026-{n:06d}" for n in range(1, 9)]
