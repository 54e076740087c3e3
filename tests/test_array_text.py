"""A whole array as one literal (`array_text`) reads back in PostgreSQL as the values it was built from."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opora.common.rows import array_text

MOSCOW = timezone(timedelta(hours=3))
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="array literals are PostgreSQL's")


def test_integers_and_gaps_are_written_as_postgresql_reads_them() -> None:
    assert array_text([7, None, -12]) == "{7,NULL,-12}"
    assert array_text([]) == "{}"


def test_a_time_keeps_its_offset() -> None:
    at = datetime(2026, 11, 27, 9, 30, 15, 250, tzinfo=MOSCOW)
    assert array_text([at, None]) == "{2026-11-27T09:30:15.000250+03:00,NULL}"


def test_a_naive_time_is_refused_rather_than_read_in_the_connections_zone() -> None:
    with pytest.raises(ValueError, match="naive"):
        array_text([datetime(2026, 11, 27, 9, 30)])


def _read_back(text: str, cast: str) -> list[object]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT %s::{cast}[]", [text])
        (values,) = cursor.fetchone()
    return list(values)


@on_postgresql
@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.none() | st.integers(min_value=-(2**63), max_value=2**63 - 1), max_size=30))
def test_any_bigints_read_back_as_given(values: list[int | None]) -> None:
    assert _read_back(array_text(values), "bigint") == values


@on_postgresql
@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.none()
        | st.datetimes(
            min_value=datetime(1900, 1, 1),
            max_value=datetime(2200, 1, 1),
            timezones=st.sampled_from([UTC, MOSCOW, timezone(timedelta(hours=-9, minutes=-30))]),
        ),
        max_size=30,
    )
)
def test_any_aware_times_read_back_as_the_same_moments(values: list[datetime | None]) -> None:
    assert _read_back(array_text(values), "timestamptz") == values
