"""Days rolled up before the roll-up had its class and specialist rows are forgotten, so they are counted live."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ..factories import T0


def migrate(target: list[tuple[str, str]] | None = None):
    executor = MigrationExecutor(connection)
    target = target or executor.loader.graph.leaf_nodes()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


@pytest.mark.django_db(transaction=True)
def test_days_rolled_up_without_breakdowns_are_forgotten(school) -> None:
    apps = migrate([("reports", "0001_daily_rollup")])
    apps.get_model("reports", "RolledDay").objects.create(
        organisation_id=school.pk, day=date(2026, 3, 27), computed_at=T0, timezone="Europe/Moscow", dispatch_minutes=30
    )
    apps = migrate()
    assert not apps.get_model("reports", "RolledDay").objects.exists()
