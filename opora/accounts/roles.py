"""Who holds which roles where: the one place that reads memberships."""

from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest

from opora.domain.enums import DISPATCHER_ROLES, SPECIALIST_ROLES, ServiceRole

from .models import Membership, Organisation

AnyUser = User | AnonymousUser


def roles_in(user: AnyUser, organisation: Organisation) -> frozenset[ServiceRole]:
    if not user.is_authenticated:
        return frozenset()
    cache: dict[int, frozenset[ServiceRole]] = user.__dict__.setdefault("_opora_roles", {})
    if organisation.pk not in cache:
        rows = Membership.objects.filter(user=user, organisation=organisation, is_active=True)
        cache[organisation.pk] = frozenset(ServiceRole(r) for r in rows.values_list("role", flat=True))
    return cache[organisation.pk]


def organisations_of(user: AnyUser) -> list[Organisation]:
    """The schools someone works in, by name. The same query gives their roles in each, so a page that then
    asks `roles_in` for the current school does not read memberships again."""
    if not user.is_authenticated:
        return []
    schools: dict[int, Organisation] = {}
    held: dict[int, set[ServiceRole]] = {}
    memberships = Membership.objects.filter(user=user, is_active=True).select_related("organisation")
    for membership in memberships.order_by("organisation__name", "organisation_id"):
        schools.setdefault(membership.organisation_id, membership.organisation)
        held.setdefault(membership.organisation_id, set()).add(ServiceRole(membership.role))
    cache: dict[int, frozenset[ServiceRole]] = user.__dict__.setdefault("_opora_roles", {})
    for school_id, roles in held.items():
        cache.setdefault(school_id, frozenset(roles))
    return list(schools.values())


def current_organisation(request: HttpRequest) -> Organisation | None:
    """The school a staff member works in now; the session remembers a choice among several."""
    if not request.user.is_authenticated:
        return None
    if hasattr(request, "_opora_org"):
        return request._opora_org  # type: ignore[no-any-return]
    schools = organisations_of(request.user)
    chosen = request.session.get("organisation_id")
    org = next((o for o in schools if o.pk == chosen), schools[0] if schools else None)
    request._opora_org = org  # type: ignore[attr-defined]
    return org


def is_dispatcher(roles: frozenset[ServiceRole]) -> bool:
    return bool(roles & DISPATCHER_ROLES)


def is_specialist(roles: frozenset[ServiceRole]) -> bool:
    return bool(roles & SPECIALIST_ROLES)


def is_controller(roles: frozenset[ServiceRole]) -> bool:
    return bool(roles & {ServiceRole.HEAD, ServiceRole.DIRECTOR})
