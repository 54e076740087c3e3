from datetime import timedelta

import time_machine

from opora.domain.enums import ServiceRole
from opora.notify.models import Outbox
from opora.tickets import services
from opora.tickets.models import EventKind, TicketWatch
from opora.tickets.watcher import sweep

from ..factories import T0, submit
from ..notify.helpers import expand_all


def clock_events(ticket):
    return list(
        ticket.events.filter(kind__in=[EventKind.CLOCK_WARNING, EventKind.CLOCK_BREACHED]).values_list(
            "kind", "data__clock"
        )
    )


def test_dispatch_warning_at_20_minutes_and_breach_after_30(school, dina) -> None:
    ticket = submit(school)
    assert sweep(T0 + timedelta(minutes=19, seconds=59)).news == []
    with time_machine.travel(T0 + timedelta(minutes=20), tick=False):
        assert [n.breached for n in sweep(T0 + timedelta(minutes=20)).news] == [False]
    assert sweep(T0 + timedelta(minutes=30)).news == []  # exactly 30:00 is still in time
    result = sweep(T0 + timedelta(minutes=30, seconds=1))
    assert [(n.kind, n.breached) for n in result.news] == [("dispatch", True)]
    assert clock_events(ticket) == [(EventKind.CLOCK_WARNING, "dispatch"), (EventKind.CLOCK_BREACHED, "dispatch")]
    watch = TicketWatch.objects.get(pk=ticket.pk)
    assert watch.dispatch_breached_at == T0 + timedelta(minutes=30, seconds=1)
    assert watch.watch_at == T0 + timedelta(hours=22)  # next: the resolution warning


def test_routing_in_time_stops_the_dispatch_clock_and_starts_take_in(school, dina) -> None:
    ticket = services.route(submit(school), actor=dina, role=ServiceRole.EJOURNAL_ADMIN, now=T0 + timedelta(minutes=5))
    assert ticket.watch.watch_at == T0 + timedelta(minutes=25)
    result = sweep(T0 + timedelta(minutes=36))
    assert [(n.kind, n.breached) for n in result.news] == [("take", True)]  # its warning came too late


def test_resolution_warning_two_hours_before_and_an_extension_moves_it(school, dina, egor, elena) -> None:
    ticket = services.route(submit(school), actor=dina, role=ServiceRole.EJOURNAL_ADMIN, now=T0)
    ticket = services.take(ticket, actor=egor, now=T0 + timedelta(minutes=1))
    result = sweep(T0 + timedelta(hours=22))
    assert [(n.kind, n.breached) for n in result.news] == [("resolve", False)]
    request = services.request_extension(
        ticket, actor=egor, reason="ждём", proposed_due_at=T0 + timedelta(hours=48), now=T0 + timedelta(hours=23)
    )
    services.decide_extension(request, actor=elena, approve=True, now=T0 + timedelta(hours=23))
    assert sweep(T0 + timedelta(hours=30)).news == []
    later = sweep(T0 + timedelta(hours=46))
    assert [(n.kind, n.breached) for n in later.news] == [("resolve", False)]
    assert [(n.kind, n.breached) for n in sweep(T0 + timedelta(hours=48, seconds=1)).news] == [("resolve", True)]


def test_a_breach_found_before_its_warning_is_recorded_alone_and_the_warning_never_follows(school) -> None:
    ticket = submit(school)
    result = sweep(T0 + timedelta(hours=1))
    assert [(n.kind, n.breached) for n in result.news] == [("dispatch", True)]
    assert clock_events(ticket) == [(EventKind.CLOCK_BREACHED, "dispatch")]
    watch = TicketWatch.objects.get(pk=ticket.pk)
    assert watch.dispatch_warned_at == watch.dispatch_breached_at == T0 + timedelta(hours=1)
    assert sweep(T0 + timedelta(hours=1, minutes=1)).news == []


def test_working_hours_calendar(school) -> None:
    school.calendar_policy = "working"
    school.save()
    friday_evening = T0 + timedelta(days=4, hours=7, minutes=55)  # Friday 19:55 in Moscow
    ticket = submit(school, now=friday_evening)
    assert sweep(friday_evening + timedelta(hours=2)).news == []
    ticket.refresh_from_db()
    saturday_open = T0.replace(day=28, hour=5)  # 08:00 Moscow; Saturday is a school day by default
    assert ticket.dispatch_due_at == saturday_open + timedelta(minutes=25)


def test_breaches_reach_the_handler_and_the_head_once_per_run(school, dina, egor, elena) -> None:
    from opora.notify.periodic import after_sweep

    for _ in range(5):
        services.route(submit(school), actor=dina, role=ServiceRole.EJOURNAL_ADMIN, now=T0)
    result = sweep(T0 + timedelta(hours=2))
    after_sweep(result, T0 + timedelta(hours=2))
    expand_all(T0 + timedelta(hours=2))
    assert len(result.breaches) == 5
    assert Outbox.objects.filter(recipient=elena.email, kind="head_breaches").count() == 1
    assert Outbox.objects.filter(recipient=egor.email, kind="staff_breach").count() == 5


def test_closed_requests_leave_the_watch(school, dina) -> None:
    ticket = services.withdraw(submit(school), actor=dina, reason="spam", now=T0)
    assert ticket.watch.watch_at is None
    assert sweep(T0 + timedelta(days=3)).news == []


def test_the_sweep_finds_due_rows_through_its_index(school) -> None:
    for _ in range(3):
        submit(school)
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET enable_seqscan = off")  # three rows would otherwise be read whole
        sql = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
        cursor.execute(
            sql + "SELECT ticket_id FROM tickets_ticketwatch WHERE watch_at IS NOT NULL AND watch_at <= %s "
            "ORDER BY watch_at LIMIT 10",
            [T0],
        )
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "watch_due_idx" in plan
