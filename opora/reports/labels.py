from opora.domain.enums import AuthorRole, Channel, ReplyChannel, RequestType, ServiceRole, State
from opora.tickets import labels as L

_TABLES = {
    "channel": (Channel, L.CHANNEL),
    "author_role": (AuthorRole, L.AUTHOR_ROLE),
    "request_type": (RequestType, L.REQUEST_TYPE),
    "state": (State, L.STATE),
    "role": (ServiceRole, L.SERVICE_ROLE),
    "reply": (ReplyChannel, L.REPLY_CHANNEL),
}


def label(table: str, value: str | None) -> str:
    if not value:
        return ""
    enum, names = _TABLES[table]
    try:
        return str(names[enum(value)])  # type: ignore[index]
    except ValueError:
        return value
