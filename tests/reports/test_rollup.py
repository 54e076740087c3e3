"""The per-clause report and its breakdowns read from the daily roll-up equal those counted live, whatever
happened."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.contrib.auth.models import User
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opora.accounts.models import Organisation
from opora.desk.filters import filter_tickets
from opora.domain.enums import AuthorRole, Channel, ReplyChannel, RequestType, ServiceRole, WithdrawReason
from opora.reports.figures import ClauseReport, breakdown, clause_report
from opora.reports.rolled import breakdowns_for, clause_report_for, details_for, split
from opora.reports.rollup import backfill, roll_up
from opora.tickets import services
from opora.tickets.models import Extension, Ticket
from opora.tickets.services.privacy import anonymise

from ..factories import submit

FIRST = date(2026, 3, 27)  # Kaliningrad, Moscow and Vladivostok keep no summer time; the days still differ
DAYS = 4
FATES = ("received", "routed", "in_work", "resolved", "withdrawn", "extended", "pending_extension")


@dataclass(frozen=True)
class Plan:
    day: int
    second_of_day: int
    microsecond: int
    fate: str
    request_type: RequestType
    channel: Channel
    author_role: AuthorRole
    school_class: str
    route_after: timedelta
    take_after: timedelta
    resolve_after: timedelta
    reply: ReplyChannel
    changed_later: bool


plans = st.builds(
    Plan,
    day=st.integers(0, DAYS - 1),
    # Midnight and the last second of the day come up often: that is where a local day ends.
    second_of_day=st.one_of(st.sampled_from([0, 1, 86_399]), st.integers(0, 86_399)),
    microsecond=st.sampled_from([0, 1, 999_999, 500_000]),
    fate=st.sampled_from(FATES),
    request_type=st.sampled_from(list(RequestType)),
    channel=st.sampled_from([Channel.WEB, Channel.EMAIL]),
    author_role=st.sampled_from(list(AuthorRole)),
    school_class=st.sampled_from(["5А", "7Б", "10В"]),
    route_after=st.timedeltas(timedelta(0), timedelta(minutes=45)),
    take_after=st.timedeltas(timedelta(0), timedelta(minutes=45)),
    resolve_after=st.timedeltas(timedelta(minutes=1), timedelta(hours=30)),
    reply=st.sampled_from(list(ReplyChannel)),
    changed_later=st.booleans(),
)


@dataclass
class People:
    head: User
    egor: User
    polina: User


def received_at(school: Organisation, plan: Plan) -> datetime:
    midnight = datetime.combine(FIRST + timedelta(days=plan.day), time.min, school.zone)
    return midnight + timedelta(seconds=plan.second_of_day, microseconds=plan.microsecond)


def carry_out(school: Organisation, people: People, plan: Plan) -> Ticket:
    at = received_at(school, plan)
    author: dict[str, str] = {
        "request_type": plan.request_type,
        "author_role": plan.author_role,
        "school_class": "" if plan.author_role == AuthorRole.TEACHER else plan.school_class,
    }
    ticket = submit(school, now=at, channel=plan.channel, **author)
    if plan.fate == "received":
        return ticket
    at += plan.route_after
    if ticket.state == "received":
        ticket = services.route(ticket, actor=people.head, role=ServiceRole.EJOURNAL_ADMIN, now=at)
    handler = people.polina if ticket.routed_role == ServiceRole.PSYCHOLOGIST else people.egor
    if plan.fate == "withdrawn":
        return services.withdraw(ticket, actor=people.head, reason=WithdrawReason.SPAM, now=at)
    if plan.fate == "routed":
        return ticket
    at += plan.take_after
    ticket = services.take(ticket, actor=handler, now=at)
    if plan.fate in ("extended", "pending_extension"):
        at += timedelta(minutes=1)
        ext = services.request_extension(
            ticket, actor=handler, reason="ждём", proposed_due_at=at + timedelta(days=2), now=at
        )
        if plan.fate == "pending_extension":
            return ticket
        services.decide_extension(ext, actor=people.head, approve=plan.resolve_after.seconds % 2 == 0, now=at)
    if plan.fate == "in_work":
        return ticket
    return services.resolve(ticket, actor=handler, channel=plan.reply, text="ok", now=at + plan.resolve_after)


def both(school: Organisation, params: dict[str, str], now: datetime) -> tuple[ClauseReport, ClauseReport]:
    live = clause_report(filter_tickets(Ticket.objects.filter(organisation=school), params, now, school), school, now)
    return clause_report_for(params, school, now), live


def rolled_breakdown(school: Organisation, params: dict[str, str], now: datetime, field: str) -> list[dict[str, Any]]:
    found = split(params, school, now)
    return {**breakdowns_for(found, now), **details_for(found, now)}[field]


def live_breakdown(school: Organisation, params: dict[str, str], now: datetime, field: str) -> list[dict[str, Any]]:
    tickets = filter_tickets(Ticket.objects.filter(organisation=school), params, now, school)
    present = {"school_class": tickets.exclude(school_class=""), "assignee": tickets.exclude(assignee=None)}
    return breakdown(present.get(field, tickets), field, now, limit=10 if field == "school_class" else None)


PERIODS = [
    {"from": FIRST.isoformat(), "to": (FIRST + timedelta(days=DAYS + 2)).isoformat()},
    {"from": (FIRST + timedelta(days=1)).isoformat(), "to": (FIRST + timedelta(days=2)).isoformat()},
    {"from": FIRST.isoformat(), "to": FIRST.isoformat(), "type": "ejournal"},
    {
        "from": FIRST.isoformat(),
        "to": (FIRST + timedelta(days=9)).isoformat(),
        "channel": "web",
        "author_role": "pupil",
    },
    {"from": FIRST.isoformat(), "to": (FIRST + timedelta(days=9)).isoformat(), "type": "nonsense"},
    # Filters the roll-up cannot answer: the live report, unchanged.
    {"from": FIRST.isoformat(), "to": (FIRST + timedelta(days=9)).isoformat(), "state": "resolved"},
    {"from": FIRST.isoformat(), "to": (FIRST + timedelta(days=9)).isoformat(), "resolve": "breached"},
    {"to": (FIRST + timedelta(days=9)).isoformat()},
]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    tickets=st.lists(plans, max_size=12),
    zone=st.sampled_from(["Europe/Moscow", "Asia/Vladivostok", "Europe/Kaliningrad"]),
    rolled=st.sets(st.integers(0, DAYS - 1), min_size=1),
)
def test_the_rolled_report_equals_the_live_one(school, dina, egor, polina, elena, tickets, zone, rolled):
    people = People(head=elena, egor=egor, polina=polina)
    settled = datetime.combine(FIRST + timedelta(days=DAYS + 2), time.min, ZoneInfo(zone))
    with transaction.atomic():
        school.timezone = zone
        school.save()
        with time_machine.travel(settled, tick=False):
            made = [carry_out(school, people, plan) for plan in tickets]
        with time_machine.travel(settled + timedelta(hours=1), tick=False):
            for day in rolled:
                roll_up(school, FIRST + timedelta(days=day), settled + timedelta(hours=1))
        later = settled + timedelta(hours=2)
        with time_machine.travel(later, tick=False):
            for plan, ticket in zip(tickets, made, strict=True):
                if plan.changed_later:
                    change_after_the_roll_up(people, ticket, plan, later)
        now = settled + timedelta(hours=3)
        with time_machine.travel(now, tick=False):
            for params in PERIODS:
                rolled_report, live_report = both(school, params, now)
                assert rolled_report == live_report, params
                for field in ("request_type", "channel", "author_role", "school_class", "assignee"):
                    assert rolled_breakdown(school, params, now, field) == live_breakdown(school, params, now, field)
        transaction.set_rollback(True)


def change_after_the_roll_up(people: People, ticket: Ticket, plan: Plan, now: datetime) -> None:
    ticket.refresh_from_db()
    handler = people.polina if ticket.routed_role == ServiceRole.PSYCHOLOGIST else people.egor
    if ticket.state == "resolved":
        services.reopen(ticket, actor=people.head, reason="снова", now=now)
    elif plan.fate == "pending_extension":
        services.decide_extension(
            ticket.extensions.get(), actor=people.head, approve=True, now=now, due_at=now + timedelta(days=1)
        )
        services.resolve(ticket, actor=handler, channel=plan.reply, text="ok", now=now)
    elif ticket.state == "in_work":
        services.resolve(ticket, actor=handler, channel=plan.reply, text="ok", now=now)


def test_a_request_reopened_after_the_roll_up_is_counted_once_and_live(school, egor, elena, dina) -> None:
    day = FIRST
    at = datetime.combine(day, time(12), school.zone)
    with time_machine.travel(at + timedelta(days=2), tick=False):
        ticket = services.take(
            services.route(submit(school, now=at), actor=dina, role=ServiceRole.EJOURNAL_ADMIN, now=at),
            actor=egor,
            now=at,
        )
        services.resolve(ticket, actor=egor, channel=ReplyChannel.EMAIL, text="ok", now=at + timedelta(hours=1))
    with time_machine.travel(at + timedelta(days=3), tick=False):
        backfill(school, day, at + timedelta(days=3))
    params = {"from": day.isoformat(), "to": day.isoformat()}
    with time_machine.travel(at + timedelta(days=4), tick=False):
        services.reopen(ticket, actor=elena, reason="снова", now=at + timedelta(days=4))
        report, live = both(school, params, at + timedelta(days=4))
    assert report == live
    assert (report.reply["resolved"], report.quality["reopened"], report.dispatch["total"]) == (0, 1, 1)


def test_an_extension_approved_after_the_roll_up_counts(school, egor, elena, dina) -> None:
    at = datetime.combine(FIRST, time(12), school.zone)
    with time_machine.travel(at + timedelta(hours=1), tick=False):
        ticket = services.route(submit(school, now=at), actor=dina, role=ServiceRole.EJOURNAL_ADMIN, now=at)
        ticket = services.take(ticket, actor=egor, now=at)
        ext = services.request_extension(
            ticket, actor=egor, reason="ждём", proposed_due_at=at + timedelta(days=3), now=at + timedelta(hours=1)
        )
    later = at + timedelta(days=2)
    with time_machine.travel(later, tick=False):
        backfill(school, FIRST, later)
        services.decide_extension(ext, actor=elena, approve=True, now=later)
        services.resolve(ticket, actor=egor, channel=ReplyChannel.PHONE, text="ok", now=later)
        report, live = both(school, {"from": FIRST.isoformat(), "to": FIRST.isoformat()}, later)
    assert report == live
    assert (report.resolve["extended"], report.resolve["approved"]) == (1, 1)
    assert Extension.objects.get().state == "approved"


def test_a_day_ends_at_the_schools_own_midnight(school, dina) -> None:
    school.timezone = "Asia/Vladivostok"
    school.save()
    midnight = datetime.combine(FIRST + timedelta(days=1), time.min, school.zone)
    with time_machine.travel(midnight + timedelta(days=1), tick=False):
        submit(school, now=midnight - timedelta(microseconds=1))
        submit(school, now=midnight)
        submit(school, now=midnight + timedelta(microseconds=1))
        for ticket in Ticket.objects.all():
            services.withdraw(ticket, actor=dina, reason=WithdrawReason.SPAM, now=midnight + timedelta(hours=1))
        backfill(school, FIRST, midnight + timedelta(days=1))
    now = midnight + timedelta(days=2)
    for day, expected in ((FIRST, 1), (FIRST + timedelta(days=1), 2)):
        report, live = both(school, {"from": day.isoformat(), "to": day.isoformat()}, now)
        assert report == live
        assert (report.dispatch["total"], report.quality["withdrawn"]) == (expected, expected)


def test_the_number_of_queries_does_not_grow_with_the_days(school, dina, elena, django_assert_max_num_queries) -> None:
    def queries_over(count: int) -> int:
        start = datetime.combine(FIRST, time(10), school.zone)
        now = start + timedelta(days=count + 1)
        with time_machine.travel(now, tick=False):
            for n in range(count):
                at = start + timedelta(days=n)
                ticket = services.route(
                    submit(school, now=at), actor=dina, role=ServiceRole.EJOURNAL_ADMIN, now=at + timedelta(minutes=n)
                )
                services.withdraw(ticket, actor=elena, reason=WithdrawReason.SPAM, now=at + timedelta(hours=1))
            backfill(school, FIRST, now)
        params = {"from": FIRST.isoformat(), "to": (FIRST + timedelta(days=count + 1)).isoformat()}
        with django_assert_max_num_queries(10) as captured:
            report = clause_report_for(params, school, now + timedelta(hours=1))
        assert report.dispatch["routed"] >= count
        return len(captured)

    assert queries_over(2) == queries_over(30)


def test_anonymising_a_rolled_request_leaves_its_figures_and_makes_the_day_stale(school, dina) -> None:
    at = datetime.combine(FIRST, time(12), school.zone)
    with time_machine.travel(at + timedelta(days=1), tick=False):
        ticket = services.withdraw(submit(school, now=at), actor=dina, reason=WithdrawReason.SPAM, now=at)
        backfill(school, FIRST, at + timedelta(days=1))
    later = at + timedelta(days=2)
    with time_machine.travel(later, tick=False):
        before = Ticket.objects.get(pk=ticket.pk).updated_at
        anonymise(ticket, now=later, rule="по заявлению")
        assert Ticket.objects.get(pk=ticket.pk).updated_at > before
        report, live = both(school, {"from": FIRST.isoformat(), "to": FIRST.isoformat()}, later)
    assert report == live
    assert report.quality["withdrawn"] == 1


def test_a_new_dispatch_limit_is_not_read_from_days_rolled_with_the_old_one(school, dina, elena) -> None:
    at = datetime.combine(FIRST, time(12), school.zone)
    with time_machine.travel(at + timedelta(days=1), tick=False):
        ticket = services.route(
            submit(school, now=at), actor=dina, role=ServiceRole.EJOURNAL_ADMIN, now=at + timedelta(minutes=20)
        )
        services.withdraw(ticket, actor=elena, reason=WithdrawReason.SPAM, now=at + timedelta(hours=1))
        backfill(school, FIRST, at + timedelta(days=1))
    school.dispatch_minutes = 15
    school.save()
    report, live = both(school, {"from": FIRST.isoformat(), "to": FIRST.isoformat()}, at + timedelta(days=2))
    assert report == live
    assert (report.dispatch["met"], report.dispatch["breached"]) == (0, 1)


def test_the_reports_page_reads_its_breakdowns_of_rolled_days_from_the_roll_up(client, school, dina, elena) -> None:
    at = datetime.combine(FIRST, time(12), school.zone)
    with time_machine.travel(at, tick=False):
        closed = services.withdraw(submit(school, now=at), actor=dina, reason=WithdrawReason.SPAM, now=at)
    with time_machine.travel(at + timedelta(days=1), tick=False):
        backfill(school, FIRST, at + timedelta(days=1))
    # Changed behind the services' back, so the stamp that makes a day stale stays as it was: the page can
    # only show the old type if it read the day from the roll-up.
    Ticket.objects.filter(pk=closed.pk).update(request_type=RequestType.TECHNICAL, school_class="9Г")
    now = at + timedelta(days=1, hours=1)
    with time_machine.travel(now, tick=False):
        submit(school, now=now, request_type=RequestType.TECHNICAL)  # today's, counted live
        client.force_login(elena)
        period = {"from": FIRST.isoformat(), "to": (FIRST + timedelta(days=1)).isoformat()}
        context = client.get("/reports/clauses/", period).context
    by_type = {row["request_type"]: row["total"] for row in context["by_type"]}
    assert by_type == {"ejournal": 1, "technical": 1}
    assert {row["channel"]: row["total"] for row in context["by_channel"]} == {"web": 2}
    assert sum(row["total"] for row in context["by_role"]) == 2
    assert {row["school_class"]: row["total"] for row in context["by_class"]} == {"3Б": 2}  # not 9Г
