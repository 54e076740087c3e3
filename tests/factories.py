"""Builders for tests: schools, staff by role, and requests as a family would file them."""

import itertools
from datetime import UTC, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User

from opora.accounts.models import ConsentText, Membership, Organisation
from opora.domain.enums import AuthorRole, Channel, ReplyChannel, RequestType, ServiceRole
from opora.tickets import services
from opora.tickets.models import Ticket

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday, 12:00 in Moscow
PASSWORD = "correct-horse-battery"


def make_school(slug: str = "school5", **fields: Any) -> Organisation:
    defaults: dict[str, Any] = {
        "name": f"Школа {slug}",
        "short_name": slug,
        "hotline_phone": "+7 495 123-45-67",
    }
    org = Organisation.objects.create(slug=slug, **{**defaults, **fields})
    ConsentText.objects.create(organisation=org, version="1", text="Согласие", published_at=T0)
    return org


def make_staff(org: Organisation, username: str, *roles: ServiceRole) -> User:
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@school.example.ru", first_name=username.title()
    )
    for role in roles:
        Membership.objects.create(user=user, organisation=org, role=role)
    return user


_serial = itertools.count(1)


def intake(**overrides: Any) -> services.IntakeData:
    """A parent's e-journal request; each one's text differs, so it is never taken for a double submit."""
    fields: dict[str, Any] = {
        "author_name": "Кузнецова Марина Сергеевна",
        "author_role": AuthorRole.PARENT,
        "school_class": "3б",
        "request_type": RequestType.EJOURNAL,
        "description": f"В дневнике не видно оценок за неделю ({next(_serial)}).",
        "phone": "8 (903) 555-12-34",
        "email": "kuznetsova@example.ru",
        "preferred_reply": ReplyChannel.EMAIL,
        "consent_version": "1",
    }
    fields.update(overrides)
    if not fields["email"] and "preferred_reply" not in overrides:
        fields["preferred_reply"] = ReplyChannel.PHONE
    return services.IntakeData(**fields)


def submit(org: Organisation, now: datetime = T0, channel: Channel = Channel.WEB, **overrides: Any) -> Ticket:
    return services.receive(org, intake(**overrides), channel=channel, now=now).ticket
