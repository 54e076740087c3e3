"""POST endpoints: each parses one form and calls exactly one service function."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opora.accounts.roles import current_organisation
from opora.domain.enums import ContactOutcome, ReplyChannel, ServiceRole, WithdrawReason
from opora.tickets import access, services
from opora.tickets.models import Extension, ExtensionState, Ticket

from . import forms as desk_forms
from .queries import staff_of
from .ticket_page import ticket_context

Handler = Callable[[Ticket, Any, User, datetime], str]


def _route(ticket: Ticket, data: dict[str, Any], user: User, now: datetime) -> str:
    services.route(ticket, actor=user, role=ServiceRole(data["role"]), assignee=data.get("assignee"), now=now)
    return _("Обращение распределено.")


def _reassign(ticket: Ticket, data: dict[str, Any], user: User, now: datetime) -> str:
    services.reassign(ticket, actor=user, role=ServiceRole(data["role"]), assignee=data.get("assignee"), now=now)
    return _("Обращение передано другому исполнителю.")


def _take(ticket: Ticket, data: dict[str, Any], user: User, now: datetime) -> str:
    services.take(ticket, actor=user, now=now)
    return _("Обращение взято в работу.")


def _contact(ticket: Ticket, data: dict[str, Any], user: User, now: datetime) -> str:
    services.log_contact(ticket, actor=user, outcome=ContactOutcome(data["outcome"]), note=data["note"], now=now)
    return _("Связь с автором записана.")


def _note(ticket: Ticket, data: dict[str, Any], user: User, now: datetime) -> str:
    services.add_note(ticket, actor=user, text=data["text"], now=now)
    return _("Заметка добавлена.")


def _resolve(ticket: Ticket, data: dict[str, Any], user: User, now: datetime) -> str:
    channel = ReplyChannel(data["channel"])
    called = data.get("called_at") if channel == ReplyChannel.PHONE else None
    services.resolve(ticket, actor=user, channel=channel, text=data["text"], called_at=called, now=now)
    return _("Ответ записан, обращение закрыто.")


def _return(ticket: Ticket, data: dict[str, Any], user: User, now: datetime) -> str:
    services.return_to_dispatch(ticket, actor=user, reason=data["reason"], now=now)
    return _("Обращение возвращено диспетчеру.")


def _reopen(ticket: Ticket, data: dict[str, Any], user: User, now: datetime) -> str:
    services.reopen(ticket, actor=user, reason=data["reason"], now=now)
    return _("Обращение открыто повторно.")


def _withdraw(ticket: Ticket, data: dict[str, Any], user: User, now: datetime) -> str:
    original = None
    if data.get("duplicate_of"):
        original = Ticket.objects.filter(organisation=ticket.organisation, number=data["duplicate_of"].strip()).first()
        if original is None:
            raise services.ServiceError({"duplicate_of": _("Обращение с таким номером не найдено.")})
    services.withdraw(
        ticket,
        actor=user,
        reason=WithdrawReason(data["reason"]),
        note=data.get("note", ""),
        duplicate_of=original,
        now=now,
    )
    return _("Обращение снято.")


def _extension(ticket: Ticket, data: dict[str, Any], user: User, now: datetime) -> str:
    services.request_extension(
        ticket, actor=user, reason=data["reason"], proposed_due_at=data["proposed_due_at"], now=now
    )
    return _("Запрос на продление отправлен руководителю Службы.")


def _decide(ticket: Ticket, data: dict[str, Any], user: User, now: datetime) -> str:
    extension = Extension.objects.filter(ticket=ticket, state=ExtensionState.PENDING).first()
    if extension is None:
        raise services.ServiceError(_("Нет запроса на продление, ожидающего решения."))
    approve = data["decision"] == "approve"
    services.decide_extension(
        extension, actor=user, approve=approve, due_at=data.get("due_at"), comment=data.get("comment", ""), now=now
    )
    return _("Продление согласовано.") if approve else _("В продлении отказано.")


# action → (form class, form prefix, handler)
ACTIONS: dict[str, tuple[type[forms.Form] | None, str | None, Handler]] = {
    "route": (desk_forms.RouteForm, None, _route),
    "reassign": (desk_forms.RouteForm, "reassign", _reassign),
    "take": (None, None, _take),
    "contact": (desk_forms.ContactForm, None, _contact),
    "note": (desk_forms.NoteForm, None, _note),
    "resolve": (desk_forms.ResolveForm, None, _resolve),
    "return": (desk_forms.ReasonForm, "return", _return),
    "reopen": (desk_forms.ReopenForm, "reopen", _reopen),
    "withdraw": (desk_forms.WithdrawForm, None, _withdraw),
    "extension": (desk_forms.ExtensionRequestForm, None, _extension),
    "decide": (desk_forms.ExtensionDecisionForm, "decide", _decide),
}


def _back(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("desk:ticket", number=ticket.number)


@login_required
@require_POST
def act(request: HttpRequest, number: str, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    org = current_organisation(request)
    if org is None:
        raise PermissionDenied
    ticket = access.ticket_for(request.user, org, number)
    form_class, prefix, handler = ACTIONS[action]
    form: forms.Form | None = None
    if form_class is not None:
        kwargs: dict[str, Any] = {"prefix": prefix}
        if form_class is desk_forms.RouteForm:
            kwargs["staff"] = staff_of(org)
        form = form_class(request.POST, **kwargs)
    now = timezone.now()
    if form is None or form.is_valid():
        try:
            message = handler(ticket, form.cleaned_data if form else {}, request.user, now)  # type: ignore[arg-type]
        except services.ServiceError as exc:
            if form is None:
                messages.error(request, " ".join(exc.messages))
                return _back(request, ticket)
            _attach_errors(form, exc)
        else:
            messages.success(request, message)
            return _back(request, ticket)
    ticket.refresh_from_db()
    context = ticket_context(request, ticket, now, bound={action: form} if form else None)
    return render(request, "desk/ticket.html", context, status=400)


def _attach_errors(form: forms.Form, exc: services.ServiceError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
    if hasattr(form, "style_widgets"):
        form.style_widgets()
