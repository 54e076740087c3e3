"""§3.1.2, Appendix 2: the hotline specialist records a call, sees the caller's requests, may route at once."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from opora.accounts.models import Organisation
from opora.accounts.roles import current_organisation, roles_in
from opora.domain.contacts import InvalidPhone, normalize_phone
from opora.domain.enums import OPEN_STATES, Channel, RequestType, ServiceRole
from opora.domain.routing import suggest_role
from opora.tickets import access
from opora.tickets.models import Ticket
from opora.tickets.services import ServiceError, author_message, receive

from .forms import HotlineForm

_MAY_RECORD = frozenset({ServiceRole.HOTLINE, ServiceRole.SITE_ADMIN, ServiceRole.HEAD})


def _organisation(request: HttpRequest) -> Organisation:
    organisation = current_organisation(request)
    if organisation is None or not roles_in(request.user, organisation) & _MAY_RECORD:
        raise PermissionDenied
    return organisation


def _suggestions(organisation: Organisation) -> dict[str, str]:
    table = organisation.routing_table()
    return {str(t): str(suggest_role(t, table)) for t in RequestType}


@login_required
def record_call(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    now = timezone.now()
    form = HotlineForm(request.POST or None, initial={"called_at": timezone.localtime(now).strftime("%Y-%m-%dT%H:%M")})
    if request.method == "POST" and form.is_valid():
        route_to = form.cleaned_data.get("route_to") or None
        data = form.intake_data(called_at=form.cleaned_data["called_at"])
        try:
            received = receive(
                organisation,
                data,
                channel=Channel.HOTLINE,
                now=now,
                actor=request.user,  # type: ignore[arg-type]
                route_to=ServiceRole(route_to) if route_to else None,
            )
        except ServiceError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request, _("Обращение № %(number)s зарегистрировано.") % {"number": received.ticket.number}
            )
            return redirect("intake:hotline")
    context = {"form": form, "school": organisation, "suggestions": _suggestions(organisation)}
    return render(request, "intake/hotline.html", context, status=400 if form.errors else 200)


def _caller_tickets(request: HttpRequest, organisation: Organisation, raw_phone: str) -> list[Ticket]:
    try:
        phone = normalize_phone(raw_phone)
    except InvalidPhone:
        return []
    tickets = (
        access.visible_tickets(request.user, organisation)
        .filter(phone=phone)
        .select_related("organisation")
        .order_by("-received_at")[:20]
    )
    found = list(tickets)
    found.sort(key=lambda t: (t.state not in OPEN_STATES, -t.received_at.timestamp()))
    return found


@login_required
@require_GET
def lookup(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    tickets = _caller_tickets(request, organisation, request.GET.get("phone", ""))
    rows = [
        {"ticket": t, "open": t.state in OPEN_STATES, "content": access.can_see_content(request.user, t)}
        for t in tickets
    ]
    return render(request, "intake/_caller.html", {"rows": rows, "phone": request.GET.get("phone", "")})


@login_required
@require_POST
def append(request: HttpRequest, number: str) -> HttpResponse:
    organisation = _organisation(request)
    ticket = access.ticket_for(request.user, organisation, number)
    try:
        author_message(ticket, text=request.POST.get("description", ""), now=timezone.now(), recorded_by=request.user)  # type: ignore[arg-type]
    except ServiceError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Повторный звонок добавлен к обращению № %(number)s.") % {"number": number})
    return redirect("intake:hotline")
