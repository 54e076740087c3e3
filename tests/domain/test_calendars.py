from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opora.domain.calendars import WallClock, WorkingHours
from opora.domain.clocks import ClockPolicy
from opora.domain.enums import ClockKind

MSK = ZoneInfo("Europe/Moscow")
BERLIN = ZoneInfo("Europe/Berlin")
SCHOOL_DAY = WorkingHours(tz=MSK, day_start=time(8), day_end=time(20), workdays=frozenset(range(5)))


def msk(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=MSK)


def test_wall_clock_crosses_midnight() -> None:
    start = msk(2026, 11, 23, 23, 45)
    assert WallClock().add(start, timedelta(minutes=30)) == msk(2026, 11, 24, 0, 15)


def test_wall_clock_rejects_naive_times() -> None:
    with pytest.raises(ValueError, match="naive"):
        WallClock().add(datetime(2026, 1, 1), timedelta(minutes=1))


def test_wall_clock_counts_real_hours_across_a_dst_change() -> None:
    # Berlin leaves summer time on 2026-10-25: 24 real hours later the wall clock shows 11:00, not 12:00.
    start = datetime(2026, 10, 24, 12, 0, tzinfo=BERLIN)
    due = WallClock().add(start, timedelta(hours=24))
    assert due - start == timedelta(hours=24)
    assert due.astimezone(BERLIN).hour == 11


def test_working_hours_carry_over_the_night() -> None:
    start = msk(2026, 11, 23, 19, 50)  # Monday, 10 minutes before closing
    assert SCHOOL_DAY.add(start, timedelta(minutes=30)) == msk(2026, 11, 24, 8, 20)


def test_working_hours_skip_the_weekend() -> None:
    start = msk(2026, 11, 27, 19, 45)  # Friday
    assert SCHOOL_DAY.add(start, timedelta(minutes=30)) == msk(2026, 11, 30, 8, 15)


def test_a_request_at_night_starts_counting_in_the_morning() -> None:
    start = msk(2026, 11, 24, 2, 0)
    assert SCHOOL_DAY.add(start, timedelta(minutes=30)) == msk(2026, 11, 24, 8, 30)


def test_working_hours_skip_holidays_and_use_transferred_workdays() -> None:
    calendar = WorkingHours(
        tz=MSK,
        workdays=frozenset(range(5)),
        holidays=frozenset({date(2026, 11, 4)}),
        extra_workdays=frozenset({date(2026, 11, 7)}),
    )
    assert calendar.add(msk(2026, 11, 3, 19, 50), timedelta(minutes=30)) == msk(2026, 11, 5, 8, 20)
    assert calendar.add(msk(2026, 11, 6, 19, 50), timedelta(minutes=30)) == msk(2026, 11, 7, 8, 20)


def test_24_working_hours_span_two_school_days() -> None:
    start = msk(2026, 11, 23, 14, 0)  # Monday; 6 h left today, 12 h Tuesday, 6 h Wednesday
    assert SCHOOL_DAY.add(start, timedelta(hours=24)) == msk(2026, 11, 25, 14, 0)


def test_working_hours_across_dst_keep_local_opening_times() -> None:
    berlin = WorkingHours(tz=BERLIN, day_start=time(8), day_end=time(18), workdays=frozenset(range(7)))
    start = datetime(2026, 10, 24, 17, 30, tzinfo=BERLIN)  # Saturday before the clocks go back
    due = berlin.add(start, timedelta(hours=1))
    assert due.astimezone(BERLIN) == datetime(2026, 10, 25, 8, 30, tzinfo=BERLIN)
    assert due.astimezone(BERLIN).utcoffset() == timedelta(hours=1)


def test_elapsed_counts_only_working_time() -> None:
    assert SCHOOL_DAY.elapsed(msk(2026, 11, 27, 19, 0), msk(2026, 11, 30, 9, 0)) == timedelta(hours=2)
    assert SCHOOL_DAY.elapsed(msk(2026, 11, 30, 9, 0), msk(2026, 11, 27, 19, 0)) == timedelta(0)


def test_a_calendar_without_working_days_is_refused() -> None:
    with pytest.raises(ValueError, match="working day"):
        WorkingHours(tz=MSK, workdays=frozenset())
    with pytest.raises(ValueError, match="end after"):
        WorkingHours(tz=MSK, day_start=time(18), day_end=time(8))


def test_policy_uses_the_schools_calendar() -> None:
    policy = ClockPolicy(calendar=SCHOOL_DAY)
    assert policy.due(ClockKind.DISPATCH, msk(2026, 11, 28, 12, 0)) == msk(2026, 11, 30, 8, 30)


moments = st.datetimes(
    min_value=datetime(2026, 1, 1),
    max_value=datetime(2027, 12, 31),
    timezones=st.just(UTC),
)
spans = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=5))


@given(start=moments, span=spans)
def test_adding_then_measuring_working_time_round_trips(start: datetime, span: timedelta) -> None:
    due = SCHOOL_DAY.add(start, span)
    assert due >= start
    assert SCHOOL_DAY.elapsed(start, due) == span


@given(start=moments, span=spans)
def test_wall_clock_round_trips(start: datetime, span: timedelta) -> None:
    clock = WallClock()
    assert clock.elapsed(start, clock.add(start, span)) == span
