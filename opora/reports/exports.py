"""Exports with flat memory: rows stream from a server-side cursor, never a list of all tickets."""

import csv
import tempfile
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook

from opora.accounts.models import Organisation
from opora.domain.enums import RequestType
from opora.tickets.models import Ticket

from .labels import label

CONFIDENTIAL = "конфиденциально"
HEADERS = [
    "№",
    "Поступило",
    "Канал",
    "ФИО",
    "Роль автора",
    "Класс",
    "Тип",
    "Описание",
    "Состояние",
    "Направлено",
    "Исполнитель",
    "Взято в работу",
    "Ответ дан",
    "Канал ответа",
    "Распределение в срок",
    "Взятие в срок",
    "Отработка в срок",
    "Продление",
]
FIELDS = (
    "number",
    "received_at",
    "channel",
    "author_name",
    "author_role",
    "school_class",
    "request_type",
    "description",
    "state",
    "routed_role",
    "assignee__last_name",
    "assignee__first_name",
    "taken_at",
    "resolved_at",
    "reply_channel",
    "dispatch_due_at",
    "first_routed_at",
    "take_due_at",
    "take_met_at",
    "resolve_due_at",
    "resolve_met_at",
    "resolve_extended",
)


def _local(moment: datetime | None, org: Organisation) -> str:
    return timezone.localtime(moment, org.zone).strftime("%d.%m.%Y %H:%M") if moment else ""


def _in_time(due: datetime | None, met: datetime | None) -> str:
    if due is None or met is None:
        return ""
    return "да" if met <= due else "нет"


def row_values(row: dict[str, Any], org: Organisation) -> list[str]:
    secret = row["request_type"] == RequestType.PSYCHOLOGIST
    assignee = " ".join(filter(None, [row["assignee__last_name"], row["assignee__first_name"]]))
    return [
        row["number"],
        _local(row["received_at"], org),
        label("channel", row["channel"]),
        CONFIDENTIAL if secret else row["author_name"],
        label("author_role", row["author_role"]),
        row["school_class"],
        label("request_type", row["request_type"]),
        CONFIDENTIAL if secret else row["description"],
        label("state", row["state"]),
        label("role", row["routed_role"]),
        assignee,
        _local(row["taken_at"], org),
        _local(row["resolved_at"], org),
        label("reply", row["reply_channel"]),
        _in_time(row["dispatch_due_at"], row["first_routed_at"]),
        _in_time(row["take_due_at"], row["take_met_at"]),
        _in_time(row["resolve_due_at"], row["resolve_met_at"]),
        "да" if row["resolve_extended"] else "",
    ]


def ticket_rows(qs: QuerySet[Ticket], org: Organisation) -> Iterator[list[str]]:
    for row in qs.order_by("received_at", "id").values(*FIELDS).iterator(chunk_size=2000):
        yield row_values(row, org)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(headers: list[str], rows: Iterable[list[Any]], filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo(), delimiter=";")

    def lines() -> Iterator[str]:
        yield "\ufeff"  # Excel opens UTF-8 CSV in Russian correctly only with a BOM
        yield writer.writerow(headers)
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(headers: list[str], rows: Iterable[list[Any]], filename: str, title: str) -> FileResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=f"{filename}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
