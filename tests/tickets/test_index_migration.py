"""Three foreign keys give up their own indexes to the wider ones that start with them; the constraints stay."""

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
    assert _own_index(TicketEvent, "actor_id")  # an index no wider one serves is kept


@pytest.mark.django_db(transaction=True)
def test_an_event_for_a_request_that_does_not_exist_is_still_refused() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        TicketEvent.objects.create(ticket_id=999_999, at="2026-03-27T10:00:00Z", kind="received")
