from typing import Any

from django.http import HttpRequest

from .roles import current_organisation, roles_in


def roles(request: HttpRequest) -> dict[str, Any]:
    org = current_organisation(request)
    if org is None:
        return {"current_org": None, "my_roles": frozenset()}
    return {"current_org": org, "my_roles": frozenset(str(r) for r in roles_in(request.user, org))}
