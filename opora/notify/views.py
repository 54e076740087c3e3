from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from opora.accounts.models import Organisation
from opora.accounts.roles import current_organisation, roles_in
from opora.common.forms import AccessibleFormMixin
from opora.domain.enums import ServiceRole

from . import delivery
from .kinds import STAFF_CHOICES
from .models import Outbox, OutboxState, Preference


def _head_org(request: HttpRequest) -> Organisation:
    org = current_organisation(request)
    if org is None or ServiceRole.HEAD not in roles_in(request.user, org):
        raise PermissionDenied
    return org


@login_required
def failed(request: HttpRequest) -> HttpResponse:
    org = _head_org(request)
    rows = (
        Outbox.objects.filter(organisation=org, state=OutboxState.FAILED)
        .select_related("ticket")
        .order_by("-created_at")
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "notify/failed.html", {"page": page})


@login_required
@require_POST
def retry_failed(request: HttpRequest, pk: int) -> HttpResponse:
    org = _head_org(request)
    row = get_object_or_404(Outbox, pk=pk, organisation=org)
    delivery.retry(row, timezone.now())
    messages.success(request, _("Письмо поставлено в очередь на повторную отправку."))
    return redirect("notify:failed")


class PreferenceForm(AccessibleFormMixin, forms.ModelForm[Preference]):
    muted_kinds = forms.MultipleChoiceField(
        label=gettext_lazy("Не присылать"), choices=STAFF_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Preference
        fields = ["digest_minutes", "muted_kinds"]


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    preference, _created = Preference.objects.get_or_create(user=request.user)  # type: ignore[misc]
    form = PreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Настройки уведомлений сохранены."))
        return redirect("notify:preferences")
    return render(request, "notify/preferences.html", {"form": form})
