"""One small form per action; each feeds exactly one service call."""

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from opora.common.forms import AccessibleFormMixin
from opora.domain.enums import ContactOutcome, ReplyChannel, ServiceRole, WithdrawReason
from opora.tickets.labels import CONTACT_OUTCOME, REPLY_CHANNEL, SERVICE_ROLE, WITHDRAW_REASON, choices

HANDLING_ROLES = [
    (str(r), SERVICE_ROLE[r])
    for r in (ServiceRole.EJOURNAL_ADMIN, ServiceRole.TECHNICIAN, ServiceRole.PSYCHOLOGIST, ServiceRole.HEAD)
]
_DT = {"type": "datetime-local"}
_DT_FORMATS = ["%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M"]


class Base(AccessibleFormMixin, forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["required"] = _("Заполните это поле.")
            if isinstance(field, forms.DateTimeField):
                field.error_messages["invalid"] = _("Укажите дату и время.")
        self.style_widgets()


class RouteForm(Base):
    role = forms.ChoiceField(label=_("Кому направить"), choices=HANDLING_ROLES)
    assignee = forms.ModelChoiceField(
        label=_("Конкретному специалисту"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("любому с этой ролью"),
    )

    def __init__(self, *args: Any, staff: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if staff is not None:
            self.fields["assignee"].queryset = staff  # type: ignore[attr-defined]


class ContactForm(Base):
    outcome = forms.ChoiceField(label=_("Результат"), choices=choices(CONTACT_OUTCOME))
    note = forms.CharField(
        label=_("Комментарий или вопрос автору"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=4000,
    )


class NoteForm(Base):
    text = forms.CharField(
        label=_("Внутренняя заметка (автор её не видит)"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )


class ResolveForm(Base):
    channel = forms.ChoiceField(label=_("Как дан ответ"), choices=choices(REPLY_CHANNEL), widget=forms.RadioSelect)
    text = forms.CharField(
        label=_("Ответ (для телефона — краткое содержание разговора)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=8000,
    )
    called_at = forms.DateTimeField(
        label=_("Время звонка"),
        required=False,
        input_formats=_DT_FORMATS,
        widget=forms.DateTimeInput(attrs=_DT, format="%Y-%m-%dT%H:%M"),
    )


class ReasonForm(Base):
    reason = forms.CharField(label=_("Причина"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class WithdrawForm(Base):
    reason = forms.ChoiceField(label=_("Причина"), choices=choices(WITHDRAW_REASON), widget=forms.RadioSelect)
    duplicate_of = forms.CharField(label=_("Номер основного обращения (для дубликата)"), required=False, max_length=20)
    note = forms.CharField(label=_("Комментарий"), required=False, max_length=2000)


class ExtensionRequestForm(Base):
    reason = forms.CharField(
        label=_("Почему нужно больше времени"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    proposed_due_at = forms.DateTimeField(
        label=_("Предлагаемый срок"),
        input_formats=_DT_FORMATS,
        widget=forms.DateTimeInput(attrs=_DT, format="%Y-%m-%dT%H:%M"),
    )


class ExtensionDecisionForm(Base):
    decision = forms.ChoiceField(
        label=_("Решение"), choices=[("approve", _("согласовать")), ("reject", _("отказать"))], widget=forms.RadioSelect
    )
    due_at = forms.DateTimeField(
        label=_("Другой срок (необязательно)"),
        required=False,
        input_formats=_DT_FORMATS,
        widget=forms.DateTimeInput(attrs=_DT, format="%Y-%m-%dT%H:%M"),
    )
    comment = forms.CharField(label=_("Комментарий"), required=False, max_length=2000)


class ReopenForm(ReasonForm):
    pass


def preferred_channel(ticket: Any) -> str:
    return str(ticket.preferred_reply or ReplyChannel.PHONE)


__all__ = ["ContactOutcome", "WithdrawReason"]
