"""The Appendix 1 form (public) and the Appendix 2 form (hotline), in the regulation's own words."""

from datetime import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opora.common.forms import AccessibleFormMixin
from opora.domain.enums import AuthorRole, ReplyChannel, RequestType, ServiceRole
from opora.tickets.labels import AUTHOR_ROLE, REPLY_CHANNEL, REQUEST_TYPE, SERVICE_ROLE, choices
from opora.tickets.services import IntakeData
from opora.tickets.services.intake import MAX_DESCRIPTION, clean_intake

from .uploads import MAX_FILES, UploadError, check_upload

_SIGNER_SALT = "opora.intake.form-started"


def sign_started(now: datetime, consent_version: str | None = None) -> str:
    """When the form was opened and which consent text it showed, signed so neither can be forged."""
    if consent_version is None:
        return signing.dumps(now.timestamp(), salt=_SIGNER_SALT)
    return signing.dumps({"t": now.timestamp(), "c": consent_version}, salt=_SIGNER_SALT)


def _started(signed: str) -> dict[str, Any] | None:
    try:
        value = signing.loads(signed, salt=_SIGNER_SALT, max_age=24 * 3600)
        if isinstance(value, dict):
            return {"t": float(value["t"]), "c": str(value["c"])}
        return {"t": float(value)}
    except (signing.BadSignature, TypeError, ValueError, KeyError):
        return None


def seconds_since(signed: str, now: datetime) -> float | None:
    started = _started(signed)
    return None if started is None else now.timestamp() - started["t"]


def consent_shown(signed: str) -> str | None:
    """The version of the consent text the person read and agreed to; None if the form did not say."""
    started = _started(signed)
    return None if started is None else started.get("c")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/png,image/jpeg,image/gif,image/webp,application/pdf"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(_("Можно приложить не более %(n)s файлов.") % {"n": MAX_FILES})
        for upload in files:
            try:
                check_upload(upload)
            except UploadError as exc:
                raise forms.ValidationError(str(exc)) from exc
        return files


class RequestForm(AccessibleFormMixin, forms.Form):
    author_name = forms.CharField(label=_("Укажите ФИО"), max_length=200)
    author_role = forms.ChoiceField(label=_("Вы являетесь"), choices=choices(AUTHOR_ROLE), widget=forms.RadioSelect)
    school_class = forms.CharField(label=_("Класс"), max_length=12, required=False)
    request_type = forms.ChoiceField(
        label=_("Выберите тип обращения"), choices=choices(REQUEST_TYPE), widget=forms.RadioSelect
    )
    description = forms.CharField(
        label=_("Опишите Вашу проблему"),
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": MAX_DESCRIPTION}),
        max_length=MAX_DESCRIPTION,
    )
    phone = forms.CharField(label=_("Телефон для обратной связи"), max_length=40, required=False)
    email = forms.EmailField(label=_("Электронная почта"), required=False)
    preferred_reply = forms.ChoiceField(
        label=_("Как Вам удобнее получить ответ"),
        choices=choices(REPLY_CHANNEL),
        widget=forms.RadioSelect,
        initial=ReplyChannel.PHONE,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["required"] = _("Заполните это поле.")
        self.fields["author_name"].error_messages["required"] = _("Укажите ФИО.")
        self.fields["author_role"].error_messages["required"] = _("Выберите, кем Вы являетесь.")
        self.fields["request_type"].error_messages["required"] = _("Выберите тип обращения.")
        self.fields["description"].error_messages["required"] = _("Опишите проблему.")
        self.fields["description"].error_messages["max_length"] = _(
            "Описание слишком длинное: не более %(limit_value)d символов (сейчас %(show_value)d)."
        )
        self.fields["email"].error_messages["invalid"] = _("Адрес электронной почты указан неверно.")
        self.fields["preferred_reply"].error_messages["required"] = _("Выберите, как ответить.")
        self.fields["phone"].widget.attrs.update(type="tel", autocomplete="tel", inputmode="tel")
        self.fields["email"].widget.attrs.update(autocomplete="email")
        self.fields["author_name"].widget.attrs.update(autocomplete="name")
        self.fields["school_class"].widget.attrs.update(placeholder="7Б", autocomplete="off")
        self.style_widgets()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            # Field-level problems first; the cross-field rules need clean values.
            return cleaned
        for field, message in clean_intake(self.intake_data()).items():
            self.add_error(field if field in self.fields else None, message)
        return cleaned

    def intake_data(self, **extra: Any) -> IntakeData:
        data = self.cleaned_data
        return IntakeData(
            author_name=data.get("author_name", ""),
            author_role=AuthorRole(data.get("author_role") or AuthorRole.PARENT),
            school_class=data.get("school_class", "") or "",
            request_type=RequestType(data.get("request_type") or RequestType.OTHER),
            description=data.get("description", ""),
            phone=data.get("phone", "") or "",
            email=data.get("email", "") or "",
            preferred_reply=ReplyChannel(data["preferred_reply"]) if data.get("preferred_reply") else None,
            **extra,
        )


class PublicRequestForm(RequestForm):
    consent = forms.BooleanField(
        label=_("Я даю согласие на обработку персональных данных"),
        error_messages={"required": _("Без согласия на обработку персональных данных мы не можем принять обращение.")},
    )
    attachments = MultipleFileField(label=_("Скриншоты или документы (необязательно)"), required=False)
    # Left empty by people; bots fill every field they see.
    website = forms.CharField(required=False, label=_("Не заполняйте это поле"))
    started = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, consent_version: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consent"].error_messages["required"] = _(
            "Без согласия на обработку персональных данных мы не можем принять обращение."
        )
        if not self.is_bound:
            self.initial["started"] = sign_started(timezone.now(), consent_version)

    def consent_shown(self) -> str | None:
        return consent_shown(self.data.get("started", ""))

    def looks_automated(self, now: datetime) -> bool:
        if self.data.get("website"):
            return True
        elapsed = seconds_since(self.data.get("started", ""), now)
        return elapsed is None or elapsed < settings.OPORA_MIN_FILL_SECONDS


class HotlineForm(RequestForm):
    called_at = forms.DateTimeField(
        label=_("Время звонка"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M"],
    )
    route_to = forms.ChoiceField(
        label=_("Направить"),
        required=False,
        choices=[("", _("не распределять сейчас"))]
        + [
            (str(r), label)
            for r, label in SERVICE_ROLE.items()
            if r not in {ServiceRole.SITE_ADMIN, ServiceRole.HOTLINE, ServiceRole.DIRECTOR}
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["author_name"].label = _("ФИО обратившегося")
        self.fields["author_role"].label = _("Роль обратившегося")
        self.fields["description"].label = _("Описание проблемы")
        self.fields["called_at"].error_messages["invalid"] = _("Укажите дату и время звонка.")
        self.fields["called_at"].error_messages["required"] = _("Укажите дату и время звонка.")

    def clean_called_at(self) -> datetime:
        called: datetime = self.cleaned_data["called_at"]
        if called > timezone.now():
            raise forms.ValidationError(_("Время звонка не может быть в будущем."))
        return called
