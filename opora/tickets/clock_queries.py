"""The regulation's clock outcomes as database conditions, shared by lists, filters and reports.

Exactly on the deadline is met; a running clock is breached only while its request is still open.
"""

from datetime import datetime

from django.db.models import F, Q

from opora.domain.enums import OPEN_STATES

_OPEN = [str(s) for s in OPEN_STATES]
KINDS = ("dispatch", "take", "resolve")


def met_q(kind: str) -> Q:
    return Q(**{f"{kind}_met_at__isnull": False, f"{kind}_met_at__lte": F(f"{kind}_due_at")})


def overdue_now_q(kind: str, now: datetime) -> Q:
    return Q(**{f"{kind}_met_at__isnull": True, f"{kind}_due_at__lt": now, "state__in": _OPEN})


def breached_q(kind: str, now: datetime) -> Q:
    late = Q(**{f"{kind}_met_at__isnull": False, f"{kind}_met_at__gt": F(f"{kind}_due_at")})
    return late | overdue_now_q(kind, now)


def any_overdue_q(now: datetime) -> Q:
    return overdue_now_q("dispatch", now) | overdue_now_q("take", now) | overdue_now_q("resolve", now)


def due_between_q(start: datetime, end: datetime) -> Q:
    running = Q()
    for kind in KINDS:
        running |= Q(**{f"{kind}_met_at__isnull": True, f"{kind}_due_at__range": (start, end)})
    return Q(state__in=_OPEN) & running
