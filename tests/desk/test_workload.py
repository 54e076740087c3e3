"""Each specialist's load, on the head's list and the dashboard: counted from their open requests only."""

from datetime import timedelta

import time_machine

from opora.accounts.models import Membership
from opora.domain.enums import ReplyChannel, ServiceRole
from opora.reports.dashboard import specialist_load
from opora.tickets import services

from ..factories import T0, submit

NOW = T0 + timedelta(days=8, hours=1)


def taken(school, dina, person, at):
    ticket = services.route(submit(school, now=at), actor=dina, role=ServiceRole.EJOURNAL_ADMIN, now=at)
    return services.take(ticket, actor=person, now=at + timedelta(minutes=5))


def resolved(school, dina, person, at):
    ticket = taken(school, dina, person, at)
    services.resolve(ticket, actor=person, channel=ReplyChannel.PHONE, text="Помогли.", now=at + timedelta(hours=1))


def test_open_in_work_overdue_and_resolved_this_week(school, other_school, dina, egor, tolya) -> None:
    taken(school, dina, egor, NOW - timedelta(hours=2))  # in work, in time
    taken(school, dina, egor, NOW - timedelta(days=2))  # in work, past its 24 hours
    services.route(submit(school, now=NOW), actor=dina, role=ServiceRole.EJOURNAL_ADMIN, now=NOW, assignee=egor)
    resolved(school, dina, egor, NOW - timedelta(days=2))  # this week
    resolved(school, dina, egor, NOW - timedelta(days=3))  # this week
    resolved(school, dina, egor, NOW - timedelta(days=8))  # the week before
    Membership.objects.create(user=egor, organisation=other_school, role=ServiceRole.EJOURNAL_ADMIN)
    elsewhere = services.route(
        submit(other_school, now=NOW), actor=None, role=ServiceRole.EJOURNAL_ADMIN, now=NOW, assignee=egor
    )
    assert elsewhere.assignee == egor  # another school's request is not this school's load

    load = {p.username: p for p in specialist_load(school, NOW, week_start=NOW - timedelta(days=7))}
    assert (load["egor"].open_count, load["egor"].in_work, load["egor"].overdue, load["egor"].resolved_week) == (
        3,
        2,
        1,
        2,
    )
    assert (load["tolya"].open_count, load["tolya"].resolved_week) == (0, 0)


def test_the_head_sees_the_same_load_on_the_list(client, school, dina, egor, elena) -> None:
    taken(school, dina, egor, NOW - timedelta(hours=2))
    with time_machine.travel(NOW, tick=False):
        client.force_login(elena)
        response = client.get("/desk/control/")
    [person] = [p for p in response.context["workload"] if p.username == "egor"]
    assert (person.open_count, person.in_work, person.overdue) == (1, 1, 0)


def test_the_heads_figures_count_the_school_once_whoever_holds_each_request(
    client, school, other_school, dina, egor, elena
) -> None:
    submit(school, now=NOW - timedelta(hours=1))  # waiting past its 30 minutes
    urgent = "Ему «всё надоело», не хочет заниматься."
    submit(school, now=NOW, request_type="psychologist", description=urgent)  # urgent, straight to the psychologist
    services.route(submit(school, now=NOW - timedelta(hours=2)), actor=dina, role=ServiceRole.TECHNICIAN, now=NOW)
    taken(school, dina, egor, NOW - timedelta(hours=2))  # in work, in time
    taken(school, dina, egor, NOW - timedelta(days=2))  # in work, past its 24 hours
    resolved(school, dina, egor, NOW - timedelta(days=3))  # closed: counted nowhere
    submit(other_school, now=NOW - timedelta(hours=1))  # another school's
    with time_machine.travel(NOW, tick=False):
        client.force_login(elena)
        response = client.get("/desk/control/")
    assert response.context["counts"] == {"received": 1, "routed": 2, "in_work": 2, "overdue": 2, "urgent": 1}
    [person] = [p for p in response.context["workload"] if p.username == "egor"]
    assert (person.open_count, person.in_work, person.overdue) == (2, 2, 1)
    staff = {p.username for p in response.context["staff"]}
    assert {"dina", "egor", "elena"} <= staff  # anyone can be filtered by
    # Only those who handle requests carry a load: the head does (requests of her own type), the site admin not.
    assert {p.username for p in response.context["workload"]} == {"egor", "elena"}
