"""Anti-abuse that never blocks a school: families often share one IP, so limits are per contact first."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest

from opora.accounts.models import Organisation
from opora.domain.contacts import InvalidPhone, normalize_phone
from opora.tickets.models import Ticket
from opora.tickets.services import IntakeData
from opora.tickets.services.intake import DOUBLE_SUBMIT_WINDOW

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
    try:
        phone = normalize_phone(data.phone) if data.phone else ""
    except InvalidPhone:  # screened before the form is cleaned; the service then refuses it
        phone = ""
    email = data.email.strip().lower() if data.email else ""
    per_contact = settings.OPORA_INTAKE_PER_CONTACT_PER_HOUR
    limits = [("phone", phone, per_contact), ("email", email, per_contact)]
    limits.append(("consent_ip", ip or "", int(settings.OPORA_INTAKE_PER_IP_PER_HOUR)))
    checks = [(column, value, limit) for column, value, limit in limits if value]
    hour_ago, since, until = (_stamp(at) for at in (now - WINDOW, now - DOUBLE_SUBMIT_WINDOW, now))
    params: list[Any] = []
    for _column, value, limit in checks:
        params += [organisation.pk, hour_ago, value, limit]
    params += [organisation.pk, phone or email, data.description.strip(), since, until]
    sql = _screen_sql(tuple(column for column, _value, _limit in checks), "phone" if phone else "email")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        *counts, double_of = cursor.fetchone()
    over = any(int(count) >= limit for count, (_column, _value, limit) in zip(counts, checks, strict=True))
    return Screening(over_limit=over, double_of=double_of)


def _stamp(at: datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(at)


@lru_cache(maxsize=16)
def _screen_sql(limited: tuple[str, ...], contact: str) -> str:
    """The statement for one shape of submit (which contacts it gave), written once per process: building it
    through the ORM on every submit cost more than running it. Each part is the query the ORM would build
    (`double_submits` is the same rule for callers outside the form), so the same indexes serve it."""
    table = connection.ops.quote_name(Ticket._meta.db_table)
    # Column names come from this module, never from input; every value is bound.
    parts = [
        f"(SELECT COUNT(*) FROM (SELECT id FROM {table} WHERE organisation_id = %s AND received_at >= %s"  # noqa: S608
        f" AND {column} = %s LIMIT %s) AS c{number})"
        for number, column in enumerate(limited)
    ]
    parts.append(
        f"(SELECT id FROM {table} WHERE organisation_id = %s AND {contact} = %s AND description = %s"  # noqa: S608
        " AND received_at >= %s AND received_at <= %s ORDER BY received_at LIMIT 1)"
    )
    return "SELECT " + ", ".join(parts)
