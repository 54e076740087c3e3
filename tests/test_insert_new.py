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
