"""Words people see for the domain's enums, in Russian by default (gettext)."""

from collections.abc import Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from opora.domain.enums import (
    AuthorRole,
    Channel,
    ClockKind,
    ContactOutcome,
    Outcome,
    ReplyChannel,
    RequestType,
    ServiceRole,
    State,
    WithdrawReason,
)

REQUEST_TYPE = {
    RequestType.TECHNICAL: _("проблемы технического характера"),
    RequestType.EJOURNAL: _("проблема с ЭЖД"),
    RequestType.LESSON_QUALITY: _("вопрос по качеству дистанционного урока"),
    RequestType.PSYCHOLOGIST: _("необходима консультация психолога"),
    RequestType.OTHER: _("иные вопросы"),
}
AUTHOR_ROLE = {
    AuthorRole.PUPIL: _("ученик"),
    AuthorRole.TEACHER: _("учитель"),
    AuthorRole.PARENT: _("родитель"),
}
CHANNEL = {
    Channel.WEB: _("форма на сайте"),
    Channel.HOTLINE: _("горячая линия"),
    Channel.EMAIL: _("электронная почта"),
    Channel.API: _("API"),
}
REPLY_CHANNEL = {
    ReplyChannel.PHONE: _("по телефону"),
    ReplyChannel.EMAIL: _("по электронной почте"),
}
SERVICE_ROLE = {
    ServiceRole.SITE_ADMIN: _("администратор сайта"),
    ServiceRole.HOTLINE: _("специалист горячей линии"),
    ServiceRole.EJOURNAL_ADMIN: _("администратор электронного журнала"),
    ServiceRole.TECHNICIAN: _("технический специалист"),
    ServiceRole.PSYCHOLOGIST: _("педагог-психолог"),
    ServiceRole.HEAD: _("руководитель Службы"),
    ServiceRole.DIRECTOR: _("директор"),
}
STATE = {
    State.RECEIVED: _("получено"),
    State.ROUTED: _("передано специалисту"),
    State.IN_WORK: _("в работе"),
    State.RESOLVED: _("дан ответ"),
    State.WITHDRAWN: _("снято"),
}
CLOCK = {
    ClockKind.DISPATCH: _("распределение (30 минут)"),
    ClockKind.TAKE: _("взятие в работу (30 минут)"),
    ClockKind.RESOLVE: _("отработка (24 часа)"),
}
OUTCOME = {
    Outcome.RUNNING: _("идёт"),
    Outcome.MET: _("соблюдён"),
    Outcome.BREACHED: _("нарушен"),
    Outcome.STOPPED: _("остановлен"),
}
CONTACT_OUTCOME = {
    ContactOutcome.REACHED: _("дозвонились"),
    ContactOutcome.NO_ANSWER: _("не отвечает"),
    ContactOutcome.WRONG_NUMBER: _("неверный номер"),
    ContactOutcome.LEFT_MESSAGE: _("оставлено сообщение"),
    ContactOutcome.EMAIL_SENT: _("отправлен вопрос по e-mail"),
}
WITHDRAW_REASON = {
    WithdrawReason.SPAM: _("спам"),
    WithdrawReason.DUPLICATE: _("дубликат"),
}


def choices(labels: Mapping[Any, Promise]) -> list[tuple[str, Promise]]:
    return [(str(key), label) for key, label in labels.items()]
