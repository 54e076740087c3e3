"""Everything on one request's page: fields, attachments, clocks, timeline, and the allowed actions."""

from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils import timezone

from opora.domain.enums import RequestType
from opora.domain.routing import suggest_role
from opora.domain.states import Action
from opora.intake.models import Attachment
from opora.tickets import access
from opora.tickets.models import ExtensionState, Ticket

from . import forms as desk_forms
from .presenters import clock_views
from .queries import staff_of


def _local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def blank_forms(ticket: Ticket, allowed: frozenset[Action], now: datetime) -> dict[str, forms.Form]:
    suggested = str(suggest_role(RequestType(ticket.request_type), ticket.organisation.routing_table()))
    staff = staff_of(ticket.organisation, [r for r, _ in desk_forms.HANDLING_ROLES])
    made: dict[str, forms.Form] = {}
    if Action.ROUTE in allowed:
        made["route"] = desk_forms.RouteForm(initial={"role": suggested}, staff=staff)
    if Action.REASSIGN in allowed:
        made["reassign"] = desk_forms.RouteForm(
            initial={"role": ticket.routed_role or suggested}, staff=staff, prefix="reassign"
        )
    if Action.LOG_CONTACT in allowed:
        made["contact"] = desk_forms.ContactForm()
    if Action.NOTE in allowed:
        made["note"] = desk_forms.NoteForm()
    if Action.RESOLVE in allowed:
        made["resolve"] = desk_forms.ResolveForm(
            initial={"channel": desk_forms.preferred_channel(ticket), "called_at": _local(now)}
        )
    if Action.RETURN in allowed:
        made["return"] = desk_forms.ReasonForm(prefix="return")
    if Action.REOPEN in allowed:
        made["reopen"] = desk_forms.ReopenForm(prefix="reopen")
    if Action.WITHDRAW in allowed:
        made["withdraw"] = desk_forms.WithdrawForm()
    if Action.REQUEST_EXTENSION in allowed:
        proposed = (ticket.resolve_due_at or now) + timedelta(hours=24)
        made["extension"] = desk_forms.ExtensionRequestForm(initial={"proposed_due_at": _local(proposed)})
    return made


def ticket_context(
    request: HttpRequest, ticket: Ticket, now: datetime, bound: dict[str, forms.Form] | None = None
) -> dict[str, Any]:
    user = request.user
    allowed = access.allowed_actions(user, ticket)
    content = access.can_see_content(user, ticket)
    action_forms = blank_forms(ticket, allowed, now)
    bound = dict(bound or {})
    decision = bound.pop("decide", None)
    action_forms.update(bound)
    events = list(ticket.events.select_related("actor").all()) if content else []
    pending = ticket.extensions.filter(state=ExtensionState.PENDING).select_related("requested_by").first()
    return {
        "ticket": ticket,
        "content": content,
        "clocks": clock_views(ticket, now),
        "events": events,
        "attachments": list(Attachment.objects.filter(ticket=ticket)) if content else [],
        "forms": action_forms,
        "allowed": {str(a) for a in allowed},
        "pending_extension": pending,
        "decision_form": (decision or desk_forms.ExtensionDecisionForm(prefix="decide"))
        if Action.DECIDE_EXTENSION in allowed and pending
        else None,
        "now": now,
    }
