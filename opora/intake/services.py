"""Public intake: one request with its attachments, written in one transaction."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import transaction

from opora.accounts.models import Organisation
from opora.domain.enums import Channel
from opora.tickets import services as ticket_services
from opora.tickets.services import IntakeData, Received

from .models import Attachment


def submit(
    organisation: Organisation,
    data: IntakeData,
    *,
    files: Sequence[Any],
    now: datetime,
    channel: Channel = Channel.WEB,
) -> Received:
    with transaction.atomic():
        received = ticket_services.receive(organisation, data, channel=channel, now=now)
        if not received.duplicate:
            for upload in files:
                Attachment.objects.create(
                    ticket=received.ticket,
                    original_name=upload.name[:255],
                    content_type=getattr(upload, "sniffed_type", "application/octet-stream"),
                    size=upload.size,
                    file=upload,
                    uploaded_at=now,
                )
    return received


def consent_text(organisation: Organisation) -> Any:
    return organisation.consent_texts.order_by("-published_at").first()
