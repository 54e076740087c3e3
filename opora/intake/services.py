"""Public intake: one request with its attachments, written in one transaction."""

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db import transaction

from opora.accounts.models import ConsentText, Organisation
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
    double_of: int | None,
    channel: Channel = Channel.WEB,
) -> Received:
    """`double_of`: the request this one repeats, as the form's screening found it (`abuse.screen`)."""
    with transaction.atomic():
        received = ticket_services.receive(
            organisation, data, channel=channel, now=now, screened=True, double_of=double_of
        )
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


CONSENT_CACHE_SECONDS = 60
# A school's settings reach the public form within seconds of a change; the form is the page thousands of
# families open at once, and the school it belongs to is the same row every time.
SCHOOL_CACHE_SECONDS = 5


def school(slug: str) -> Organisation | None:
    found = _cached(
        f"intake-school:{slug}", SCHOOL_CACHE_SECONDS, lambda: Organisation.objects.filter(slug=slug).first()
    )
    return found if isinstance(found, Organisation) else None


def forget_school(slug: str) -> None:
    cache.delete(f"intake-school:{slug}")


def consent_text(organisation: Organisation) -> ConsentText | None:
    """The text the form shows now. Read once a minute per school and worker: the form records the version
    it showed (signed into the form), so a text published a moment ago is never misattributed."""
    found = _cached(
        f"intake-consent:{organisation.pk}",
        CONSENT_CACHE_SECONDS,
        lambda: organisation.consent_texts.order_by("-published_at").first(),
    )
    return found if isinstance(found, ConsentText) else None


def forget_consent(organisation_id: int) -> None:
    cache.delete(f"intake-consent:{organisation_id}")


_ABSENT = "absent"  # cached too: a missing row is asked for as often as a present one


def _cached(key: str, seconds: int, load: Callable[[], Any]) -> Any:
    found = cache.get(key)
    if found is None:
        found = load() or _ABSENT
        cache.set(key, found, seconds)
    return found
