from collections.abc import Mapping
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from opora.accounts.models import Organisation
from opora.accounts.roles import current_organisation, is_controller, is_dispatcher, is_specialist, roles_in
from opora.audit.log import log_view
from opora.common.paging import CappedPaginator
from opora.domain.enums import ClockKind, RequestType, ServiceRole
from opora.domain.routing import suggest_role
from opora.tickets import access
from opora.tickets.labels import AUTHOR_ROLE, CHANNEL, REQUEST_TYPE, SERVICE_ROLE, STATE, choices

from . import queries
from .filters import PARAMS, filter_tickets
from .forms import HANDLING_ROLES, RouteForm
from .presenters import clock_view, clock_views
from .ticket_page import ticket_context

PAGE_SIZE = 25


def _org(request: HttpRequest) -> Organisation:
    org = current_organisation(request)
    if org is None:
        raise PermissionDenied
    return org


def _page(request: HttpRequest, qs: Any) -> Any:
    return CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _rows(request: HttpRequest, page: Any, now: Any, clock: ClockKind, resolve: bool = False) -> list[dict[str, Any]]:
    """`resolve`: the row shows its resolution clock as well as `clock` (a specialist's queue does)."""
    # Each label translated once per page: a model's get_…_display() hashes every lazily translated choice
    # on every call, which was a large part of rendering a list.
    words = {name: {str(key): str(label) for key, label in table.items()} for name, table in _LABELS.items()}
    return [
        {
            "ticket": t,
            "content": access.can_see_content(request.user, t),
            "clock": clock_view(t, clock, now),
            **({"resolve": clock_view(t, ClockKind.RESOLVE, now)} if resolve else {}),
            **{name: words[name].get(getattr(t, field), getattr(t, field)) for name, field in _LABELLED.items()},
        }
        for t in page
    ]


_LABELS: dict[str, Mapping[Any, Any]] = {
    "type": REQUEST_TYPE,
    "channel": CHANNEL,
    "author_role": AUTHOR_ROLE,
    "state": STATE,
    "role": SERVICE_ROLE,
}
_LABELLED = {
    "type": "request_type",
    "channel": "channel",
    "author_role": "author_role",
    "state": "state",
    "role": "routed_role",
}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    org = current_organisation(request)
    if org is None:
        return render(request, "desk/no_school.html", status=403)
    roles = roles_in(request.user, org)
    if ServiceRole.HEAD in roles or ServiceRole.DIRECTOR in roles:
        return redirect("desk:control")
    if is_dispatcher(roles):
        return redirect("desk:dispatch")
    if is_specialist(roles):
        return redirect("desk:mine")
    raise PermissionDenied


@login_required
def dispatch(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    roles = roles_in(request.user, org)
    if not (is_dispatcher(roles) or ServiceRole.HEAD in roles):
        raise PermissionDenied
    now = timezone.now()
    page = _page(request, queries.dispatch_queue(request.user, org))
    table = org.routing_table()
    staff = queries.people_of(org, [r for r, _ in RouteForm.base_fields["role"].choices])  # type: ignore[attr-defined, misc]
    rows = _rows(request, page, now, ClockKind.DISPATCH)
    for row in rows:
        row["suggested"] = str(suggest_role(RequestType(row["ticket"].request_type), table))
    context = {"page": page, "rows": rows, "staff": staff, "now": now}
    template = "desk/_dispatch_rows.html" if request.htmx else "desk/dispatch.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    if not is_specialist(roles_in(request.user, org)):
        raise PermissionDenied
    now = timezone.now()
    page = _page(request, queries.my_queue(request.user, org))
    rows = _rows(request, page, now, ClockKind.TAKE, resolve=True)
    template = "desk/_mine_rows.html" if request.htmx else "desk/mine.html"  # type: ignore[attr-defined]
    return render(request, template, {"page": page, "rows": rows, "now": now})


@login_required
def control(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    if not is_controller(roles_in(request.user, org)):
        raise PermissionDenied
    now = timezone.now()
    tickets = filter_tickets(access.visible_tickets(request.user, org), request.GET, now, org)
    page = _page(request, queries.list_rows(tickets).order_by("-urgent", "-received_at"))
    filters = {key: request.GET.get(key, "") for key in PARAMS}
    query = request.GET.copy()
    query.pop("page", None)
    school, load = queries.open_counts(org, now)
    staff, specialists = queries.staff_and_specialists(org)
    context = {
        "page": page,
        "rows": _rows(request, page, now, ClockKind.RESOLVE),
        "counts": school,
        "workload": queries.workload(org, now, specialists, counts=load),
        "extensions": list(queries.pending_extensions(org)),
        "filters": filters,
        "query": query.urlencode(),
        "staff": staff,
        "can_decide": ServiceRole.HEAD in roles_in(request.user, org),
        "state_choices": choices(STATE),
        "type_choices": choices(REQUEST_TYPE),
        "role_choices": HANDLING_ROLES,
        "channel_choices": choices(CHANNEL),
        "now": now,
    }
    return render(request, "desk/control.html", context)


@login_required
def ticket(request: HttpRequest, number: str) -> HttpResponse:
    org = _org(request)
    item = access.ticket_for(request.user, org, number)
    if access.can_see_content(request.user, item):
        log_view(request.user, item, "просмотр карточки обращения")
    return render(request, "desk/ticket.html", ticket_context(request, item, timezone.now()))


@login_required
def clocks_fragment(request: HttpRequest, number: str) -> HttpResponse:
    org = _org(request)
    item = access.ticket_for(request.user, org, number)
    return render(request, "desk/_clocks.html", {"clocks": clock_views(item, timezone.now())})
