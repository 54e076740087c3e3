"""The lists staff work from; each is one query for the page plus one count, whatever its size."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from opora.accounts.models import Membership, Organisation
from opora.accounts.roles import roles_in
from opora.common.shaped import ShapedQuery
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


def staff_of(org: Organisation | int, roles: list[str] | None = None) -> QuerySet[User]:
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


_PERSON = ("id", "username", "first_name", "last_name")


def _people_query(roles: tuple[str, ...]) -> ShapedQuery:
    def build(school_id: int, now: datetime) -> QuerySet[Any, Any]:
        specialist = Membership.objects.filter(
            organisation_id=school_id, is_active=True, user=OuterRef("pk"), role__in=[str(r) for r in SPECIALIST_ROLES]
        )
        staff = staff_of(school_id, list(roles) or None)
        named: QuerySet[Any, Any] = staff.annotate(is_specialist=Exists(specialist)).values(*_PERSON, "is_specialist")
        return named

    return ShapedQuery(build)


_PEOPLE: dict[tuple[str, ...], ShapedQuery] = {}


def people_of(org: Organisation, roles: Iterable[str] | None = None) -> list[User]:
    """`staff_of` for a page that only shows the people (their names in a list or a choice): each with
    `is_specialist`, and only the columns a name needs. The statement is built once per process
    (`ShapedQuery`) for each set of roles a page asks for."""
    key = tuple(sorted(str(r) for r in roles or ()))
    if key not in _PEOPLE:
        _PEOPLE[key] = _people_query(key)
    people = []
    for row in _PEOPLE[key].rows(org.pk):
        person = User(**{name: row[name] for name in _PERSON})
        person.is_specialist = bool(row["is_specialist"])  # type: ignore[attr-defined]
        people.append(person)
    return people


def staff_and_specialists(org: Organisation) -> tuple[list[User], list[User]]:
    """The school's staff, and those of them who are specialists, in one query: the head's list shows both."""
    people = people_of(org)
    return people, [person for person in people if person.is_specialist]  # type: ignore[attr-defined]


_HEADLINE = ("received", "routed", "in_work", "overdue", "urgent")
_PERSONAL = ("open_count", "in_work", "overdue")


def _open_by_assignee(school_id: int, now: datetime) -> QuerySet[Any, Any]:
    open_states = [str(s) for s in OPEN_STATES]
    return (
        Ticket.objects.filter(organisation_id=school_id, state__in=open_states)
        .values("assignee")
        .annotate(
            open_count=Count("state"),
            received=Count("state", filter=Q(state=State.RECEIVED)),
            routed=Count("state", filter=Q(state=State.ROUTED)),
            in_work=Count("state", filter=Q(state=State.IN_WORK)),
            overdue=Count("state", filter=any_overdue_q(now)),
            resolve_overdue=Count("state", filter=Q(resolve_met_at__isnull=True, resolve_due_at__lt=now)),
            urgent=Count("state", filter=Q(urgent=True)),
        )
        .order_by()
    )


_OPEN_BY_ASSIGNEE = ShapedQuery(_open_by_assignee)


def open_counts(org: Organisation, now: datetime) -> tuple[dict[str, int], dict[int, dict[str, int]]]:
    """The head's figures for the school and for each specialist, from one pass over the school's open
    requests grouped by assignee: however long the school's history and however many specialists, the page
    reads only what is open now, and only once. Counting an indexed column lets PostgreSQL answer from the
    open-requests index alone. A person's overdue count is of their resolution clock; the school's counts any
    of the three clocks. The statement is built once per process (`ShapedQuery`)."""
    school = dict.fromkeys(_HEADLINE, 0)
    people: dict[int, dict[str, int]] = {}
    for row in _OPEN_BY_ASSIGNEE.rows(org.pk, now):
        for name in _HEADLINE:
            school[name] += row[name]
        if row["assignee"] is not None:
            people[row["assignee"]] = {
                "open_count": row["open_count"],
                "in_work": row["in_work"],
                "overdue": row["resolve_overdue"],
            }
    return school, people


def workload(
    org: Organisation,
    now: datetime,
    people: Iterable[User] | None = None,
    counts: dict[int, dict[str, int]] | None = None,
) -> list[User]:
    """Each specialist (or each of `people`) with their open, in-work and overdue counts, taken from
    `open_counts` (or from `counts`, when the page has already read them)."""
    staff = list(people if people is not None else specialists(org))
    if counts is None:
        counts = open_counts(org, now)[1]
    for person in staff:
        row = counts.get(person.pk, {})
        for name in _PERSONAL:
            setattr(person, name, row.get(name, 0))
    return staff


def pending_extensions(org: Organisation) -> QuerySet[Extension]:
    return (
        Extension.objects.filter(ticket__organisation=org, state=ExtensionState.PENDING)
        .select_related("ticket", "requested_by")
        .order_by("requested_at")
    )
