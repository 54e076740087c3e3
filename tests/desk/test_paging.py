"""A long list is counted only up to a horizon past the page shown, and paging on moves it along."""

import pytest

from opora.common.paging import CappedPaginator
from opora.tickets.models import Ticket

from .test_queues import many


@pytest.fixture
def nine(school) -> None:
    many(school, 9)


class SmallCap(CappedPaginator):
    cap = 3


def _page(number: object) -> tuple[SmallCap, list[int]]:
    paginator = SmallCap(Ticket.objects.order_by("pk").values_list("pk", flat=True), 2)
    page = paginator.get_page(number)
    return paginator, list(page.object_list)


@pytest.mark.usefixtures("nine")
@pytest.mark.parametrize(
    ("asked", "count", "capped", "rows"),
    [
        (1, 4, True, [0, 1]),  # 3 counted and one more: "more than 3"
        (3, 8, True, [4, 5]),  # the horizon moved: rows 4 to 7 counted past the page's start, and one more
        (5, 9, False, [8]),  # the end is within reach: counted exactly
        ("x", 4, True, [0, 1]),  # not a number: the first page
    ],
)
def test_the_horizon_follows_the_page_asked_for(asked, count, capped, rows) -> None:
    pks = list(Ticket.objects.order_by("pk").values_list("pk", flat=True))
    paginator, shown = _page(asked)
    assert (paginator.count, paginator.capped) == (count, capped)
    assert shown == [pks[i] for i in rows]


@pytest.mark.usefixtures("nine")
def test_a_page_far_past_the_end_shows_the_last_one_without_counting_past_the_furthest_start(
    monkeypatch,
) -> None:
    monkeypatch.setattr(SmallCap, "furthest_start", 4)
    paginator, shown = _page(10**9)
    assert paginator.horizon == 7
    assert (paginator.count, paginator.capped) == (8, True)
    assert len(shown) == 2


def test_the_head_pages_on_past_the_first_horizon(client, school, elena, monkeypatch) -> None:
    monkeypatch.setattr(CappedPaginator, "cap", 3)
    monkeypatch.setattr("opora.desk.views.PAGE_SIZE", 2)
    many(school, 9)
    client.force_login(elena)
    first = client.get("/desk/control/").content.decode()
    assert "Найдено больше 3 обращений" in first
    assert "Стр. 1<" in first  # how many pages there are is not known yet
    assert "page=2" in first
    further = client.get("/desk/control/?page=3").content.decode()
    assert "Найдено больше 7 обращений" in further
    last = client.get("/desk/control/?page=5")
    assert "Найдено: 9 обращений" in last.content.decode()
    assert "Стр. 5 из 5" in last.content.decode()
    assert len(last.context["rows"]) == 1
