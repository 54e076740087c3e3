"""Many rows in one statement come back with their ids, in the order they were given."""

from opora.common.rows import Json, insert_rows
from opora.tickets.models import EventKind, TicketEvent

from .factories import T0, submit

FIELDS = ["ticket_id", "at", "actor_id", "actor_label", "kind", "from_state", "to_state", "note", "internal", "data"]


def test_it_returns_each_rows_id_in_order(school) -> None:
    ticket = submit(school)
    rows = [
        (ticket.pk, T0, None, "контроль сроков", EventKind.NOTE, "", "", f"заметка {n}\tс табуляцией", n == 1, {"n": n})
        for n in range(3)
    ]
    ids = insert_rows(TicketEvent, FIELDS, rows)
    written = TicketEvent.objects.in_bulk(ids)
    assert [(written[pk].note, written[pk].internal, written[pk].data, written[pk].at) for pk in ids] == [
        (f"заметка {n}\tс табуляцией", n == 1, {"n": n}, T0) for n in range(3)
    ]


def test_nothing_to_write_writes_nothing(school) -> None:
    assert insert_rows(TicketEvent, FIELDS, []) == []


def test_json_already_written_is_kept_as_it_is(school) -> None:
    ticket = submit(school)
    [pk] = insert_rows(
        TicketEvent, FIELDS, [(ticket.pk, T0, None, "", EventKind.NOTE, "", "", "", False, Json('{"a": [1]}'))]
    )
    assert TicketEvent.objects.get(pk=pk).data == {"a": [1]}
