import json
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opora.accounts.models import Organisation
from opora.accounts.roles import current_organisation, roles_in
from opora.common.forms import AccessibleFormMixin
from opora.domain.contacts import InvalidPhone, normalize_phone
from opora.domain.enums import ServiceRole
from opora.reports.exports import csv_response
from opora.tickets.models import Ticket

from .acts import WITHDRAWAL_RULE, act_pdf, destroy, of_person
from .models import AccessLog, DestructionAct, RiskWords


def _head_org(request: HttpRequest) -> Organisation:
    org = current_organisation(request)
    if org is None or ServiceRole.HEAD not in roles_in(request.user, org):
        raise PermissionDenied
    return org


class PersonForm(AccessibleFormMixin, forms.Form):
    phone = forms.CharField(label=gettext_lazy("Телефон"), required=False, max_length=40)
    email = forms.EmailField(label=gettext_lazy("Электронная почта"), required=False)

    def clean_phone(self) -> str:
        raw = self.cleaned_data["phone"]
        try:
            return normalize_phone(raw) if raw else ""
        except InvalidPhone:
            raise forms.ValidationError(_("Не удалось распознать номер телефона.")) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not data.get("phone") and not data.get("email"):
            raise forms.ValidationError(_("Укажите телефон или электронную почту."))
        return data


@login_required
def access_log(request: HttpRequest) -> HttpResponseBase:
    org = _head_org(request)
    logs = AccessLog.objects.filter(organisation=org)
    if number := request.GET.get("ticket", "").strip():
        logs = logs.filter(ticket_number=number)
    if user := request.GET.get("user", "").strip():
        logs = logs.filter(user_label__icontains=user)
    if request.GET.get("format") == "csv":
        rows = (
            [timezone.localtime(e.at).strftime("%d.%m.%Y %H:%M:%S"), e.user_label, e.ticket_number, e.what]
            for e in logs.iterator()
        )
        return csv_response(["Когда", "Кто", "Обращение", "Что"], rows, "zhurnal-dostupa")
    page = Paginator(logs, 50).get_page(request.GET.get("page"))
    return render(request, "audit/access_log.html", {"page": page, "query": request.GET.urlencode()})


@login_required
def person(request: HttpRequest) -> HttpResponseBase:
    org = _head_org(request)
    form = PersonForm(request.POST or request.GET or None)
    tickets: list[Ticket] = []
    if form.is_bound and form.is_valid():
        found = of_person(org, form.cleaned_data["phone"], form.cleaned_data["email"])
        action = request.POST.get("action")
        if action == "export":
            return _export(found)
        if action == "anonymise":
            act = destroy(org, found, rule=WITHDRAWAL_RULE, now=timezone.now(), actor=request.user)  # type: ignore[arg-type]
            if act:
                messages.success(request, _("Данные обезличены, составлен акт № %(n)s.") % {"n": act.number})
                return redirect("audit:acts")
            messages.info(request, _("Нечего обезличивать: данные уже обезличены."))
        tickets = list(found.order_by("-received_at"))
    return render(request, "audit/person.html", {"form": form, "tickets": tickets})


def _export(found: Any) -> HttpResponse:
    fields = [
        "number",
        "received_at",
        "channel",
        "author_name",
        "author_role",
        "school_class",
        "request_type",
        "description",
        "phone",
        "email",
        "preferred_reply",
        "consent_at",
        "consent_version",
        "consent_ip",
        "state",
        "resolved_at",
        "reply_channel",
        "reply_text",
    ]
    data = []
    for ticket in found.prefetch_related("events"):
        row = {f: getattr(ticket, f) for f in fields}
        row["events"] = [{"at": e.at, "kind": e.kind, "note": e.note} for e in ticket.events.all() if not e.internal]
        data.append(row)
    body = json.dumps({"requests": data}, ensure_ascii=False, indent=2, default=str)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="personal-data.json"'
    return response


@login_required
def acts(request: HttpRequest) -> HttpResponse:
    org = _head_org(request)
    return render(request, "audit/acts.html", {"acts": DestructionAct.objects.filter(organisation=org)[:200]})


@login_required
def act_download(request: HttpRequest, pk: int) -> HttpResponse:
    org = _head_org(request)
    act = get_object_or_404(DestructionAct, pk=pk, organisation=org)
    response = HttpResponse(act_pdf(act), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="akt-{act.pk}.pdf"'
    return response


class RiskWordsForm(AccessibleFormMixin, forms.ModelForm[RiskWords]):
    class Meta:
        model = RiskWords
        fields = ["words"]
        widgets = {"words": forms.Textarea(attrs={"rows": 14})}


@login_required
def risk_words(request: HttpRequest) -> HttpResponse:
    org = _head_org(request)
    instance, _created = RiskWords.objects.get_or_create(organisation=org)
    form = RiskWordsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Список сохранён."))
        return redirect("audit:risk_words")
    return render(request, "audit/risk_words.html", {"form": form})
