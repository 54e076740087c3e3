"""TOTP second factor (django-otp): required for the head and the psychologist, optional for others."""

from collections.abc import Callable
from typing import Any

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from opora.common.forms import AccessibleFormMixin
from opora.domain.enums import ServiceRole

from .models import Membership

REQUIRED_FOR = (ServiceRole.HEAD, ServiceRole.PSYCHOLOGIST)
_OPEN_PATHS = ("/accounts/", "/static/", "/i18n/")


def needs_second_factor(user: Any) -> bool:
    return bool(
        user.is_authenticated
        and Membership.objects.filter(user=user, role__in=[str(r) for r in REQUIRED_FOR], is_active=True).exists()
    )


class RequireSecondFactorMiddleware:
    """Staff whose role sees children's most sensitive data can't work until they confirm a one-time code."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.OPORA_REQUIRE_2FA
            and user.is_authenticated
            and not user.is_verified()  # type: ignore[union-attr, attr-defined]
            and not request.path.startswith(_OPEN_PATHS)
            and needs_second_factor(user)
        ):
            return redirect(f"{reverse('two_factor')}?next={request.get_full_path()}")
        return self.get_response(request)


class TokenForm(AccessibleFormMixin, forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Код из приложения"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    device = TOTPDevice.objects.filter(user=request.user).order_by("-confirmed", "pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="Опора", confirmed=False)  # type: ignore[misc]
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            if not device.confirmed:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("Вход подтверждён."))
            target = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                target = reverse("desk:home")
            return redirect(target)
        form.add_error("token", _("Код не подошёл. Проверьте время на телефоне и введите новый код."))
        form.style_widgets()
    qr = None if device.confirmed else segno.make(device.config_url, error="m").svg_data_uri(scale=4)
    context = {"form": form, "qr": qr, "secret": None if device.confirmed else device.key}
    return render(request, "accounts/two_factor.html", context, status=400 if form.errors else 200)
