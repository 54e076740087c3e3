"""The messages Opora sends, with who may switch each off."""

from django.utils.translation import gettext_lazy as _

AUTHOR_RECEIPT = "author_receipt"
AUTHOR_ANSWER = "author_answer"
AUTHOR_QUESTION = "author_question"
AUTHOR_REOPENED = "author_reopened"
STAFF_ROUTED = "staff_routed"
STAFF_AUTHOR_MESSAGE = "staff_author_message"
STAFF_WARNING = "staff_warning"
STAFF_BREACH = "staff_breach"
DISPATCH_NEW = "dispatch_new"
DISPATCH_WARNING = "dispatch_warning"
HEAD_BREACHES = "head_breaches"
HEAD_EXTENSION = "head_extension"
HEAD_FAILED = "head_failed"
URGENT = "urgent"
DIGEST = "digest"
# Several requests' news of one kind in one message, when they waited for the worker together (a surge).
TOGETHER = "together"
# Not a message: staff mail whose recipients the worker finds (see outbox.queue_for_roles).
FAN_OUT = "fan_out"

STAFF_CHOICES = [
    (STAFF_ROUTED, _("обращение передано мне или моей роли")),
    (STAFF_AUTHOR_MESSAGE, _("автор дополнил обращение")),
    (STAFF_WARNING, _("срок по моему обращению истекает")),
    (DISPATCH_NEW, _("новое обращение (диспетчерам)")),
    (DISPATCH_WARNING, _("срок распределения истекает (диспетчерам)")),
    (HEAD_EXTENSION, _("запрос на продление срока (руководителю)")),
    (HEAD_FAILED, _("письмо не удалось отправить (руководителю)")),
]
# Breaches and urgent requests can't be switched off: the regulation's deadlines depend on them.
NEVER_MUTED = frozenset({STAFF_BREACH, HEAD_BREACHES, URGENT})
# What a dispatcher may receive as a digest instead of one mail per event.
DIGESTIBLE = frozenset({DISPATCH_NEW, DISPATCH_WARNING})
