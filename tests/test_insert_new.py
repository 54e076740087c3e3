"""New rows written at once, with those already there under the same key left alone and left out."""

import pytest
from django.db import connection

from opora.common.rows import insert_new
from opora.notify.models import Outbox, OutboxState

from .factories import T0


def _message(school, key: str, subject: str) -> Outbox:
    return Outbox(
        organisation=school, kind="dispatch_new", recipient="dina@school.example.ru", subject=subject,
        body_text="", dedupe_key=key, next_attempt_at=T0, created_at=T0,
    )  # fmt: skip


@pytest.fixture(params=["returning", "without returning"])
def returning(request, monkeypatch) -> None:
    if request.param == "without returning":
        monkeypatch.setattr(connection.features, "can_return_columns_from_insert", False)


def test_only_the_new_rows_come_back_with_their_ids(db, school, returning) -> None:
    [earlier] = insert_new([_message(school, "k:1", "раньше")], "dedupe_key")
    fresh = insert_new([_message(school, k, "теперь") for k in ("k:0", "k:1", "k:2")], "dedupe_key")
    assert [row.dedupe_key for row in fresh] == ["k:0", "k:2"]
    assert {row.pk: row.dedupe_key for row in fresh} == dict(
        Outbox.objects.filter(subject="теперь").values_list("pk", "dedupe_key")
    )
    assert Outbox.objects.get(dedupe_key="k:1").subject == "раньше" and earlier.pk is not None
    assert all(not row._state.adding and row.state == OutboxState.PENDING for row in fresh)


def test_nothing_to_write_writes_nothing(db, returning) -> None:
    assert insert_new([], "dedupe_key") == []
    assert not Outbox.objects.exists()


def test_every_kind_of_value_is_written_as_given(db, school, dina) -> None:
    row = _message(school, "k:values", "тема")
    row.user, row.render_context, row.attempts, row.claimed_until = dina, {"_refs": {"event": 7}, "кто": "Дина"}, 1, T0
    bare = _message(school, "k:bare", "без адресата")  # nulls and defaults beside the values above
    insert_new([row, bare], "dedupe_key")
    written = Outbox.objects.get(dedupe_key="k:values")
    assert (written.user, written.render_context, written.attempts, written.claimed_until) == (
        dina, {"_refs": {"event": 7}, "кто": "Дина"}, 1, T0
    )  # fmt: skip
    bare_written = Outbox.objects.get(dedupe_key="k:bare")
    assert (bare_written.user, bare_written.render_context, bare_written.claimed_until) == (None, {}, None)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="one statement for any number of rows on PostgreSQL")
def test_the_statement_reads_the_same_for_any_number_of_rows(db, school) -> None:
    def statement(keys: list[str]) -> tuple[str, int]:
        sent: list[tuple[str, int]] = []

        def keep(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
            sent.append((sql, len(params)))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(keep):
            insert_new([_message(school, key, "тема") for key in keys], "dedupe_key")
        [one] = sent
        return one

    one_row, hundred_rows = statement(["a:1"]), statement([f"b:{n}" for n in range(100)])
    assert one_row == hundred_rows and "unnest" in one_row[0]
    assert Outbox.objects.filter(dedupe_key__startswith="b:").count() == 100
