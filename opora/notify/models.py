from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opora.accounts.models import Organisation
from opora.tickets.models import Ticket


class OutboxState(models.TextChoices):
    PENDING = "pending", _("ждёт отправки")
    HELD = "held", _("ждёт сводки")
    SENT = "sent", _("отправлено")
    FAILED = "failed", _("не отправлено")
    MERGED = "merged", _("вошло в сводку")


class Outbox(models.Model):
    """Every message, written in the same transaction as the change that caused it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    ticket = models.ForeignKey(Ticket, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("вид"), max_length=40)
    recipient = models.EmailField(_("кому"))
    subject = models.CharField(_("тема"), max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    # Set when the message is written in a batch (the watcher): the worker renders it from these ids.
    render_context = models.JSONField(default=dict, blank=True)
    dedupe_key = models.CharField(max_length=200, unique=True)
    state = models.CharField(_("состояние"), max_length=16, choices=OutboxState.choices, default=OutboxState.PENDING)
    attempts = models.PositiveIntegerField(_("попыток"), default=0)
    next_attempt_at = models.DateTimeField()
    claimed_until = models.DateTimeField(null=True, blank=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("отправлено"), null=True, blank=True)
    last_error = models.TextField(_("ошибка"), blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("письмо")
        verbose_name_plural = _("исходящие письма")
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="outbox_due_idx"),
            models.Index(fields=["organisation", "state"], name="outbox_org_state_idx"),
            models.Index(fields=["user", "state", "created_at"], name="outbox_held_idx", condition=Q(state="held")),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient} ({self.state})"


class Preference(models.Model):
    """A staff member's choices: which kinds to receive, and a digest instead of each event."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notify_preference")
    digest_minutes = models.PositiveIntegerField(_("сводка раз в N минут (0 — каждое событие)"), default=0)
    muted_kinds = models.JSONField(_("отключённые виды"), default=list, blank=True)

    class Meta:
        verbose_name = _("настройки уведомлений")
        verbose_name_plural = _("настройки уведомлений")

    def __str__(self) -> str:
        return str(self.user)
