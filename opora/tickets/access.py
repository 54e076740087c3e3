"""Every read that checks permission, and the rules services re-check before a write.

Objects a person may not see are 404 (no existence leak); actions they may not take are 403.
"""

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from opora.accounts.models import Organisation
from opora.accounts.roles import roles_in
from opora.domain.enums import DISPATCHER_ROLES, RequestType, ServiceRole, State
from opora.domain.states import TRANSITIONS, Action

from .models import Ticket

AnyUser = User | AnonymousUser
_ALL_TICKETS = DISPATCHER_ROLES | {ServiceRole.HEAD, ServiceRole.DIRECTOR}
_CONTENT_OF_PSYCHOLOGIST = frozenset({ServiceRole.PSYCHOLOGIST, ServiceRole.HEAD})


def visible_tickets(user: AnyUser, organisation: Organisation) -> QuerySet[Ticket]:
    roles = roles_in(user, organisation)
    base = Ticket.objects.filter(organisation=organisation)
    if roles & _ALL_TICKETS:
        return base
    if not roles:
        return base.none()
    return base.filter(Q(routed_role__in=[str(r) for r in roles]) | Q(assignee=user))


def ticket_for(user: AnyUser, organisation: Organisation, number: str) -> Ticket:
    try:
        return visible_tickets(user, organisation).select_related("assignee", "organisation").get(number=number)
    except Ticket.DoesNotExist:
        raise Http404 from None


def can_see_content(user: AnyUser, ticket: Ticket) -> bool:
    """Names, contacts, text and notes. Psychologist requests stay with the psychologist and the head."""
    roles = roles_in(user, ticket.organisation)
    if ticket.request_type == RequestType.PSYCHOLOGIST:
        return bool(roles & _CONTENT_OF_PSYCHOLOGIST)
    if roles & _ALL_TICKETS:
        return True
    return ticket.assignee_id == user.pk or ticket.routed_role in roles


def _is_handler(user: AnyUser, roles: frozenset[ServiceRole], ticket: Ticket) -> bool:
    if ticket.assignee_id is not None:
        return ticket.assignee_id == user.pk
    return ticket.routed_role in roles


def can(user: AnyUser, action: Action, ticket: Ticket) -> bool:
    if (State(ticket.state), action) not in TRANSITIONS:
        return False
    roles = roles_in(user, ticket.organisation)
    head = ServiceRole.HEAD in roles
    dispatcher = bool(roles & DISPATCHER_ROLES)
    handler = _is_handler(user, roles, ticket)
    psychologist_ticket = ticket.request_type == RequestType.PSYCHOLOGIST
    match action:
        case Action.ROUTE:
            return head or (dispatcher and not psychologist_ticket)
        case Action.WITHDRAW:
            return head or (dispatcher and ticket.state == State.RECEIVED and not psychologist_ticket)
        case Action.REASSIGN | Action.DECIDE_EXTENSION:
            return head
        case Action.TAKE:
            return handler
        case Action.LOG_CONTACT | Action.RESOLVE | Action.REQUEST_EXTENSION | Action.RETURN:
            return handler or (head and ticket.state == State.IN_WORK and action != Action.REQUEST_EXTENSION)
        case Action.REOPEN:
            return head or handler or (dispatcher and not psychologist_ticket)
        case Action.NOTE:
            return head or (can_see_content(user, ticket) and roles != {ServiceRole.DIRECTOR})
        case Action.AUTHOR_MESSAGE:
            return False
    return False


def require(user: AnyUser | None, action: Action, ticket: Ticket) -> None:
    """Services call this; `None` is the system itself (auto-routing, the watcher)."""
    if user is not None and not can(user, action, ticket):
        raise PermissionDenied(f"{action} on {ticket.number}")


def allowed_actions(user: AnyUser, ticket: Ticket) -> frozenset[Action]:
    return frozenset(action for action in Action if can(user, action, ticket))


def can_view_reports(user: AnyUser, organisation: Organisation) -> bool:
    """Reports and exports: the head and the director of that school, and a superuser."""
    if getattr(user, "is_superuser", False):
        return True
    return bool(roles_in(user, organisation) & {ServiceRole.HEAD, ServiceRole.DIRECTOR})
