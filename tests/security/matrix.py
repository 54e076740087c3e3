"""The permission matrix of docs/permissions.md, written out again as data.

It is deliberately not computed from opora.tickets.access: the test compares the two, so a change to
either one that the other does not share fails.
"""

from opora.domain.enums import RequestType

ANONYMOUS, PUPIL = "anonymous", "pupil"
DISPATCHERS = frozenset({"dina", "galya"})
HEAD, DIRECTOR, OUTSIDER = "elena", "dmitry", "oscar"
STAFF = ("dina", "galya", "egor", "tolya", "polina", "elena", "dmitry")
PERSONAS = (ANONYMOUS, PUPIL, *STAFF, OUTSIDER)
SEES_EVERY_REQUEST = DISPATCHERS | {HEAD, DIRECTOR}

# Who handles each type by default (§3.1.3); lesson quality and "other" go to the head.
HANDLER = {
    RequestType.EJOURNAL: "egor",
    RequestType.TECHNICAL: "tolya",
    RequestType.PSYCHOLOGIST: "polina",
    RequestType.LESSON_QUALITY: "elena",
    RequestType.OTHER: "elena",
}

# Staff pages that do not belong to one request: who gets 200. Everyone else on staff gets 403, and
# anonymous visitors (the pupil with a status link included) are sent to the login page. The outsider
# heads his own school, so he opens the head's pages, for his school only.
PAGES = {
    "/desk/dispatch/": DISPATCHERS | {HEAD, OUTSIDER},
    "/desk/mine/": {"egor", "tolya", "polina", HEAD, OUTSIDER},
    "/desk/control/": {HEAD, DIRECTOR, OUTSIDER},
    "/hotline/": DISPATCHERS | {HEAD, OUTSIDER},
    "/hotline/lookup/?phone=%2B79035551234": DISPATCHERS | {HEAD, OUTSIDER},
    "/reports/": {HEAD, DIRECTOR, OUTSIDER},
    "/reports/clauses/": {HEAD, DIRECTOR, OUTSIDER},
    "/reports/charts/by-day.svg": {HEAD, DIRECTOR, OUTSIDER},
    "/reports/charts/compliance.svg": {HEAD, DIRECTOR, OUTSIDER},
    "/reports/export/?format=csv": {HEAD, DIRECTOR, OUTSIDER},
    "/reports/register.pdf": {HEAD, DIRECTOR, OUTSIDER},
    "/notify/failed/": {HEAD, OUTSIDER},
    "/notify/settings/": set(STAFF) | {OUTSIDER},
    "/audit/access-log/": {HEAD, OUTSIDER},
    "/audit/person/": {HEAD, OUTSIDER},
    "/audit/acts/": {HEAD, OUTSIDER},
    "/audit/risk-words/": {HEAD, OUTSIDER},
}

# Each action of the ticket page, the state it is tried in, and valid form data for it.
ACTIONS = {
    "route": ("received", {"role": "<handler role>"}),
    "take": ("routed", {}),
    "contact": ("in_work", {"outcome": "no_answer", "note": ""}),
    "note": ("in_work", {"text": "служебная заметка"}),
    "resolve": ("in_work", {"channel": "email", "text": "Ответ автору."}),
    "return": ("in_work", {"return-reason": "не по адресу"}),
    "extension": ("in_work", {"reason": "ждём ответа оператора", "proposed_due_at": "2030-01-01T10:00"}),
    "decide": ("extension_pending", {"decide-decision": "approve"}),
    "reassign": ("in_work", {"reassign-role": "technician"}),
    "reopen": ("resolved", {"reopen-reason": "автор пишет, что не помогло"}),
    "withdraw": ("received", {"reason": "spam"}),
    "withdraw_open": ("routed", {"reason": "spam"}),
}


def sees_request(persona: str, kind: RequestType, state: str) -> bool:
    """Received requests are not routed to anyone yet, so only the whole-school roles see them."""
    if persona in SEES_EVERY_REQUEST:
        return True
    return persona == HANDLER[kind] and state != "received"


def sees_content(persona: str, kind: RequestType, state: str) -> bool:
    if not sees_request(persona, kind, state):
        return False
    if kind == RequestType.PSYCHOLOGIST:
        return persona in {"polina", HEAD}
    return True


def may(persona: str, action: str, kind: RequestType) -> bool:
    handler = persona == HANDLER[kind]
    head = persona == HEAD
    dispatcher_of_this = persona in DISPATCHERS and kind != RequestType.PSYCHOLOGIST
    rules = {
        "route": head or dispatcher_of_this,
        "take": handler,
        "contact": handler or head,
        "note": sees_content(persona, kind, "in_work") and persona != DIRECTOR,
        "resolve": handler or head,
        "return": handler or head,
        "extension": handler,
        "decide": head,
        "reassign": head,
        "reopen": handler or head or dispatcher_of_this,
        "withdraw": head or dispatcher_of_this,
        "withdraw_open": head,
    }
    return rules[action]
