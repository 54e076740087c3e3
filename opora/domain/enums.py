from enum import StrEnum


class RequestType(StrEnum):
    """Appendix 1, item 5."""

    TECHNICAL = "technical"
    EJOURNAL = "ejournal"
    LESSON_QUALITY = "lesson_quality"
    PSYCHOLOGIST = "psychologist"
    OTHER = "other"


class AuthorRole(StrEnum):
    """Appendix 1, item 2."""

    PUPIL = "pupil"
    TEACHER = "teacher"
    PARENT = "parent"


class Channel(StrEnum):
    WEB = "web"
    HOTLINE = "hotline"
    EMAIL = "email"
    API = "api"


class ReplyChannel(StrEnum):
    """§3.2.3: orally by phone or in writing by e-mail."""

    PHONE = "phone"
    EMAIL = "email"


class ServiceRole(StrEnum):
    """§2.2–2.3, plus the director who approves the staff and reads reports (§2.1)."""

    SITE_ADMIN = "site_admin"
    HOTLINE = "hotline"
    EJOURNAL_ADMIN = "ejournal_admin"
    TECHNICIAN = "technician"
    PSYCHOLOGIST = "psychologist"
    HEAD = "head"
    DIRECTOR = "director"


DISPATCHER_ROLES = frozenset({ServiceRole.SITE_ADMIN, ServiceRole.HOTLINE})
SPECIALIST_ROLES = frozenset(
    {
        ServiceRole.EJOURNAL_ADMIN,
        ServiceRole.TECHNICIAN,
        ServiceRole.PSYCHOLOGIST,
        ServiceRole.HEAD,
    }
)


class State(StrEnum):
    RECEIVED = "received"
    ROUTED = "routed"
    IN_WORK = "in_work"
    RESOLVED = "resolved"
    WITHDRAWN = "withdrawn"


OPEN_STATES = frozenset({State.RECEIVED, State.ROUTED, State.IN_WORK})


class ClockKind(StrEnum):
    DISPATCH = "dispatch"
    TAKE = "take"
    RESOLVE = "resolve"


class Outcome(StrEnum):
    RUNNING = "running"
    MET = "met"
    BREACHED = "breached"
    STOPPED = "stopped"


class ContactOutcome(StrEnum):
    REACHED = "reached"
    NO_ANSWER = "no_answer"
    WRONG_NUMBER = "wrong_number"
    LEFT_MESSAGE = "left_message"
    EMAIL_SENT = "email_sent"


class WithdrawReason(StrEnum):
    SPAM = "spam"
    DUPLICATE = "duplicate"
