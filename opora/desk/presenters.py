"""How a clock reads to a person: due time, minutes left or the outcome, in words as well as colour."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import gettext as _

from opora.domain.enums import ClockKind, Outcome
from opora.tickets.labels import CLOCK
from opora.tickets.models import Ticket

WARN_BEFORE = timedelta(minutes=10)


@dataclass(frozen=True)
class ClockView:
    kind: str
    label: str
    due_at: datetime | None
    outcome: str
    level: str  # ok | warn | bad | done | idle: for colour; `text` always says the same in words
    text: str
    extended: bool = False


def _span(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes >= 120:
        return _("%(h)d ч %(m)d мин") % {"h": minutes // 60, "m": minutes % 60}
    return _("%(m)d мин") % {"m": minutes}


def _left_text(left: timedelta) -> str:
    return _("осталось %(span)s") % {"span": _span(left)}


def _state(ticket: Ticket, kind: ClockKind, now: datetime) -> tuple[str, str]:
    clock = ticket.clock(kind)
    outcome = clock.outcome(now)
    extended = kind == ClockKind.RESOLVE and ticket.resolve_extended
    if outcome == Outcome.MET:
        return "done", _("соблюдён") + (_(" (после продления)") if extended else "")
    if outcome == Outcome.BREACHED:
        late = (clock.met_at or now) - clock.due_at if clock.due_at else timedelta(0)
        return "bad", _("нарушен, просрочка %(span)s") % {"span": _span(late)}
    if outcome == Outcome.STOPPED:
        return "idle", _("не запущен") if clock.due_at is None else _("остановлен")
    left = clock.time_left(now) or timedelta(0)
    return ("warn" if left <= WARN_BEFORE else "ok"), _left_text(left)


def clock_view(ticket: Ticket, kind: ClockKind, now: datetime) -> ClockView:
    clock = ticket.clock(kind)
    level, text = _state(ticket, kind, now)
    return ClockView(
        kind=str(kind),
        label=str(CLOCK[kind]),
        due_at=clock.due_at,
        outcome=str(clock.outcome(now)),
        level=level,
        text=text,
        extended=kind == ClockKind.RESOLVE and ticket.resolve_extended,
    )


def clock_views(ticket: Ticket, now: datetime) -> list[ClockView]:
    return [clock_view(ticket, kind, now) for kind in ClockKind]
