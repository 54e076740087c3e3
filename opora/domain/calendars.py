"""How a school counts time: the wall clock, or working hours with days off and holidays.

Durations are measured in real elapsed time (UTC arithmetic), so a daylight-saving
change never stretches or shrinks a deadline; working windows are laid out in the
school's own time zone.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

_MAX_DAYS_AHEAD = 3 * 366


class Calendar(Protocol):
    def add(self, start: datetime, duration: timedelta) -> datetime: ...

    def elapsed(self, start: datetime, end: datetime) -> timedelta: ...


def _require_aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("naive datetime: the regulation's clocks need a time zone")
    return moment.astimezone(UTC)


@dataclass(frozen=True)
class WallClock:
    """The regulation as written: 30 minutes are 30 minutes, night or day."""

    def add(self, start: datetime, duration: timedelta) -> datetime:
        return _require_aware(start) + duration

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        return max(timedelta(0), _require_aware(end) - _require_aware(start))


@dataclass(frozen=True)
class WorkingHours:
    tz: ZoneInfo
    day_start: time = time(8, 0)
    day_end: time = time(20, 0)
    workdays: frozenset[int] = frozenset({0, 1, 2, 3, 4, 5})
    holidays: frozenset[date] = field(default_factory=frozenset)
    extra_workdays: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if self.day_end <= self.day_start:
            raise ValueError("the working day must end after it starts")
        if not self.workdays and not self.extra_workdays:
            raise ValueError("a working-hours calendar needs at least one working day")

    def is_working_day(self, day: date) -> bool:
        if day in self.extra_workdays:
            return True
        return day.weekday() in self.workdays and day not in self.holidays

    def _windows(self, since: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Working windows (UTC) that end after `since`, in order."""
        day = since.astimezone(self.tz).date()
        for offset in range(_MAX_DAYS_AHEAD):
            current = day + timedelta(days=offset)
            if not self.is_working_day(current):
                continue
            opens = datetime.combine(current, self.day_start, self.tz).astimezone(UTC)
            closes = datetime.combine(current, self.day_end, self.tz).astimezone(UTC)
            if closes > since:
                yield max(opens, since), closes
        raise ValueError("no working time within three years; check the holidays")

    def add(self, start: datetime, duration: timedelta) -> datetime:
        left = duration
        cursor = _require_aware(start)
        for opens, closes in self._windows(cursor):
            if opens + left <= closes:
                return opens + left
            left -= closes - opens
        raise AssertionError("unreachable")  # pragma: no cover

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        begin, finish = _require_aware(start), _require_aware(end)
        total = timedelta(0)
        if finish <= begin:
            return total
        for opens, closes in self._windows(begin):
            if opens >= finish:
                break
            total += min(closes, finish) - opens
        return total
