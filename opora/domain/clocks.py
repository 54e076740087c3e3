"""The three clocks of the regulation (§3.1.1–2, §3.2.1, §3.2.2)."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .calendars import Calendar, WallClock
from .enums import ClockKind, Outcome


@dataclass(frozen=True)
class ClockPolicy:
    """A school's durations; the defaults are the regulation's."""

    dispatch: timedelta = timedelta(minutes=30)
    take: timedelta = timedelta(minutes=30)
    resolve: timedelta = timedelta(hours=24)
    warn_dispatch: timedelta = timedelta(minutes=10)
    warn_take: timedelta = timedelta(minutes=10)
    warn_resolve: timedelta = timedelta(hours=2)
    calendar: Calendar = field(default_factory=WallClock)

    def duration(self, kind: ClockKind) -> timedelta:
        return {
            ClockKind.DISPATCH: self.dispatch,
            ClockKind.TAKE: self.take,
            ClockKind.RESOLVE: self.resolve,
        }[kind]

    def warning_lead(self, kind: ClockKind) -> timedelta:
        return {
            ClockKind.DISPATCH: self.warn_dispatch,
            ClockKind.TAKE: self.warn_take,
            ClockKind.RESOLVE: self.warn_resolve,
        }[kind]

    def due(self, kind: ClockKind, started_at: datetime) -> datetime:
        """Dispatch and resolution start at receipt; take-in starts at routing."""
        return self.calendar.add(started_at, self.duration(kind))

    def warn_at(self, kind: ClockKind, due_at: datetime) -> datetime:
        # Warnings are real-time reminders ("10 minutes left"), so they use wall time.
        return due_at - self.warning_lead(kind)


@dataclass(frozen=True)
class Clock:
    kind: ClockKind
    due_at: datetime | None
    met_at: datetime | None = None
    stopped: bool = False

    def outcome(self, now: datetime) -> Outcome:
        if self.due_at is None:
            return Outcome.STOPPED
        if self.met_at is not None:
            return Outcome.MET if self.met_at <= self.due_at else Outcome.BREACHED
        if now > self.due_at:
            return Outcome.BREACHED
        return Outcome.STOPPED if self.stopped else Outcome.RUNNING

    def time_left(self, now: datetime) -> timedelta | None:
        if self.due_at is None or self.met_at is not None or self.stopped:
            return None
        return self.due_at - now


def is_met(due_at: datetime, met_at: datetime) -> bool:
    """Exactly on the deadline is met; one second later is breached."""
    return met_at <= due_at


def next_watch_at(
    clocks: list[Clock],
    warned: set[ClockKind],
    breached: set[ClockKind],
    policy: ClockPolicy,
) -> datetime | None:
    """The next moment the deadline watcher must look at a request, or None."""
    moments: list[datetime] = []
    for clock in clocks:
        if clock.due_at is None or clock.met_at is not None or clock.stopped:
            continue
        if clock.kind not in warned:
            moments.append(policy.warn_at(clock.kind, clock.due_at))
        elif clock.kind not in breached:
            moments.append(clock.due_at)
    return min(moments, default=None)
