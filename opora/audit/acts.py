"""Destruction acts: what was destroyed, when and by which rule, with the matching access-log extract."""

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q, QuerySet

from opora.accounts.models import Organisation
from opora.common.pdf import new_document
from opora.tickets.models import Ticket
from opora.tickets.services.privacy import anonymise

from .models import AccessLog, DestructionAct

RETENTION_RULE = "истёк срок хранения ({days} дн. после ответа), ч. 7 ст. 5 Федерального закона № 152-ФЗ"
WITHDRAWAL_RULE = "отзыв согласия субъектом персональных данных, ч. 5 ст. 21 Федерального закона № 152-ФЗ"


def destroy(
    org: Organisation, tickets: QuerySet[Ticket], *, rule: str, now: datetime, actor: User | None = None
) -> DestructionAct | None:
    with transaction.atomic():
        done = [
            row
            for t in tickets.filter(anonymised_at__isnull=True)
            if (row := anonymise(t, now=now, rule=rule, actor=actor))
        ]
        if not done:
            return None
        numbers = [row["number"] for row in done]
        extract = [
            {"at": log.at.isoformat(), "user": log.user_label, "ticket": log.ticket_number, "what": log.what}
            for log in AccessLog.objects.filter(organisation=org, ticket_number__in=numbers).order_by("at")
        ]
        count = DestructionAct.objects.filter(organisation=org, created_at__year=now.year).count() + 1
        return DestructionAct.objects.create(
            organisation=org,
            number=f"{now.year}-УПД-{count:04d}",
            created_at=now,
            rule=rule,
            requested_by=actor,
            tickets=done,
            log_extract=extract,
        )


def expired(org: Organisation, now: datetime) -> QuerySet[Ticket]:
    from datetime import timedelta

    cutoff = now - timedelta(days=org.retention_days)
    return Ticket.objects.filter(organisation=org, anonymised_at__isnull=True).filter(
        Q(resolved_at__lt=cutoff) | Q(state="withdrawn", updated_at__lt=cutoff)
    )


def of_person(org: Organisation, phone: str, email: str) -> QuerySet[Ticket]:
    match = Q(pk__in=[])
    if phone:
        match |= Q(phone=phone)
    if email:
        match |= Q(email=email.strip().lower())
    return Ticket.objects.filter(organisation=org).filter(match)


def act_pdf(act: DestructionAct) -> bytes:
    pdf = new_document("portrait", f"Акт {act.number}")
    pdf.add_page()
    pdf.set_font(size=13, style="B")
    pdf.multi_cell(
        0, 7, f"АКТ № {act.number}\nоб уничтожении персональных данных", align="C", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_font(size=10)
    pdf.multi_cell(
        0,
        5,
        f"Оператор: {act.organisation.name}\nДата и время: {act.created_at:%d.%m.%Y %H:%M} (UTC)\n"
        f"Основание: {act.rule}\nСпособ: обезличивание записей в информационной системе «Опора» "
        "(замена персональных данных) и удаление файлов вложений.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(3)
    with pdf.table(col_widths=(30, 35, 95, 30), text_align="LEFT", line_height=5) as table:
        head = table.row()
        for name in ("Обращение", "Поступило", "Уничтоженные данные", "Вложений"):
            head.cell(name)
        for row in act.tickets:
            line = table.row()
            for value in (
                row["number"],
                row["received_at"][:16].replace("T", " "),
                _fields(row),
                str(row["attachments"]),
            ):
                line.cell(value)
    pdf.ln(4)
    pdf.set_font(size=10, style="B")
    pdf.cell(0, 6, "Выписка из журнала доступа к персональным данным", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(size=9)
    for entry in act.log_extract or [{"at": "", "user": "", "ticket": "", "what": "записей нет"}]:
        pdf.multi_cell(
            0,
            4.5,
            f"{entry['at'][:16].replace('T', ' ')} {entry['user']} {entry['ticket']} {entry['what']}",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    pdf.ln(8)
    pdf.set_font(size=10)
    pdf.cell(0, 6, "Ответственный за обработку персональных данных ______________ / ______________ /")
    return bytes(pdf.output())


_NAMES = {
    "author_name": "ФИО",
    "phone": "телефон",
    "email": "эл. почта",
    "description": "текст обращения",
    "reply_text": "текст ответа",
    "consent_ip": "IP-адрес",
}


def _fields(row: dict[str, Any]) -> str:
    names = [_NAMES.get(f, f) for f in row["fields"]]
    if row.get("notes"):
        names.append(f"записи хода рассмотрения ({row['notes']})")
    return ", ".join(names)
