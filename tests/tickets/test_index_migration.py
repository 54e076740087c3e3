"""Foreign keys give up their own indexes to the wider ones that start with them, or to a partial one; the
constraints stay."""

from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from opora.tickets.models import Ticket, TicketEvent

DROPPED = [
    (Ticket, "organisation_id"),
    (Ticket, "assignee_id"),
    (TicketEvent, "ticket_id"),
]


def migrate(target: list[tuple[str, str]] | None = None) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(target or executor.loader.graph.leaf_nodes())


def _constraints(model: Any) -> Any:
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, model._meta.db_table)


def _own_index(model, column: str) -> bool:
    return any(c["index"] and c["columns"] == [column] for c in _constraints(model).values())


def _foreign_key(model, column: str) -> bool:
    return any(c["foreign_key"] and c["columns"] == [column] for c in _constraints(model).values())


@pytest.mark.django_db(transaction=True)
def test_the_indexes_go_and_come_back_and_the_foreign_keys_stay() -> None:
    migrate([("tickets", "0007_open_load_index")])
    assert all(_own_index(model, column) for model, column in DROPPED)
    migrate()
    assert not any(_own_index(model, column) for model, column in DROPPED)
    assert all(_foreign_key(model, column) for model, column in DROPPED)
    assert _own_index(TicketEvent, "actor_id")  # an index no wider one serves is kept (partial since 0009)


@pytest.mark.django_db(transaction=True)
def test_an_event_for_a_request_that_does_not_exist_is_still_refused() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        TicketEvent.objects.create(ticket_id=999_999, at="2026-03-27T10:00:00Z", kind="received")


def _actor_indexes() -> list[str]:
    """The definitions of the indexes on an event's actor."""
    table = TicketEvent._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s", [table])
        else:
            cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s", [table])
        return [row[0] for row in cursor.fetchall() if row[0] and "actor_id" in row[0]]


@pytest.mark.django_db(transaction=True)
def test_an_events_actor_is_indexed_only_where_someone_acted() -> None:
    migrate([("tickets", "0008_redundant_indexes")])
    assert [("WHERE" in d.upper()) for d in _actor_indexes()] == [False]
    migrate()
    (partial,) = _actor_indexes()
    assert "event_actor_idx" in partial
    assert "IS NOT NULL" in partial.upper()
    assert _foreign_key(TicketEvent, "actor_id")


@pytest.mark.django_db
def test_a_person_removed_leaves_their_events_without_a_name() -> None:
    from opora.domain.enums import ServiceRole
    from tests.factories import make_school, make_staff, submit

    school = make_school()
    person = make_staff(school, "departed", ServiceRole.SITE_ADMIN)
    ticket = submit(school)
    acted = TicketEvent.objects.create(ticket=ticket, at="2026-03-27T10:00:00Z", kind="routed", actor=person)
    person.delete()
    acted.refresh_from_db()
    assert acted.actor_id is None
    assert TicketEvent.objects.filter(pk=acted.pk).exists()
