import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import Q, QuerySet

from opora.accounts.models import Organisation
from opora.common.rows import insert
from opora.domain.classes import InvalidClass, normalize_class
from opora.domain.contacts import InvalidPhone, normalize_phone
from opora.domain.enums import AuthorRole, Channel, ClockKind, ReplyChannel, RequestType, ServiceRole, State
from opora.domain.numbering import ticket_number
from opora.domain.routing import routes_at_receipt, suggest_role

from ..models import EventKind, Ticket, TicketCounter, TicketWatch
from ._core import Actor, record, refresh_watch
from .errors import ServiceError

MAX_DESCRIPTION = 4000


@dataclass(frozen=True)
class IntakeData:
    author_name: str
    author_role: AuthorRole
    request_type: RequestType
    description: str
    school_class: str = ""
    phone: str = ""
    email: str = ""
    preferred_reply: ReplyChannel | None = None
    consent_version: str = ""
    consent_ip: str | None = None
    called_at: datetime | None = None


@dataclass(frozen=True)
class Received:
    ticket: Ticket
    status_token: str
    # A repeated submit of the same request returns the first ticket; its token is not recoverable.
    duplicate: bool = False


DOUBLE_SUBMIT_WINDOW = timedelta(minutes=10)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def clean_intake(data: IntakeData) -> dict[str, str]:
    """The invariants every channel must meet; forms give friendlier messages first."""
    errors: dict[str, str] = {}
    if not data.author_name.strip():
        errors["author_name"] = "Укажите ФИО."
    description = data.description.strip()
    if not description:
        errors["description"] = "Опишите проблему."
    elif len(description) > MAX_DESCRIPTION:
        errors["description"] = f"Описание длиннее {MAX_DESCRIPTION} символов."
    if data.author_role == AuthorRole.TEACHER:
        pass
    elif not data.school_class:
        errors["school_class"] = "Укажите класс."
    else:
        try:
            normalize_class(data.school_class)
        except InvalidClass:
            errors["school_class"] = "Класс указан неверно: нужна цифра от 1 до 11 и буква, например 7Б."
    if data.phone:
        try:
            normalize_phone(data.phone)
        except InvalidPhone:
            errors["phone"] = "Не удалось распознать номер телефона."
    if not data.phone and not data.email:
        errors["phone"] = "Укажите телефон или электронную почту для ответа."
    if data.preferred_reply == ReplyChannel.EMAIL and not data.email:
        errors.setdefault("email", "Для ответа по почте укажите адрес электронной почты.")
    if data.preferred_reply == ReplyChannel.PHONE and not data.phone:
        errors.setdefault("phone", "Для ответа по телефону укажите номер.")
    return errors


def _next_number(organisation: Organisation, now: datetime) -> str:
    year = now.astimezone(organisation.zone).year
    last = _bump_counter(organisation.pk, year)
    if last is None:
        try:
            with transaction.atomic():
                TicketCounter.objects.create(organisation=organisation, year=year, last=1)
                return ticket_number(year, 1)
        except IntegrityError:
            last = _bump_counter(organisation.pk, year)
    assert last is not None  # the row exists now: another request created it
    return ticket_number(year, last)


def _bump_counter(organisation_id: int, year: int) -> int | None:
    """One round trip: the row lock and the new value together (PostgreSQL and SQLite both return it)."""
    table = connection.ops.quote_name(TicketCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last = last + 1 WHERE organisation_id = %s AND year = %s RETURNING last",  # noqa: S608
            [organisation_id, year],
        )
        row = cursor.fetchone()
    return int(row[0]) if row else None


def double_submits(organisation: Organisation, data: IntakeData, now: datetime) -> QuerySet[Ticket, int]:
    """The same contact and text within ten minutes is one request pressed twice: the first one's key."""
    try:
        phone = normalize_phone(data.phone) if data.phone else ""
    except InvalidPhone:  # screened before the form is cleaned; the service then refuses it
        phone = ""
    contact = Q(phone=phone) if phone else Q(email=data.email.strip().lower())
    # Only the key: nearly every submit is new, and it need not build a whole request's columns.
    return (
        Ticket.objects.filter(
            contact,
            organisation=organisation,
            description=data.description.strip(),
            received_at__gte=now - DOUBLE_SUBMIT_WINDOW,
            received_at__lte=now,
        )
        .order_by("received_at")
        .values_list("pk", flat=True)[:1]
    )


def find_double_submit(organisation: Organisation, data: IntakeData, now: datetime) -> Ticket | None:
    found = list(double_submits(organisation, data, now))
    return Ticket.objects.get(pk=found[0]) if found else None


def receive(
    organisation: Organisation,
    data: IntakeData,
    *,
    channel: Channel,
    now: datetime,
    actor: Actor = None,
    route_to: ServiceRole | None = None,
    assignee: Actor = None,
    screened: bool = False,
    double_of: int | None = None,
) -> Received:
    """Record a request; route it at once where the school, the type or the hotline says so.

    `screened` says the caller has already looked for a double submit in the same statement as its own checks
    (the public form: `intake.abuse.screen`), and `double_of` is what it found."""
    errors = clean_intake(data)
    if errors:
        raise ServiceError(errors)
    from .workflow import route  # workflow imports this module's helpers

    if screened:
        existing = Ticket.objects.get(pk=double_of) if double_of is not None else None
    else:
        existing = find_double_submit(organisation, data, now)
    if existing is not None:
        return Received(ticket=existing, status_token="", duplicate=True)
    token = secrets.token_urlsafe(32)
    phone = normalize_phone(data.phone) if data.phone else ""
    preferred = data.preferred_reply or (ReplyChannel.PHONE if phone else ReplyChannel.EMAIL)
    policy = organisation.clock_policy()
    # No savepoint of its own: a failure here fails the caller's whole transaction anyway.
    with transaction.atomic(savepoint=False):
        ticket = Ticket(
            organisation=organisation,
            number=_next_number(organisation, now),
            channel=channel,
            author_name=" ".join(data.author_name.split()),
            author_role=data.author_role,
            school_class="" if data.author_role == AuthorRole.TEACHER else normalize_class(data.school_class),
            request_type=data.request_type,
            description=data.description.strip(),
            phone=phone,
            email=data.email.strip().lower(),
            preferred_reply=preferred,
            consent_at=now if data.consent_version else None,
            consent_version=data.consent_version,
            consent_ip=data.consent_ip,
            status_token_hash=hash_token(token),
            called_at=data.called_at,
            recorded_by=actor,
            received_at=now,
            state=State.RECEIVED,
            dispatch_due_at=policy.due(ClockKind.DISPATCH, now),
            resolve_due_at=policy.due(ClockKind.RESOLVE, now),
        )
        insert(ticket)
        ticket.watch = TicketWatch(ticket=ticket)
        refresh_watch(ticket, policy)
        record(
            ticket,
            EventKind.RECEIVED,
            at=now,
            actor=actor,
            actor_label="" if actor else ticket.author_name,
            states=(State.RECEIVED, State.RECEIVED),
            data={"channel": str(channel)},
            context={"status_token": token},
        )
        request_type = RequestType(data.request_type)
        if routes_at_receipt(request_type, organisation.auto_routing):
            role = suggest_role(request_type, organisation.routing_table())
            ticket = route(ticket, actor=None, role=role, now=now)
        elif route_to is not None:
            ticket = route(ticket, actor=actor, role=route_to, now=now, assignee=assignee)
    return Received(ticket=ticket, status_token=token)


def ticket_by_token(token: str) -> Ticket | None:
    if not token or len(token) > 100:
        return None
    return Ticket.objects.select_related("organisation").filter(status_token_hash=hash_token(token)).first()
