"""The Appendix 1 form (public) and the Appendix 2 form (hotline), in the regulation's own words."""

from datetime import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from opora.common.forms import AccessibleFormMixin, FixedChoiceField
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


def _required(message: Any = None, **others: Any) -> dict[str, Any]:
    return {"required": message or _("Заполните это поле."), **others}


class RequestForm(AccessibleFormMixin, forms.Form):
    # Messages and attributes belong to the declarations: a form is built for every submit, and setting them
    # on each new form's copies of its fields was work done again and again for the same result.
    author_name = forms.CharField(
        label=_("Укажите ФИО"),
        max_length=200,
        error_messages=_required(_("Укажите ФИО.")),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    author_role = FixedChoiceField(
        label=_("Вы являетесь"),
        choices=choices(AUTHOR_ROLE),
        widget=forms.RadioSelect,
        error_messages=_required(_("Выберите, кем Вы являетесь.")),
    )
    school_class = forms.CharField(
        label=_("Класс"),
        max_length=12,
        required=False,
        error_messages=_required(),
        widget=forms.TextInput(attrs={"placeholder": "7Б", "autocomplete": "off"}),
    )
    request_type = FixedChoiceField(
        label=_("Выберите тип обращения"),
        choices=choices(REQUEST_TYPE),
        widget=forms.RadioSelect,
        error_messages=_required(_("Выберите тип обращения.")),
    )
    description = forms.CharField(
        label=_("Опишите Вашу проблему"),
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": MAX_DESCRIPTION}),
        max_length=MAX_DESCRIPTION,
        error_messages=_required(
            _("Опишите проблему."),
            max_length=_("Описание слишком длинное: не более %(limit_value)d символов (сейчас %(show_value)d)."),
        ),
    )
    # type="tel" brings up the phone keypad; given to the widget, it replaces "text" rather than repeating it.
    phone = forms.CharField(
        label=_("Телефон для обратной связи"),
        max_length=40,
        required=False,
        error_messages=_required(),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("Электронная почта"),
        required=False,
        error_messages=_required(invalid=_("Адрес электронной почты указан неверно.")),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    preferred_reply = FixedChoiceField(
        label=_("Как Вам удобнее получить ответ"),
        choices=choices(REPLY_CHANNEL),
        widget=forms.RadioSelect,
        initial=ReplyChannel.PHONE,
        error_messages=_required(_("Выберите, как ответить.")),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
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
        error_messages=_required(_("Без согласия на обработку персональных данных мы не можем принять обращение.")),
    )
    attachments = MultipleFileField(
        label=_("Скриншоты или документы (необязательно)"), required=False, error_messages=_required()
    )
    # Left empty by people; bots fill every field they see.
    website = forms.CharField(required=False, label=_("Не заполняйте это поле"), error_messages=_required())
    started = forms.CharField(required=False, widget=forms.HiddenInput, error_messages=_required())

    def __init__(self, *args: Any, consent_version: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["started"] = sign_started(timezone.now(), consent_version)

    @cached_property
    def _opened(self) -> dict[str, Any] | None:
        """The signed start time this submit brought back, checked once for both questions asked of it."""
        return _started(self.data.get("started", ""))

    def consent_shown(self) -> str | None:
        """The version of the consent text the person read and agreed to; None if the form did not say."""
        return None if self._opened is None else self._opened.get("c")

    def looks_automated(self, now: datetime) -> bool:
        if self.data.get("website"):
            return True
        return self._opened is None or now.timestamp() - self._opened["t"] < settings.OPORA_MIN_FILL_SECONDS


class HotlineForm(RequestForm):
    called_at = forms.DateTimeField(
        label=_("Время звонка"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M"],
        error_messages=_required(_("Укажите дату и время звонка."), invalid=_("Укажите дату и время звонка.")),
    )
    route_to = FixedChoiceField(
        label=_("Направить"),
        required=False,
        error_messages=_required(),
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

    def clean_called_at(self) -> datetime:
        called: datetime = self.cleaned_data["called_at"]
        if called > timezone.now():
            raise forms.ValidationError(_("Время звонка не может быть в будущем."))
        return called
