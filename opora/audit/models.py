from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from opora.accounts.models import Organisation
from opora.tickets.models import Ticket

DEFAULT_RISK_WORDS = """\
суицид
самоубий
покончить с собой
не хочу жить
не хочет жить
не хочется жить
не хочу больше жить
жить не хочу
умереть
всё надоело
порезать себя
режу себя
резать руки
навредить себе
бьют
избивают
бьёт
травля
травят
угрожают
насили
домогают
приставал"""


class RiskWords(models.Model):
    """Words and stems that flag a psychologist request as urgent; the head edits the list."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="risk_words")
    words = models.TextField(_("слова и основы, по одному в строке"), default=DEFAULT_RISK_WORDS)

    class Meta:
        verbose_name = _("сигналы риска")
        verbose_name_plural = _("сигналы риска")

    def __str__(self) -> str:
        return str(self.organisation)


class AccessLog(models.Model):
    """Who looked at whose personal data, and when (152-ФЗ accountability)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    ticket = models.ForeignKey(Ticket, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    ticket_number = models.CharField(max_length=20, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    user_label = models.CharField(max_length=200)
    at = models.DateTimeField(db_index=True)
    what = models.CharField(_("что"), max_length=200)

    class Meta:
        verbose_name = _("просмотр персональных данных")
        verbose_name_plural = _("журнал доступа")
        ordering = ["-at"]
        indexes = [models.Index(fields=["organisation", "ticket", "at"]), models.Index(fields=["user", "at"])]

    def __str__(self) -> str:
        return f"{self.user_label} {self.ticket_number} {self.what}"


class DestructionAct(models.Model):
    """Акт об уничтожении персональных данных (приказ Роскомнадзора № 179)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    number = models.CharField(max_length=30)
    created_at = models.DateTimeField()
    rule = models.CharField(_("основание"), max_length=300)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    tickets = models.JSONField(default=list)  # [{"number", "received_at", "fields": [...], "attachments": n}]
    log_extract = models.JSONField(default=list)

    class Meta:
        verbose_name = _("акт об уничтожении персональных данных")
        verbose_name_plural = _("акты об уничтожении персональных данных")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.number
