"""Anti-abuse that never blocks a school: families often share one IP, so limits are per contact first."""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.http import HttpRequest

from opora.accounts.models import Organisation
from opora.domain.contacts import InvalidPhone, normalize_phone
from opora.tickets.models import Ticket

WINDOW = timedelta(hours=1)


def client_ip(request: HttpRequest) -> str | None:
    hops = settings.TRUSTED_PROXY_HOPS
    header: str = request.META.get("HTTP_X_FORWARDED_FOR", "")
    forwarded = [part.strip() for part in header.split(",") if part.strip()]
    if hops and len(forwarded) >= hops:
        return forwarded[-int(hops)]
    remote: str = request.META.get("REMOTE_ADDR", "")
    return remote or None


def over_limit(organisation: Organisation, phone: str, email: str, ip: str | None, now: datetime) -> bool:
    recent = Ticket.objects.filter(organisation=organisation, received_at__gte=now - WINDOW)
    try:
        normal_phone = normalize_phone(phone) if phone else ""
    except InvalidPhone:
        normal_phone = ""
    per_contact = settings.OPORA_INTAKE_PER_CONTACT_PER_HOUR
    checks = []
    if normal_phone:
        checks.append((recent.filter(phone=normal_phone), per_contact))
    if email:
        checks.append((recent.filter(email=email.strip().lower()), per_contact))
    if ip:
        checks.append((recent.filter(consent_ip=ip), settings.OPORA_INTAKE_PER_IP_PER_HOUR))
    return any(count >= limit for count, (_rows, limit) in zip(_bounded_counts(checks), checks, strict=True))


def _bounded_counts(checks: list[tuple[QuerySet[Ticket], int]]) -> tuple[int, ...]:
    """Every count in one round trip, each stopping at its limit: on a surge a shared address must not cost
    a scan of the whole hour, and a form submit must not wait for three queries in turn."""
    if not checks:
        return ()
    parts: list[str] = []
    params: list[Any] = []
    for number, (rows, limit) in enumerate(checks):
        sql, values = rows.values("pk")[:limit].query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS c{number})")  # noqa: S608 (SQL from the ORM, values bound)
        params.extend(values)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return tuple(int(value) for value in row)
