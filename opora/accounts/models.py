from datetime import time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from opora.domain.calendars import Calendar, WallClock, WorkingHours
from opora.domain.clocks import ClockPolicy
from opora.domain.enums import RequestType, ServiceRole
from opora.domain.routing import DEFAULT_ROUTING
from opora.tickets.labels import REQUEST_TYPE, SERVICE_ROLE, choices


class CalendarPolicy(models.TextChoices):
    WALL_CLOCK = "wall", _("круглосуточно (как в Положении)")
    WORKING_HOURS = "working", _("рабочее время, без выходных и праздников")


def _default_workdays() -> list[int]:
    return [0, 1, 2, 3, 4, 5]


class Organisation(models.Model):
    name = models.CharField(_("полное наименование"), max_length=300)
    short_name = models.CharField(_("краткое наименование"), max_length=120)
    slug = models.SlugField(_("адрес (slug)"), unique=True)
    timezone = models.CharField(_("часовой пояс"), max_length=64, default="Europe/Moscow")
    hotline_phone = models.CharField(_("телефон горячей линии"), max_length=32, blank=True)
    site_origins = models.TextField(
        _("сайты школы, где можно встроить кнопку"),
        blank=True,
        help_text=_("По одному адресу в строке, например https://school5.ru"),
    )
    auto_routing = models.BooleanField(_("автораспределение по таблице"), default=False)
    dispatch_minutes = models.PositiveIntegerField(_("срок распределения, мин"), default=30)
    take_minutes = models.PositiveIntegerField(_("срок взятия в работу, мин"), default=30)
    resolve_hours = models.PositiveIntegerField(_("срок отработки, ч"), default=24)
    warn_dispatch_minutes = models.PositiveIntegerField(_("предупреждать о распределении за, мин"), default=10)
    warn_take_minutes = models.PositiveIntegerField(_("предупреждать о взятии за, мин"), default=10)
    warn_resolve_minutes = models.PositiveIntegerField(_("предупреждать об отработке за, мин"), default=120)
    calendar_policy = models.CharField(
        _("учёт времени"), max_length=16, choices=CalendarPolicy.choices, default=CalendarPolicy.WALL_CLOCK
    )
    work_day_start = models.TimeField(_("начало рабочего дня"), default=time(8, 0))
    work_day_end = models.TimeField(_("конец рабочего дня"), default=time(20, 0))
    workdays = models.JSONField(_("рабочие дни недели (0 — пн)"), default=_default_workdays)
    retention_days = models.PositiveIntegerField(_("хранить персональные данные, дней после ответа"), default=365)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("школа")
        verbose_name_plural = _("школы")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def calendar(self) -> Calendar:
        if self.calendar_policy == CalendarPolicy.WORKING_HOURS:
            holidays = frozenset(self.holidays.filter(is_workday=False).values_list("date", flat=True))
            extra = frozenset(self.holidays.filter(is_workday=True).values_list("date", flat=True))
            return WorkingHours(
                tz=self.zone,
                day_start=self.work_day_start,
                day_end=self.work_day_end,
                workdays=frozenset(self.workdays),
                holidays=holidays,
                extra_workdays=extra,
            )
        return WallClock()

    def clock_policy(self) -> ClockPolicy:
        return ClockPolicy(
            dispatch=timedelta(minutes=self.dispatch_minutes),
            take=timedelta(minutes=self.take_minutes),
            resolve=timedelta(hours=self.resolve_hours),
            warn_dispatch=timedelta(minutes=self.warn_dispatch_minutes),
            warn_take=timedelta(minutes=self.warn_take_minutes),
            warn_resolve=timedelta(minutes=self.warn_resolve_minutes),
            calendar=self.calendar(),
        )

    def routing_table(self) -> dict[RequestType, ServiceRole]:
        table = dict(DEFAULT_ROUTING)
        for rule in self.routing_rules.all():
            table[RequestType(rule.request_type)] = ServiceRole(rule.role)
        return table

    def origins(self) -> list[str]:
        return [line.strip().rstrip("/") for line in self.site_origins.splitlines() if line.strip()]


class Holiday(models.Model):
    """A day off (or a transferred working day) in the school's calendar."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="holidays")
    date = models.DateField(_("дата"))
    is_workday = models.BooleanField(_("перенесённый рабочий день"), default=False)
    title = models.CharField(_("название"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("праздник или перенос")
        verbose_name_plural = _("праздники и переносы")
        constraints = [models.UniqueConstraint(fields=["organisation", "date"], name="holiday_unique_day")]

    def __str__(self) -> str:
        return f"{self.date} {self.title}"


class RoutingRule(models.Model):
    """§3.1.3, editable per school; psychologist requests always go to the psychologist."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="routing_rules")
    request_type = models.CharField(_("тип обращения"), max_length=32, choices=choices(REQUEST_TYPE))
    role = models.CharField(_("кому направлять"), max_length=32, choices=choices(SERVICE_ROLE))

    class Meta:
        verbose_name = _("правило распределения")
        verbose_name_plural = _("таблица распределения")
        constraints = [models.UniqueConstraint(fields=["organisation", "request_type"], name="routing_unique_type")]

    def __str__(self) -> str:
        return f"{self.get_request_type_display()} → {self.get_role_display()}"


class ConsentText(models.Model):
    """152-ФЗ consent, its own act, with a version stored on every request."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="consent_texts")
    version = models.CharField(_("версия"), max_length=32)
    text = models.TextField(_("текст согласия"))
    published_at = models.DateTimeField(_("действует с"))

    class Meta:
        verbose_name = _("текст согласия")
        verbose_name_plural = _("тексты согласия")
        ordering = ["-published_at"]
        constraints = [models.UniqueConstraint(fields=["organisation", "version"], name="consent_unique_version")]

    def __str__(self) -> str:
        return f"{self.organisation} v{self.version}"


class Membership(models.Model):
    """A role in the Service, held by a director's order (§2.1). One person may hold several."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("роль"), max_length=32, choices=choices(SERVICE_ROLE))
    order_number = models.CharField(_("номер приказа"), max_length=40, blank=True)
    order_date = models.DateField(_("дата приказа"), null=True, blank=True)
    is_active = models.BooleanField(_("действует"), default=True)

    class Meta:
        verbose_name = _("роль сотрудника")
        verbose_name_plural = _("роли сотрудников")
        constraints = [models.UniqueConstraint(fields=["user", "organisation", "role"], name="membership_unique_role")]
        indexes = [models.Index(fields=["organisation", "role", "is_active"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.organisation})"
