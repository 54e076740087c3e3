"""§3.1.3: who handles which type of request."""

from collections.abc import Mapping

from .enums import RequestType, ServiceRole

DEFAULT_ROUTING: Mapping[RequestType, ServiceRole] = {
    RequestType.EJOURNAL: ServiceRole.EJOURNAL_ADMIN,
    RequestType.TECHNICAL: ServiceRole.TECHNICIAN,
    RequestType.LESSON_QUALITY: ServiceRole.HEAD,
    RequestType.PSYCHOLOGIST: ServiceRole.PSYCHOLOGIST,
    RequestType.OTHER: ServiceRole.HEAD,
}

# Psychologist requests skip the dispatcher so nobody else reads them.
ALWAYS_AUTO_ROUTED = frozenset({RequestType.PSYCHOLOGIST})


def suggest_role(
    request_type: RequestType,
    table: Mapping[RequestType, ServiceRole] | None = None,
) -> ServiceRole:
    merged = {**DEFAULT_ROUTING, **(table or {})}
    if request_type in ALWAYS_AUTO_ROUTED:
        return DEFAULT_ROUTING[request_type]
    return merged[RequestType(request_type)]


def routes_at_receipt(request_type: RequestType, auto_routing: bool) -> bool:
    return auto_routing or request_type in ALWAYS_AUTO_ROUTED
