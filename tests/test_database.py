"""The PostgreSQL connection settings production relies on."""

import pytest
from django.db import connection

from opora.accounts.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_a_statement_run_again_is_prepared_once_and_then_reused() -> None:
    threshold = connection.settings_dict["OPTIONS"]["prepare_threshold"]
    for pk in range(threshold + 2):
        list(Organisation.objects.filter(pk=pk).values_list("slug", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('FROM "accounts_organisation"' in statement for statement in prepared), prepared


@pytest.mark.skipif(connection.vendor != "postgresql", reason="plan caching is PostgreSQL's")
def test_every_run_of_a_prepared_statement_is_planned_for_its_own_values() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone() == ("force_custom_plan",)
