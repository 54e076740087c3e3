"""The lists staff work from; each is one query for the page plus one count, whatever its size."""

from datetime import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from opora.accounts.models import Membership, Organisation
from opora.accounts.roles import roles_in
from opora.domain.enums import OPEN_STATES, SPECIALIST_ROLES, State
from opora.tickets import access
from opora.tickets.clock_queries import any_overdue_q
from opora.tickets.models import Extension, ExtensionState, Ticket

# What a list row shows (`desk:summary`, the clocks, the assignee) and what access needs: a page of requests
# builds only these, not every column of each request and its assignee.
_ROW_FIELDS = (
    "organisation",
    "number",
    "urgent",
    "request_type",
    "received_at",
    "channel",
    "author_name",
    "author_role",
    "school_class",
    "description",
    "state",
    "routed_role",
    *(f"{clock}_{moment}" for clock in ("dispatch", "take", "resolve") for moment in ("due_at", "met_at")),
    "resolve_extended",
    "assignee__username",
    "assignee__first_name",
    "assignee__last_name",
)


def list_rows(tickets: QuerySet[Ticket]) -> QuerySet[Ticket]:
    return tickets.select_related("organisation", "assignee").only(*_ROW_FIELDS)


def dispatch_queue(user: User | AnonymousUser, org: Organisation) -> QuerySet[Ticket]:
    return list_rows(access.visible_tickets(user, org).filter(state=State.RECEIVED)).order_by("-urgent", "received_at")


def my_queue(user: User | AnonymousUser, org: Organisation) -> QuerySet[Ticket]:
    roles = [str(r) for r in roles_in(user, org) & SPECIALIST_ROLES]
    mine = Q(assignee=user) | Q(assignee__isnull=True, routed_role__in=roles)
    return list_rows(
        Ticket.objects.filter(organisation=org, state__in=[State.ROUTED, State.IN_WORK]).filter(mine)
    ).order_by("-urgent", "state", "take_due_at", "resolve_due_at")


def staff_of(org: Organisation, roles: list[str] | None = None) -> QuerySet[User]:
    memberships = Membership.objects.filter(organisation=org, is_active=True)
    if roles:
        memberships = memberships.filter(role__in=roles)
    return User.objects.filter(pk__in=memberships.values("user_id")).order_by("last_name", "first_name", "username")


def assigned_count(org: Organisation, **conditions: Any) -> Coalesce:
    """How many of a person's requests in the school meet the conditions. A subquery per person, read through
    an index that starts with the assignee: a specialist's years of resolved requests are never scanned."""
    rows = (
        Ticket.objects.filter(assignee=OuterRef("pk"), organisation=org, **conditions)
        .order_by()
        .values("assignee")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def specialists(org: Organisation) -> QuerySet[User]:
    return staff_of(org, [str(r) for r in SPECIALIST_ROLES])


def workload(org: Organisation, now: datetime, people: QuerySet[User] | None = None) -> list[User]:
    """Each specialist (or each of `people`) with their open, in-work and overdue counts. The counts come from
    one pass over the school's open requests, grouped by assignee: however long anyone's history, and however
    many specialists, the page reads only what is open now."""
    open_states = [str(s) for s in OPEN_STATES]
    staff = list(people if people is not None else specialists(org))
    counts: dict[int, dict[str, Any]] = {
        row["assignee"]: dict(row)
        for row in Ticket.objects.filter(organisation=org, state__in=open_states, assignee__isnull=False)
        .values("assignee")
        .annotate(
            open_count=Count("pk"),
            in_work=Count("pk", filter=Q(state=State.IN_WORK)),
            overdue=Count("pk", filter=Q(resolve_met_at__isnull=True, resolve_due_at__lt=now)),
        )
        .order_by()
    }
    for person in staff:
        row = counts.get(person.pk, {})
        for name in ("open_count", "in_work", "overdue"):
            setattr(person, name, row.get(name, 0))
    return staff


def headline_counts(org: Organisation, now: datetime) -> dict[str, int]:
    open_states = [str(s) for s in OPEN_STATES]
    # Every count is of open requests, so read only those: a school's history does not slow the page.
    tickets = Ticket.objects.filter(organisation=org, state__in=open_states)
    return tickets.aggregate(
        received=Count("state", filter=Q(state=State.RECEIVED)),
        routed=Count("state", filter=Q(state=State.ROUTED)),
        in_work=Count("state", filter=Q(state=State.IN_WORK)),
        overdue=Count("state", filter=any_overdue_q(now)),
        urgent=Count("state", filter=Q(state__in=open_states, urgent=True)),
    )


def pending_extensions(org: Organisation) -> QuerySet[Extension]:
    return (
        Extension.objects.filter(ticket__organisation=org, state=ExtensionState.PENDING)
        .select_related("ticket", "requested_by")
        .order_by("requested_at")
    )
