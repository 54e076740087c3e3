import secrets
from pathlib import PurePath

from django.db import models
from django.utils.translation import gettext_lazy as _

from opora.tickets.models import Ticket


def attachment_path(instance: "Attachment", filename: str) -> str:
    # Stored names are random: the original name is kept only as data, never as a path.
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"attachments/{instance.ticket.organisation_id}/{secrets.token_hex(16)}{suffix}"


class Attachment(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    original_name = models.CharField(_("имя файла"), max_length=255)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    file = models.FileField(upload_to=attachment_path)
    uploaded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("вложение")
        verbose_name_plural = _("вложения")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name
