"""The head's list filters, shared with reports' drill-downs and exports.

Unknown or malformed values are ignored: a hand-edited URL never causes a 500.
"""

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet

from opora.accounts.models import Organisation
from opora.domain.enums import OPEN_STATES, AuthorRole, Channel, ClockKind, RequestType, ServiceRole, State
from opora.tickets.clock_queries import any_overdue_q, breached_q, due_between_q, met_q, overdue_now_q
from opora.tickets.models import ExtensionState, Ticket

PARAMS = (
    "state",
    "type",
    "role",
    "assignee",
    "class",
    "channel",
    "author_role",
    "from",
    "to",
    "overdue",
    "due_soon",
    "extension",
    "dispatch",
    "take",
    "resolve",
    "returned",
    "reopened",
    "urgent",
    "q",
)


def _choice(
    value: str, allowed: type[State] | type[RequestType] | type[ServiceRole] | type[Channel] | type[AuthorRole]
) -> str | None:
    return value if value in {str(m) for m in allowed} else None


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


Params = Mapping[str, str]


def _get(params: Params, key: str) -> str:
    return (params.get(key) or "").strip()


def _by_fields(qs: QuerySet[Ticket], params: Params) -> QuerySet[Ticket]:
    if state := _choice(_get(params, "state"), State):
        qs = qs.filter(state=state)
    elif _get(params, "state") == "open":
        qs = qs.filter(state__in=list(OPEN_STATES))
    exact = {
        "request_type": _choice(_get(params, "type"), RequestType),
        "routed_role": _choice(_get(params, "role"), ServiceRole),
        "channel": _choice(_get(params, "channel"), Channel),
        "author_role": _choice(_get(params, "author_role"), AuthorRole),
        "school_class": _get(params, "class").upper() or None,
        "assignee_id": int(_get(params, "assignee")) if _get(params, "assignee").isdigit() else None,
        "urgent": True if _get(params, "urgent") == "1" else None,
    }
    qs = qs.filter(**{field: value for field, value in exact.items() if value is not None})
    if _get(params, "returned") == "1":
        qs = qs.filter(return_count__gt=0)
    if _get(params, "reopened") == "1":
        qs = qs.filter(reopen_count__gt=0)
    if _get(params, "extension") == "pending":
        qs = qs.filter(extensions__state=ExtensionState.PENDING)
    if _get(params, "q"):
        qs = qs.filter(number__icontains=_get(params, "q"))
    return qs


def _by_period(qs: QuerySet[Ticket], params: Params, org: Organisation) -> QuerySet[Ticket]:
    if start := _day(_get(params, "from")):
        qs = qs.filter(received_at__gte=datetime.combine(start, time.min, org.zone))
    if end := _day(_get(params, "to")):
        qs = qs.filter(received_at__lt=datetime.combine(end + timedelta(days=1), time.min, org.zone))
    return qs


def _by_clocks(qs: QuerySet[Ticket], params: Params, now: datetime) -> QuerySet[Ticket]:
    overdue = _get(params, "overdue")
    if overdue in {str(k) for k in ClockKind}:
        qs = qs.filter(overdue_now_q(overdue, now))
    elif overdue == "any":
        qs = qs.filter(any_overdue_q(now))
    if _get(params, "due_soon") == "1":
        qs = qs.filter(due_between_q(now, now + timedelta(hours=1)))
    for kind in ("dispatch", "take"):
        if _get(params, kind) == "met":
            qs = qs.filter(met_q(kind))
        elif _get(params, kind) == "breached":
            qs = qs.filter(breached_q(kind, now))
    outcome = {
        "met": met_q("resolve") & Q(resolve_extended=False),
        "extended": met_q("resolve") & Q(resolve_extended=True),
        "breached": breached_q("resolve", now),
    }.get(_get(params, "resolve"))
    return qs.filter(outcome) if outcome is not None else qs


def filter_tickets(qs: QuerySet[Ticket], params: Params, now: datetime, org: Organisation) -> QuerySet[Ticket]:
    return _by_clocks(_by_period(_by_fields(qs, params), params, org), params, now)
