from datetime import timedelta

import pytest

from opora.desk.filters import filter_tickets
from opora.domain.enums import ReplyChannel, ServiceRole
from opora.tickets import services
from opora.tickets.models import Ticket

from ..factories import T0, submit


@pytest.fixture
def board(school, dina, egor, elena):
    """Four requests with known clocks: routed in time, routed late, extended and met, breached."""
    quick = services.route(
        submit(school, now=T0), actor=dina, role=ServiceRole.EJOURNAL_ADMIN, now=T0 + timedelta(minutes=30)
    )
    late = services.route(
        submit(school, now=T0, school_class="7а"),
        actor=dina,
        role=ServiceRole.EJOURNAL_ADMIN,
        now=T0 + timedelta(minutes=30, seconds=1),
    )
    ext = services.take(quick, actor=egor, now=T0 + timedelta(minutes=40))
    request = services.request_extension(
        ext, actor=egor, reason="ждём", proposed_due_at=T0 + timedelta(hours=30), now=T0 + timedelta(hours=20)
    )
    services.decide_extension(request, actor=elena, approve=True, now=T0 + timedelta(hours=21))
    services.resolve(ext, actor=egor, channel=ReplyChannel.EMAIL, text="готово", now=T0 + timedelta(hours=29))
    fresh = submit(school, now=T0 + timedelta(hours=2), request_type="technical", channel="hotline")
    return {"quick": quick, "late": late, "fresh": fresh}


def pick(school, now, **params):
    return set(filter_tickets(Ticket.objects.all(), params, now, school).values_list("number", flat=True))


def test_dispatch_outcomes_at_the_boundary(school, board) -> None:
    now = T0 + timedelta(days=2)
    assert pick(school, now, dispatch="met") == {board["quick"].number}
    assert board["late"].number in pick(school, now, dispatch="breached")


def test_resolution_met_after_extension_is_its_own_outcome(school, board) -> None:
    now = T0 + timedelta(days=2)
    assert pick(school, now, resolve="extended") == {board["quick"].number}
    assert board["quick"].number not in pick(school, now, resolve="met")


def test_overdue_and_due_soon(school, board) -> None:
    assert board["fresh"].number in pick(school, T0 + timedelta(hours=3), overdue="dispatch")
    assert pick(school, T0 + timedelta(hours=2, minutes=5), due_soon="1") >= {board["fresh"].number}


def test_plain_filters_and_period(school, board) -> None:
    now = T0 + timedelta(days=2)
    assert pick(school, now, type="technical", channel="hotline") == {board["fresh"].number}
    assert pick(school, now, **{"class": "7а"}) == {board["late"].number}
    assert pick(school, now, **{"from": "2026-11-23", "to": "2026-11-23"}) == {t.number for t in board.values()}
    assert pick(school, now, **{"from": "2026-11-24"}) == set()


@pytest.mark.parametrize(
    "params",
    [{"state": "<script>"}, {"assignee": "x"}, {"from": "2026-13-45"}, {"overdue": "never"}, {"resolve": "1' OR 1=1"}],
)
def test_bad_values_are_ignored(school, board, params) -> None:
    assert len(pick(school, T0, **params)) == 3


def test_the_head_filters_over_http(client, school, board, elena) -> None:
    client.force_login(elena)
    response = client.get("/desk/control/", {"type": "technical"})
    assert [r["ticket"].number for r in response.context["rows"]] == [board["fresh"].number]
