from datetime import UTC, datetime, timedelta

import pytest

from opora.domain.clocks import Clock, ClockPolicy, is_met, next_watch_at
from opora.domain.enums import ClockKind, Outcome

T0 = datetime(2026, 11, 23, 21, 50, tzinfo=UTC)
POLICY = ClockPolicy()


def test_defaults_are_the_regulations() -> None:
    assert POLICY.due(ClockKind.DISPATCH, T0) == T0 + timedelta(minutes=30)
    assert POLICY.due(ClockKind.TAKE, T0) == T0 + timedelta(minutes=30)
    assert POLICY.due(ClockKind.RESOLVE, T0) == T0 + timedelta(hours=24)


@pytest.mark.parametrize(
    ("met_after", "outcome"),
    [
        (timedelta(minutes=29, seconds=59), Outcome.MET),
        (timedelta(minutes=30), Outcome.MET),
        (timedelta(minutes=30, seconds=1), Outcome.BREACHED),
    ],
)
def test_exactly_on_the_deadline_is_met(met_after: timedelta, outcome: Outcome) -> None:
    due = POLICY.due(ClockKind.DISPATCH, T0)
    clock = Clock(ClockKind.DISPATCH, due_at=due, met_at=T0 + met_after)
    assert clock.outcome(now=T0 + timedelta(days=1)) == outcome
    assert is_met(due, T0 + met_after) is (outcome == Outcome.MET)


def test_a_running_clock_breaches_one_second_after_due() -> None:
    clock = Clock(ClockKind.TAKE, due_at=T0)
    assert clock.outcome(now=T0) == Outcome.RUNNING
    assert clock.time_left(now=T0 - timedelta(minutes=3)) == timedelta(minutes=3)
    assert clock.outcome(now=T0 + timedelta(seconds=1)) == Outcome.BREACHED


def test_a_clock_without_a_due_time_is_stopped() -> None:
    assert Clock(ClockKind.TAKE, due_at=None).outcome(now=T0) == Outcome.STOPPED


def test_a_withdrawn_request_stops_its_clocks_unless_already_breached() -> None:
    assert Clock(ClockKind.RESOLVE, due_at=T0, stopped=True).outcome(now=T0) == Outcome.STOPPED
    late = Clock(ClockKind.RESOLVE, due_at=T0, stopped=True)
    assert late.outcome(now=T0 + timedelta(hours=1)) == Outcome.BREACHED


def test_watcher_looks_first_at_the_earliest_warning() -> None:
    dispatch = Clock(ClockKind.DISPATCH, due_at=T0 + timedelta(minutes=30))
    resolve = Clock(ClockKind.RESOLVE, due_at=T0 + timedelta(hours=24))
    assert next_watch_at([dispatch, resolve], set(), set(), POLICY) == T0 + timedelta(minutes=20)


def test_after_the_warning_the_watcher_waits_for_the_breach() -> None:
    dispatch = Clock(ClockKind.DISPATCH, due_at=T0 + timedelta(minutes=30))
    assert next_watch_at([dispatch], {ClockKind.DISPATCH}, set(), POLICY) == T0 + timedelta(minutes=30)


def test_nothing_to_watch_once_every_clock_is_met_or_breached() -> None:
    met = Clock(ClockKind.DISPATCH, due_at=T0, met_at=T0)
    gone = Clock(ClockKind.TAKE, due_at=T0)
    assert next_watch_at([met, gone], {ClockKind.TAKE}, {ClockKind.TAKE}, POLICY) is None


def test_warning_leads_are_per_clock() -> None:
    due = T0 + timedelta(hours=24)
    assert POLICY.warn_at(ClockKind.RESOLVE, due) == due - timedelta(hours=2)
    custom = ClockPolicy(warn_take=timedelta(minutes=5))
    assert custom.warn_at(ClockKind.TAKE, T0) == T0 - timedelta(minutes=5)
