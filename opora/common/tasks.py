"""The task queue's backend: django-tasks-db's, with each task's row written by `rows.insert`.

Every family's submit enqueues a task in its own transaction; the library writes the row through the ORM's
`create`, which built the statement afresh each time. The row, its values and its signals are the same."""

from typing import Any

from django_tasks_db import DatabaseBackend as LibraryBackend
from django_tasks_db.compat import Task, normalize_json
from django_tasks_db.models import DBTaskResult

from .rows import insert


class DatabaseBackend(LibraryBackend):
    def _task_to_db_task(self, task: Task[Any, Any], args: Any, kwargs: Any) -> DBTaskResult[Any, Any]:
        row: DBTaskResult[Any, Any] = DBTaskResult(
            id=self._get_id(),
            args_kwargs=normalize_json({"args": args, "kwargs": kwargs}),
            priority=task.priority,
            task_path=task.module_path,
            queue_name=task.queue_name,
            run_after=task.run_after,  # type: ignore[misc]
            backend_name=self.alias,
        )
        insert(row)
        return row
