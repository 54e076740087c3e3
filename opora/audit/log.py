from django.contrib.auth.models import AnonymousUser, User
from django.utils import timezone

from opora.tickets.models import Ticket

from .models import AccessLog


def log_view(user: User | AnonymousUser, ticket: Ticket, what: str) -> None:
    """Every view of a request's personal data by staff leaves a line."""
    if not user.is_authenticated:
        return
    AccessLog.objects.create(
        organisation_id=ticket.organisation_id,
        ticket=ticket,
        ticket_number=ticket.number,
        user=user,
        user_label=user.get_full_name() or user.get_username(),
        at=timezone.now(),
        what=what,
    )


def log_export(user: User | AnonymousUser, organisation_id: int, what: str) -> None:
    if not user.is_authenticated:
        return
    AccessLog.objects.create(
        organisation_id=organisation_id,
        user=user,
        at=timezone.now(),
        what=what,
        user_label=user.get_full_name() or user.get_username(),
    )
