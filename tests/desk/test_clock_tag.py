"""A clock in a list reads the same in words and colour, in the school's own time, and counts down only while live."""

from datetime import UTC, datetime

from django.utils import timezone

from opora.desk.presenters import ClockView
from opora.desk.templatetags.desk import clock

DUE = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)  # 12:30 in Moscow


def view(level: str, due_at: datetime | None = DUE) -> ClockView:
    return ClockView(kind="take", label="Взять в работу", due_at=due_at, outcome="", level=level, text="осталось 5 мин")


def test_a_running_clock_counts_down_in_the_schools_time() -> None:
    with timezone.override("Europe/Moscow"):
        html = clock(view("warn"))
    assert html == (
        '<span class="clock clock-warn" data-due="2026-11-23T12:30:00+03:00">'
        '<span class="clock-text">осталось 5 мин</span>'
        ' <span class="small text-body-secondary">(до 23.11 12:30)</span></span>'
    )


def test_a_finished_or_idle_clock_does_not_count_down() -> None:
    with timezone.override("Asia/Yekaterinburg"):
        done = clock(view("done"))
    assert "data-due" not in done and "(до 23.11 14:30)" in done
    idle = clock(view("idle", due_at=None))
    assert idle == '<span class="clock clock-idle"><span class="clock-text">осталось 5 мин</span></span>'


def test_what_people_typed_never_reaches_the_markup_unescaped() -> None:
    odd = ClockView(kind="take", label="", due_at=None, outcome="", level="ok", text="<b>5</b>")
    assert "&lt;b&gt;5&lt;/b&gt;" in clock(odd)
