"""Fast seeding with PostgreSQL COPY: realistic types, states, clocks and about three events a ticket."""

import random
from datetime import datetime, timedelta
from typing import Any

from django.db import connection

from opora.accounts.models import Membership, Organisation
from opora.tickets.models import Ticket, TicketEvent, TicketWatch
from opora.tickets.services.clocks import EVENT_COLUMNS

TYPES = [("technical", 30), ("ejournal", 35), ("lesson_quality", 10), ("psychologist", 8), ("other", 17)]
ROLE_OF = {
    "technical": "technician",
    "ejournal": "ejournal_admin",
    "lesson_quality": "head",
    "psychologist": "psychologist",
    "other": "head",
}
STATES = [("resolved", 80), ("withdrawn", 5), ("in_work", 8), ("routed", 4), ("received", 3)]
# Under a 24-hour deadline a request is rarely open for long: past a few days only a small tail is
# (an approved extension, a forgotten one), the rest is closed.
RECENT = timedelta(days=3)
CLOSED = [("resolved", 937), ("withdrawn", 60), ("in_work", 2), ("routed", 1)]
CLASSES = [f"{g}{letter}" for g in range(1, 12) for letter in "АБВГ"]


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def _ticket(
    rng: random.Random, org: Organisation, n: int, received: datetime, state: str, staff: dict[str, list[int]]
) -> dict[str, Any]:
    kind = _pick(rng, TYPES)
    routed = received + timedelta(minutes=rng.expovariate(1 / 12)) if state != "received" else None
    taken = routed + timedelta(minutes=rng.expovariate(1 / 15)) if routed and state in ("in_work", "resolved") else None
    resolved = taken + timedelta(hours=rng.expovariate(1 / 8)) if taken and state == "resolved" else None
    role = rng.choice(["pupil", "parent", "teacher"])
    row = {
        "organisation_id": org.pk,
        "number": f"{received.year}-{n:07d}",
        "channel": rng.choice(["web"] * 3 + ["hotline"]),
        "author_name": "Иванова Анна Петровна",
        "author_role": role,
        "school_class": "" if role == "teacher" else rng.choice(CLASSES),
        "request_type": kind,
        "description": "Не открывается урок в электронном дневнике, пишет «ошибка 403».",
        "phone": f"+7916{rng.randint(1000000, 9999999)}",
        "email": "",
        "preferred_reply": "phone",
        "consent_at": received,
        "consent_version": "1",
        "consent_ip": None,
        "status_token_hash": f"{org.pk}-{n:062d}",
        "called_at": None,
        "recorded_by_id": None,
        "received_at": received,
        "state": state,
        "routed_role": ROLE_OF[kind] if routed else "",
        # Whoever took it in holds it, as in a school: each specialist carries a share of the history.
        "assignee_id": rng.choice(staff[ROLE_OF[kind]]) if taken and staff.get(ROLE_OF[kind]) else None,
        "routed_at": routed,
        "first_routed_at": routed,
        "taken_at": taken,
        "resolved_at": resolved,
        "reply_channel": "phone" if resolved else "",
        "reply_text": "Ответили по телефону." if resolved else "",
        "withdraw_reason": "spam" if state == "withdrawn" else "",
        "duplicate_of_id": None,
        "urgent": False,
        "return_count": 0,
        "reopen_count": 0,
        "anonymised_at": None,
        "dispatch_due_at": received + timedelta(minutes=30),
        "dispatch_met_at": routed,
        "take_due_at": routed + timedelta(minutes=30) if routed else None,
        "take_met_at": taken,
        "resolve_due_at": received + timedelta(hours=24),
        "resolve_met_at": resolved,
        "resolve_extended": False,
        "created_at": received,
        "updated_at": resolved or taken or routed or received,
    }
    return row


def _copy(table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    with (
        connection.cursor() as cursor,
        cursor.connection.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


TABLES = ("tickets_ticket", "tickets_ticketevent", "tickets_ticketwatch")
REBUILD_FROM = 200_000


def _drop_secondary_indexes() -> list[str]:
    """As pg_restore does: load first, index after. Constraint-backed indexes stay."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = ANY(%s) AND NOT EXISTS"
            " (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
            [list(TABLES)],
        )
        found = cursor.fetchall()
        for name, _ in found:
            cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _, definition in found]


def _rebuild(definitions: list[str]) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for definition in definitions:
            cursor.execute(definition)


def seed(
    org: Organisation,
    count: int,
    *,
    now: datetime,
    span: timedelta,
    open_share: float | None = None,
    due: int = 0,
    seed: int = 7,
    batch: int = 50_000,
) -> None:
    """`count` tickets spread over `span` before `now`; `due` of them have a clock event due now."""
    rng = random.Random(seed)
    staff: dict[str, list[int]] = {}
    for role, user_id in Membership.objects.filter(organisation=org, is_active=True).values_list("role", "user_id"):
        staff.setdefault(role, []).append(user_id)
    columns = [f.column for f in Ticket._meta.concrete_fields]
    watch_columns = [f.column for f in TicketWatch._meta.concrete_fields]
    start = Ticket.objects.order_by("-id").values_list("id", flat=True).first() or 0
    dropped = _drop_secondary_indexes() if count >= REBUILD_FROM else []
    with connection.cursor() as cursor:
        # Rows are consistent by construction; skipping the per-row foreign-key triggers is what makes
        # fifteen million events load in minutes (the bench runs as the database superuser).
        cursor.execute("SET session_replication_role = replica")
    made = 0
    while made < count:
        size = min(batch, count - made)
        tickets, watches, events = [], [], []
        for i in range(size):
            n = start + made + i + 1
            # In id order, as requests really arrive: a month's rows sit together on disk, not spread over the year.
            received = now - span * (1 - (made + i + rng.random()) / count)
            if open_share is not None:
                state = "in_work" if rng.random() < open_share else _pick(rng, STATES)
            else:
                state = _pick(rng, STATES if now - received < RECENT else CLOSED)
            row = _ticket(rng, org, n, received, state, staff)
            row["id"] = n
            tickets.append(tuple(row[c] for c in columns))
            # Nothing yet warned or breached; the first `due` are the watcher's to look at now.
            watch_at = now - timedelta(seconds=rng.randint(1, 50)) if made + i < due else None
            watches.append((n, watch_at, *[None] * (len(watch_columns) - 2)))
            events.append((n, received, None, "автор", "received", "received", "received", "", False, "{}"))
            if row["routed_at"]:
                events.append((n, row["routed_at"], None, "диспетчер", "routed", "received", "routed", "", False, "{}"))
            if row["taken_at"]:
                events.append((n, row["taken_at"], None, "специалист", "taken", "routed", "in_work", "", False, "{}"))
            if row["resolved_at"]:
                events.append(
                    (
                        n,
                        row["resolved_at"],
                        None,
                        "специалист",
                        "resolved",
                        "in_work",
                        "resolved",
                        "",
                        False,
                        '{"channel": "phone"}',
                    )
                )
        _copy("tickets_ticket", columns, tickets)
        _copy("tickets_ticketwatch", watch_columns, watches)
        _copy("tickets_ticketevent", EVENT_COLUMNS, events)
        made += size
    _rebuild(dropped)
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('tickets_ticket', 'id'), (SELECT max(id) FROM tickets_ticket))"
        )
        # As autovacuum would after a day's work: statistics, and the visibility map for index-only scans.
        for table in TABLES:
            cursor.execute(f"VACUUM ANALYZE {table}")
        # And written out, as a school's history long since is: otherwise the first thing timed after a large
        # seed shares the machine with PostgreSQL flushing gigabytes of it.
        cursor.execute("CHECKPOINT")


def event_count() -> int:
    return TicketEvent.objects.count()
