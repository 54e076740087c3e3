"""About fifty realistic requests, spread over every state and every clock outcome."""

import csv
import random
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from opora.accounts.models import Organisation
from opora.domain.enums import AuthorRole, Channel, ContactOutcome, ReplyChannel, RequestType, State, WithdrawReason
from opora.domain.routing import suggest_role

from .. import services
from ..models import Ticket

SAMPLES = Path(__file__).with_name("sample_requests.tsv")
_SURNAMES = ["Иванова", "Ковалёв", "Гусева", "Титов", "Ершова", "Никитин", "Соловьёва", "Комаров", "Киселева"]
_FIRST = ["Анна", "Дмитрий", "Ольга", "Сергей", "Юлия", "Алексей", "Наталья", "Роман", "Вера"]
_PATRONYMIC = ["Сергеевна", "Павлович", "Игоревна", "Андреевич", "Олеговна", "Викторович"]

# (target state, how long ago received, step durations: route, take, resolve)
_PLANS: list[tuple[State, timedelta, tuple[int, int, int]]] = [
    (State.RECEIVED, timedelta(minutes=5), (0, 0, 0)),
    (State.RECEIVED, timedelta(minutes=24), (0, 0, 0)),
    (State.RECEIVED, timedelta(minutes=50), (0, 0, 0)),
    (State.ROUTED, timedelta(minutes=20), (10, 0, 0)),
    (State.ROUTED, timedelta(hours=2), (25, 0, 0)),
    (State.IN_WORK, timedelta(hours=3), (15, 20, 0)),
    (State.IN_WORK, timedelta(hours=23), (12, 10, 0)),
    (State.IN_WORK, timedelta(hours=30), (45, 50, 0)),
    (State.RESOLVED, timedelta(days=2), (8, 12, 180)),
    (State.RESOLVED, timedelta(days=3), (40, 20, 1500)),
    (State.RESOLVED, timedelta(days=4), (20, 10, 600)),
    (State.WITHDRAWN, timedelta(hours=6), (0, 0, 0)),
]


def _author(rng: random.Random, row: dict[str, str], variant: int) -> str:
    if variant == 0:
        return row["full_name"]
    return f"{rng.choice(_SURNAMES)} {rng.choice(_FIRST)} {rng.choice(_PATRONYMIC)}"


def _data(rng: random.Random, row: dict[str, str], variant: int) -> services.IntakeData:
    role = AuthorRole(row["author_role"])
    phone, email = row["phone"], row["email"]
    if variant:
        # Another family with the same kind of problem: its own contacts.
        phone = f"+7 916 {rng.randint(100, 999)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}" if phone else ""
        email = f"family{rng.randint(1000, 9999)}@example.ru" if email or not phone else ""
    return services.IntakeData(
        author_name=_author(rng, row, variant),
        author_role=role,
        school_class=row["class"] if role != AuthorRole.TEACHER else "",
        request_type=RequestType(row["type"]),
        description=row["description"],
        phone=phone,
        email=email,
        preferred_reply=ReplyChannel.EMAIL if email and (not phone or rng.random() < 0.5) else ReplyChannel.PHONE,
        consent_version="1",
    )


def _drive(
    ticket: Ticket,
    plan: tuple[State, timedelta, tuple[int, int, int]],
    now: datetime,
    people: dict[str, Any],
    rng: random.Random,
) -> None:
    target, ago, (route_min, take_min, resolve_min) = plan
    received = ticket.received_at
    head, dispatcher = people["head"], people["site_admin"]
    if target == State.WITHDRAWN and ticket.state == State.RECEIVED:
        services.withdraw(
            ticket,
            actor=dispatcher,
            reason=WithdrawReason.SPAM,
            now=received + timedelta(minutes=7),
            note="Реклама, не относится к обучению.",
        )
        return
    if target == State.RECEIVED:
        return
    step: Callable[[int], datetime] = lambda minutes: received + timedelta(minutes=minutes)  # noqa: E731
    if ticket.state == State.RECEIVED:
        role = suggest_role(RequestType(ticket.request_type), ticket.organisation.routing_table())
        ticket = services.route(ticket, actor=dispatcher, role=role, now=step(route_min))
    if target == State.ROUTED:
        return
    holder = _holder(ticket, people)
    ticket = services.take(ticket, actor=holder, now=step(route_min + take_min))
    if rng.random() < 0.5 and ticket.phone:
        services.log_contact(
            ticket,
            actor=holder,
            outcome=rng.choice(list(ContactOutcome)[:4]),
            note="Уточнили детали по телефону.",
            now=step(route_min + take_min + 5),
        )
    if target == State.IN_WORK:
        if ago > timedelta(hours=20):
            ext = services.request_extension(
                ticket,
                actor=holder,
                reason="Ждём ответа от поставщика ЭЖД.",
                proposed_due_at=received + timedelta(hours=48),
                now=step(route_min + take_min + 30),
            )
            services.decide_extension(
                ext, actor=head, approve=True, now=step(route_min + take_min + 60), comment="Согласовано."
            )
        return
    channel = ReplyChannel(ticket.preferred_reply)
    services.resolve(
        ticket,
        actor=holder,
        channel=channel,
        now=step(resolve_min),
        text="Проблема решена, инструкция отправлена. Если повторится — звоните на горячую линию.",
        called_at=step(resolve_min) if channel == ReplyChannel.PHONE else None,
    )


def _holder(ticket: Ticket, people: dict[str, Any]) -> Any:
    by_role = {"ejournal_admin": "ejournal", "technician": "tech", "psychologist": "psychologist", "head": "head"}
    return people[by_role[ticket.routed_role]]


def seed_requests(org: Organisation, people: dict[str, Any], now: datetime, count: int = 50, seed: int = 5) -> int:
    rng = random.Random(seed)
    with SAMPLES.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    made = 0
    for index in range(count):
        row = rows[index % len(rows)]
        plan = _PLANS[index % len(_PLANS)]
        received_at = now - plan[1] - timedelta(minutes=rng.randint(0, 4))
        channel = Channel(row["channel"])
        data = _data(rng, row, index // len(rows))
        actor = people["hotline"] if channel == Channel.HOTLINE else None
        received = services.receive(org, data, channel=channel, now=received_at, actor=actor)
        _drive(received.ticket, plan, now, people, rng)
        made += 1
    return made
