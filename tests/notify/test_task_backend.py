"""The task queue's backend writes each task's row as django-tasks-db's own backend does."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.forms.models import model_to_dict
from django_tasks_db import DatabaseBackend as LibraryBackend
from django_tasks_db.models import DBTaskResult, get_date_max

from opora.common.tasks import DatabaseBackend
from opora.notify.tasks import send_message

from ..factories import T0

pytestmark = pytest.mark.django_db


def _row(pk: Any) -> dict[str, Any]:
    return {k: v for k, v in model_to_dict(DBTaskResult.objects.get(pk=pk)).items() if k != "id"}


def test_it_is_the_backend_in_use() -> None:
    assert isinstance(send_message.get_backend(), DatabaseBackend)


@pytest.mark.parametrize("deferred", [False, True])
def test_the_row_is_the_librarys(deferred: bool) -> None:
    task = send_message.using(priority=7, run_after=T0 + timedelta(hours=1) if deferred else None)
    ours, library = DatabaseBackend("default", {}), LibraryBackend("default", {})
    with time_machine.travel(T0, tick=False):
        mine: Any = ours.enqueue(task, (41,), {})
        theirs: Any = library.enqueue(task, (41,), {})
    assert mine.id != theirs.id
    assert _row(mine.id) == _row(theirs.id)
    written = DBTaskResult.objects.get(pk=mine.id)
    assert (written.args_kwargs, written.priority, written.status) == ({"args": [41], "kwargs": {}}, 7, "READY")
    assert written.run_after == (T0 + timedelta(hours=1) if deferred else get_date_max())
    assert written.enqueued_at == T0


def test_a_queued_task_is_found_again_by_its_id() -> None:
    result = send_message.enqueue(5)
    found = send_message.get_result(result.id)
    assert found.id == result.id and found.args == [5]
