"""The watcher's columns move to their own table with every value, and back again."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ..factories import T0

BEFORE = [("tickets", "0004_changed_index")]
AFTER = [("tickets", "0005_watch")]


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    return executor.loader.project_state(target).apps


def old_request(apps, school_id: int, number: str, **watch):
    return apps.get_model("tickets", "Ticket").objects.create(
        organisation_id=school_id,
        number=number,
        channel="web",
        author_name="Иванова Анна",
        author_role="parent",
        request_type="ejournal",
        description="Не открывается дневник",
        phone="+79160000001",
        preferred_reply="phone",
        status_token_hash=f"hash-{number}",
        received_at=T0,
        **watch,
    )


@pytest.mark.django_db(transaction=True)
def test_each_request_keeps_its_next_look_and_what_was_already_said(school) -> None:
    apps = migrate(BEFORE)
    watched = old_request(
        apps, school.pk, "2026-0001", watch_at=T0 + timedelta(hours=22), dispatch_warned_at=T0, dispatch_breached_at=T0
    )
    closed = old_request(apps, school.pk, "2026-0002")
    apps = migrate(AFTER)
    Watch = apps.get_model("tickets", "TicketWatch")
    moved = Watch.objects.get(pk=watched.pk)
    assert (moved.watch_at, moved.dispatch_warned_at, moved.dispatch_breached_at) == (T0 + timedelta(hours=22), T0, T0)
    assert moved.take_warned_at is None and moved.resolve_breached_at is None
    assert Watch.objects.get(pk=closed.pk).watch_at is None

    apps = migrate(BEFORE)  # and back, should a release be rolled back
    back = apps.get_model("tickets", "Ticket").objects.get(pk=watched.pk)
    assert (back.watch_at, back.dispatch_breached_at) == (T0 + timedelta(hours=22), T0)
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())  # the rest of the run needs every table
