"""Anti-abuse that never blocks a school: families often share one IP, so limits are per contact first."""

from datetime import datetime, timedelta

from opora.accounts.models import Organisation
from opora.domain.contacts import InvalidPhone, normalize_phone
from opora.tickets.models import Ticket

WINDOW = timedelta(hours=1)
PER_CONTACT = 5
PER_IP = 120


def over_limit(organisation: Organisation, phone: str, email: str, ip: str | None, now: datetime) -> bool:
    recent = Ticket.objects.filter(organisation=organisation, received_at__gte=now - WINDOW)
    try:
        normal_phone = normalize_phone(phone) if phone else ""
    except InvalidPhone:
        normal_phone = ""
    if normal_phone and recent.filter(phone=normal_phone).count() >= PER_CONTACT:
        return True
    if email and recent.filter(email=email.strip().lower()).count() >= PER_CONTACT:
        return True
    return bool(ip) and recent.filter(consent_ip=ip).count() >= PER_IP
