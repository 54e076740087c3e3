"""Who writes the roll-up: the periodic task for recent settled days, the command for history."""

from datetime import date, datetime, time, timedelta

import time_machine
from django.core.management import call_command

from opora.domain.enums import WithdrawReason
from opora.reports.models import RolledDay
from opora.reports.periodic import schedule
from opora.reports.rollup import SETTLE, roll_up, roll_up_due
from opora.tickets import services

from ..factories import submit

DAY = date(2026, 11, 20)


def test_a_day_is_rolled_up_only_once_it_has_settled(school) -> None:
    midnight = datetime.combine(DAY + timedelta(days=1), time.min, school.zone)
    assert roll_up(school, DAY, midnight + SETTLE - timedelta(seconds=1)) is None
    assert roll_up(school, DAY, midnight + SETTLE) is not None


def test_it_rolls_up_missing_and_stale_days_and_moves_the_others_stamps(school, dina) -> None:
    at = datetime.combine(DAY, time(12), school.zone)
    with time_machine.travel(at, tick=False):
        ticket = submit(school, now=at)
        other = submit(school, now=at - timedelta(days=1))
    first_run = at + timedelta(days=2)
    with time_machine.travel(first_run, tick=False):
        due = roll_up_due(school, first_run)
    assert DAY in due and DAY - timedelta(days=1) in due
    changed = first_run + timedelta(hours=1)
    with time_machine.travel(changed, tick=False):
        services.withdraw(ticket, actor=dina, reason=WithdrawReason.SPAM, now=changed)
    second_run = changed + timedelta(hours=1)
    with time_machine.travel(second_run, tick=False):
        assert roll_up_due(school, second_run) == [DAY]
    stamps = dict(RolledDay.objects.values_list("day", "computed_at"))
    assert stamps[DAY] == stamps[other.received_at.astimezone(school.zone).date()] == second_run - SETTLE
    assert RolledDay.objects.get(day=DAY).figures.get().withdrawn == 1


def test_the_command_backfills_a_range_and_can_run_again(school) -> None:
    now = datetime.combine(DAY, time(12), school.zone)
    with time_machine.travel(now, tick=False):
        submit(school, now=now - timedelta(days=3))
        call_command("roll_up_reports", "--since", (DAY - timedelta(days=5)).isoformat(), stdout=None)
        call_command("roll_up_reports", "--since", (DAY - timedelta(days=5)).isoformat(), stdout=None)
    assert RolledDay.objects.count() == 5
    # The request is still open: it is counted live, never rolled up.
    assert not RolledDay.objects.filter(figures__total__gt=0).exists()


def test_the_watcher_queues_the_roll_up_once_per_interval(school) -> None:
    now = datetime.combine(DAY, time(12), school.zone)
    assert schedule(now) is True
    assert schedule(now + timedelta(seconds=10)) is False
