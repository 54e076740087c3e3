"""Anti-abuse that never blocks a school: families often share one IP, so limits are per contact first."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.http import HttpRequest

from opora.accounts.models import Organisation
from opora.domain.contacts import InvalidPhone, normalize_phone
from opora.tickets.models import Ticket
from opora.tickets.services import IntakeData
from opora.tickets.services.intake import double_submits

WINDOW = timedelta(hours=1)


def client_ip(request: HttpRequest) -> str | None:
    hops = settings.TRUSTED_PROXY_HOPS
    header: str = request.META.get("HTTP_X_FORWARDED_FOR", "")
    forwarded = [part.strip() for part in header.split(",") if part.strip()]
    if hops and len(forwarded) >= hops:
        return forwarded[-int(hops)]
    remote: str = request.META.get("REMOTE_ADDR", "")
    return remote or None


@dataclass(frozen=True)
class Screening:
    over_limit: bool
    double_of: int | None  # the request this one repeats, pressed twice


def screen(organisation: Organisation, data: IntakeData, ip: str | None, now: datetime) -> Screening:
    """The hourly limits and the double-submit check in one round trip: on a surge a form submit must not
    wait for four queries in turn, and a shared address must not cost a scan of the whole hour."""
    recent = Ticket.objects.filter(organisation=organisation, received_at__gte=now - WINDOW)
    try:
        normal_phone = normalize_phone(data.phone) if data.phone else ""
    except InvalidPhone:
        normal_phone = ""
    per_contact = settings.OPORA_INTAKE_PER_CONTACT_PER_HOUR
    checks: list[tuple[QuerySet[Ticket, Any], int]] = []
    if normal_phone:
        checks.append((recent.filter(phone=normal_phone), per_contact))
    if data.email:
        checks.append((recent.filter(email=data.email.strip().lower()), per_contact))
    if ip:
        checks.append((recent.filter(consent_ip=ip), settings.OPORA_INTAKE_PER_IP_PER_HOUR))
    parts: list[str] = []
    params: list[Any] = []
    for number, (rows, limit) in enumerate(checks):
        sql, values = rows.values("pk")[:limit].query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS c{number})")  # noqa: S608 (SQL from the ORM, values bound)
        params.extend(values)
    sql, values = double_submits(organisation, data, now).query.sql_with_params()
    parts.append(f"({sql})")
    params.extend(values)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        *counts, double_of = cursor.fetchone()
    over = any(int(count) >= limit for count, (_rows, limit) in zip(counts, checks, strict=True))
    return Screening(over_limit=over, double_of=double_of)
