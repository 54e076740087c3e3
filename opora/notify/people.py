"""Who receives what: addresses always come from staff accounts."""

from django.contrib.auth.models import User

from opora.accounts.models import Organisation
from opora.domain.enums import ServiceRole
from opora.tickets.models import Ticket


def holders(org: Organisation, *roles: ServiceRole) -> list[User]:
    return list(
        User.objects.filter(
            memberships__organisation=org,
            memberships__role__in=[str(r) for r in roles],
            memberships__is_active=True,
            is_active=True,
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def handlers(ticket: Ticket) -> list[User]:
    """The assignee, or everyone holding the role the request was routed to."""
    if ticket.assignee_id is not None and ticket.assignee is not None:
        return [ticket.assignee] if ticket.assignee.email else []
    if not ticket.routed_role:
        return []
    return holders(ticket.organisation, ServiceRole(ticket.routed_role))
