"""Every write to a request goes through one of these functions.

Each checks the move in the domain table, re-checks the actor's permission, writes a
TicketEvent and (through `event_recorded`) queues notifications, all in one transaction.
"""

from .errors import ServiceError
from .extensions import decide_extension, request_extension
from .intake import IntakeData, Received, receive
from .messages import add_note, author_message, log_contact, resolve
from .workflow import reassign, reopen, return_to_dispatch, route, take, withdraw

__all__ = [
    "IntakeData",
    "Received",
    "ServiceError",
    "add_note",
    "author_message",
    "decide_extension",
    "log_contact",
    "reassign",
    "receive",
    "reopen",
    "request_extension",
    "resolve",
    "return_to_dispatch",
    "route",
    "take",
    "withdraw",
]
