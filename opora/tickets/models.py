from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opora.accounts.models import Organisation
from opora.domain.clocks import Clock
from opora.domain.enums import ClockKind, State

from . import labels
from .labels import choices


class TicketCounter(models.Model):
    """One row per school and year; incremented under a row lock to number requests."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="counter_unique_year")]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.year}: {self.last}"


class Ticket(models.Model):
    # No index of its own: every index below starts with the school, and each one more is written on every
    # submit.
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="tickets", db_index=False)
    number = models.CharField(_("номер"), max_length=20)
    channel = models.CharField(_("канал"), max_length=16, choices=choices(labels.CHANNEL))
    author_name = models.CharField(_("ФИО"), max_length=200)
    author_role = models.CharField(_("вы являетесь"), max_length=16, choices=choices(labels.AUTHOR_ROLE))
    school_class = models.CharField(_("класс"), max_length=4, blank=True)
    request_type = models.CharField(_("тип обращения"), max_length=32, choices=choices(labels.REQUEST_TYPE))
    description = models.TextField(_("описание проблемы"), max_length=4000)
    phone = models.CharField(_("телефон"), max_length=20, blank=True)
    email = models.EmailField(_("электронная почта"), blank=True)
    preferred_reply = models.CharField(_("как ответить"), max_length=8, choices=choices(labels.REPLY_CHANNEL))
    consent_at = models.DateTimeField(_("согласие дано"), null=True, blank=True)
    consent_version = models.CharField(_("версия согласия"), max_length=32, blank=True)
    consent_ip = models.GenericIPAddressField(_("IP при согласии"), null=True, blank=True)
    status_token_hash = models.CharField(max_length=64, unique=True)
    called_at = models.DateTimeField(_("время звонка"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    received_at = models.DateTimeField(_("поступило"))
    state = models.CharField(_("состояние"), max_length=16, choices=choices(labels.STATE), default=State.RECEIVED)
    routed_role = models.CharField(
        _("направлено роли"), max_length=32, choices=choices(labels.SERVICE_ROLE), blank=True
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("исполнитель"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_tickets",
        db_index=False,  # ("assignee", "state") below serves every look-up by specialist
    )
    routed_at = models.DateTimeField(_("распределено"), null=True, blank=True)
    first_routed_at = models.DateTimeField(null=True, blank=True)
    taken_at = models.DateTimeField(_("взято в работу"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("дан ответ"), null=True, blank=True)
    reply_channel = models.CharField(_("канал ответа"), max_length=8, choices=choices(labels.REPLY_CHANNEL), blank=True)
    reply_text = models.TextField(_("ответ"), blank=True)
    withdraw_reason = models.CharField(max_length=16, choices=choices(labels.WITHDRAW_REASON), blank=True)
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    urgent = models.BooleanField(_("срочно"), default=False)
    return_count = models.PositiveIntegerField(default=0)
    reopen_count = models.PositiveIntegerField(default=0)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    # The regulation's three clocks. What the deadline watcher has said of them is in `TicketWatch`.
    dispatch_due_at = models.DateTimeField(null=True, blank=True)
    dispatch_met_at = models.DateTimeField(null=True, blank=True)
    take_due_at = models.DateTimeField(null=True, blank=True)
    take_met_at = models.DateTimeField(null=True, blank=True)
    resolve_due_at = models.DateTimeField(null=True, blank=True)
    resolve_met_at = models.DateTimeField(null=True, blank=True)
    resolve_extended = models.BooleanField(default=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("обращение")
        verbose_name_plural = _("обращения")
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"], name="ticket_unique_number"),
            models.CheckConstraint(condition=~Q(phone="", email=""), name="ticket_has_contact"),
        ]
        indexes = [
            models.Index(fields=["organisation", "state", "received_at"]),
            models.Index(fields=["organisation", "received_at"]),
            models.Index(fields=["organisation", "request_type", "received_at"]),
            models.Index(fields=["organisation", "routed_role", "state"]),
            models.Index(fields=["assignee", "state"]),
            # Each specialist's requests resolved this week, on the dashboard.
            models.Index(
                fields=["assignee", "resolved_at"],
                condition=Q(resolved_at__isnull=False),
                name="ticket_resolved_by_idx",
            ),
            # The dispatcher queue in its own order, over received requests only.
            models.Index(
                fields=["organisation", "-urgent", "received_at"],
                condition=Q(state="received"),
                name="ticket_dispatch_queue_idx",
            ),
            # The head's list: newest first with urgent ones on top, read in index order with any filter.
            models.Index(
                fields=["organisation", "-urgent", "-received_at"],
                include=["state", "request_type", "channel"],
                name="ticket_control_order_idx",
            ),
            # The live counts look only at open requests, the school's and each specialist's, and find all
            # they count in this small index without reading the table.
            models.Index(
                fields=["organisation", "state", "routed_role"],
                include=[
                    "urgent",
                    "assignee",
                    *(f"{k}_{s}_at" for k in ("dispatch", "take", "resolve") for s in ("due", "met")),
                ],
                condition=Q(state__in=["received", "routed", "in_work"]),
                name="ticket_open_load_idx",
            ),
            # Specialist queues, in their own order; who it belongs to is in the index, so the page's rows and
            # its count are found without reading the table.
            models.Index(
                fields=["organisation", "-urgent", "state", "take_due_at", "resolve_due_at"],
                include=["assignee", "routed_role"],
                condition=Q(state__in=["routed", "in_work"]),
                name="ticket_specialist_queue_idx",
            ),
            # The reports' roll-up asks which requests changed since a day was summed up.
            models.Index(fields=["organisation", "updated_at"], name="ticket_changed_idx"),
            models.Index(fields=["organisation", "dispatch_due_at"]),
            models.Index(fields=["organisation", "take_due_at"]),
            models.Index(fields=["organisation", "resolve_due_at"]),
            models.Index(fields=["phone"]),
            models.Index(fields=["email"]),
            # The per-address intake limit counts one address's requests of the last hour.
            models.Index(
                fields=["consent_ip", "received_at"],
                condition=Q(consent_ip__isnull=False),
                name="ticket_intake_ip_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def clock(self, kind: ClockKind) -> Clock:
        prefix = str(kind)
        return Clock(
            kind=kind,
            due_at=getattr(self, f"{prefix}_due_at"),
            met_at=getattr(self, f"{prefix}_met_at"),
            stopped=self.state == State.WITHDRAWN,
        )

    def clocks(self) -> list[Clock]:
        return [self.clock(kind) for kind in ClockKind]


class TicketWatch(models.Model):
    """The deadline watcher's row for each request: the next moment it must look, and the warnings and breaches
    it has already recorded, so none is recorded twice.

    Kept apart from the wide request row: a sweep that finds thousands of deadlines at once rewrites these
    narrow rows and their one index, not each request with every index the queues need."""

    ticket = models.OneToOneField(Ticket, primary_key=True, on_delete=models.CASCADE, related_name="watch")
    watch_at = models.DateTimeField(null=True, blank=True)
    dispatch_warned_at = models.DateTimeField(null=True, blank=True)
    dispatch_breached_at = models.DateTimeField(null=True, blank=True)
    take_warned_at = models.DateTimeField(null=True, blank=True)
    take_breached_at = models.DateTimeField(null=True, blank=True)
    resolve_warned_at = models.DateTimeField(null=True, blank=True)
    resolve_breached_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["watch_at"], condition=Q(watch_at__isnull=False), name="watch_due_idx")]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.watch_at}"


class EventKind(models.TextChoices):
    RECEIVED = "received", _("поступило")
    ROUTED = "routed", _("распределено")
    TAKEN = "taken", _("взято в работу")
    CONTACT = "contact", _("связь с автором")
    NOTE = "note", _("внутренняя заметка")
    AUTHOR_MESSAGE = "author_message", _("уточнение от автора")
    RESOLVED = "resolved", _("дан ответ")
    RETURNED = "returned", _("возвращено диспетчеру")
    REOPENED = "reopened", _("открыто повторно")
    WITHDRAWN = "withdrawn", _("снято")
    REASSIGNED = "reassigned", _("передано другому исполнителю")
    EXTENSION_REQUESTED = "extension_requested", _("запрошено продление срока")
    EXTENSION_APPROVED = "extension_approved", _("продление согласовано")
    EXTENSION_REJECTED = "extension_rejected", _("в продлении отказано")
    CLOCK_WARNING = "clock_warning", _("срок истекает")
    CLOCK_BREACHED = "clock_breached", _("срок нарушен")
    FLAGGED_URGENT = "flagged_urgent", _("отмечено как срочное")
    ANONYMISED = "anonymised", _("персональные данные обезличены")


class TicketEvent(models.Model):
    """Append-only: the timeline people read and the audit trail an inspector reads."""

    # ("ticket", "at") below serves every look-up by request; the watcher writes thousands of events at once.
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events", db_index=False)
    at = models.DateTimeField(_("когда"))
    # Indexed only where someone acted (`event_actor_idx`): the watcher's clock events and the families'
    # requests have no actor, and a sweep writes thousands of them at once.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    actor_label = models.CharField(max_length=200, blank=True)
    kind = models.CharField(_("что"), max_length=32, choices=EventKind.choices)
    from_state = models.CharField(max_length=16, choices=choices(labels.STATE), blank=True)
    to_state = models.CharField(max_length=16, choices=choices(labels.STATE), blank=True)
    note = models.TextField(_("примечание"), blank=True)
    # Only the author and a few staff may read some notes; the audit keeps them all.
    internal = models.BooleanField(default=False)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("событие")
        verbose_name_plural = _("события")
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["ticket", "at"]),
            models.Index(fields=["kind", "at"]),
            models.Index(fields=["actor"], condition=models.Q(actor__isnull=False), name="event_actor_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class ExtensionState(models.TextChoices):
    PENDING = "pending", _("на согласовании")
    APPROVED = "approved", _("согласовано")
    REJECTED = "rejected", _("отказано")


class Extension(models.Model):
    """§3.2.2: only the head's approval moves the resolution deadline."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="extensions")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    reason = models.TextField(_("причина"))
    proposed_due_at = models.DateTimeField(_("предлагаемый срок"))
    state = models.CharField(max_length=16, choices=ExtensionState.choices, default=ExtensionState.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    approved_due_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(_("комментарий"), blank=True)

    class Meta:
        verbose_name = _("продление срока")
        verbose_name_plural = _("продления сроков")
        ordering = ["requested_at"]
        constraints = [
            models.UniqueConstraint(fields=["ticket"], condition=Q(state="pending"), name="extension_one_pending")
        ]
        indexes = [models.Index(fields=["state", "requested_at"])]

    def __str__(self) -> str:
        return f"{self.ticket} → {self.proposed_due_at:%Y-%m-%d %H:%M}"
