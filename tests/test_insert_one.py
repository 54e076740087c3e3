"""One new row written with its statement built once: the same row, id and signals as `save()` gives."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.db.models import F
from django.db.models.signals import post_save
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult, get_date_max

from opora.common import rows
from opora.tickets.models import EventKind, Ticket, TicketEvent, TicketWatch

from .factories import T0, submit

pytestmark = pytest.mark.django_db

_GIVEN = ["number", "status_token_hash"]


def _twin(ticket: Ticket, n: int) -> Ticket:
    """A copy of `ticket` not yet written, with its own number and token."""
    fields = {f.attname: getattr(ticket, f.attname) for f in Ticket._meta.concrete_fields if f.name != "id"}
    fields |= {"number": f"{ticket.number}-{n}", "status_token_hash": f"{n}" * 64}
    return Ticket(**fields)


def _stored(ticket: Ticket) -> dict[str, Any]:
    row = model_to_dict(Ticket.objects.get(pk=ticket.pk))
    return {k: v for k, v in row.items() if k not in {"id", *_GIVEN}}


def test_the_row_is_the_one_save_writes(school) -> None:
    ticket = submit(school, school_class="7Б")
    with time_machine.travel(T0 + timedelta(hours=2), tick=False):
        saved, inserted = _twin(ticket, 1), _twin(ticket, 2)
        saved.save(force_insert=True)
        rows.insert(inserted)
    assert inserted.pk is not None and inserted.pk != saved.pk
    assert _stored(inserted) == _stored(saved)
    assert Ticket.objects.get(pk=inserted.pk).created_at == T0 + timedelta(hours=2)


def test_the_instance_is_then_a_stored_one(school) -> None:
    inserted = _twin(submit(school), 1)
    rows.insert(inserted)
    assert inserted._state.adding is False and inserted._state.db == "default"
    inserted.description = "Изменено"
    inserted.save()  # an UPDATE of the row just written, not a second INSERT
    assert Ticket.objects.filter(number=inserted.number).count() == 1
    assert Ticket.objects.get(pk=inserted.pk).description == "Изменено"


def test_it_is_one_statement(school) -> None:
    ticket = submit(school)
    event = TicketEvent(ticket=ticket, at=T0, kind=EventKind.NOTE, note="заметка", data={"a": [1, "б"]})
    with CaptureQueriesContext(connection) as queries:
        rows.insert(event)
    assert len(queries) == 1 and queries[0]["sql"].startswith("INSERT INTO")
    assert TicketEvent.objects.get(pk=event.pk).data == {"a": [1, "б"]}


def test_a_given_key_is_kept(school) -> None:
    ticket = submit(school)
    TicketWatch.objects.filter(pk=ticket.pk).delete()
    watch = TicketWatch(ticket=ticket, watch_at=T0)
    rows.insert(watch)
    assert watch.pk == ticket.pk
    assert TicketWatch.objects.get(pk=ticket.pk).watch_at == T0


def test_signals_are_sent_as_save_sends_them(db) -> None:
    """django-tasks-db fills a task's run time in its pre_save receiver; post_save says the row is new."""
    seen: list[tuple[bool, bool]] = []

    def saved(sender: Any, instance: DBTaskResult[Any, Any], created: bool, **kwargs: Any) -> None:
        seen.append((created, instance._state.adding))

    post_save.connect(saved, sender=DBTaskResult)
    try:
        task: DBTaskResult[Any, Any] = DBTaskResult(
            args_kwargs={"args": [1], "kwargs": {}}, task_path="x.y", backend_name="default"
        )
        rows.insert(task)
    finally:
        post_save.disconnect(saved, sender=DBTaskResult)
    assert seen == [(True, False)]
    assert DBTaskResult.objects.get(pk=task.pk).run_after == get_date_max()


def test_an_expression_is_refused(school) -> None:
    event = TicketEvent(ticket=submit(school), at=T0, kind=EventKind.NOTE, note=F("actor_label"))
    with pytest.raises(TypeError, match="expression"):
        rows.insert(event)


def test_the_statement_is_built_once_per_model(school, monkeypatch) -> None:
    built: list[type] = []
    real = rows._insert_statement

    def counting(model: Any, alias: str, with_pk: bool) -> Any:
        built.append(model)
        return real(model, alias, with_pk)

    monkeypatch.setattr(rows, "_INSERTS", {})
    monkeypatch.setattr(rows, "_insert_statement", counting)
    ticket = submit(school)
    for n in range(3):
        rows.insert(TicketEvent(ticket=ticket, at=T0, kind=EventKind.NOTE, note=f"заметка {n}"))
    assert built.count(TicketEvent) == 1
    assert TicketEvent.objects.filter(ticket=ticket, kind=EventKind.NOTE).count() == 3
