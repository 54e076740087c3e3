import csv
import io
import tracemalloc
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from opora.reports.exports import CONFIDENTIAL, HEADERS
from opora.tickets.models import Ticket

from ..factories import T0


def test_xlsx_has_russian_headers_local_times_and_no_psychologist_content(client, school, known, elena) -> None:
    client.force_login(elena)
    response = client.get("/reports/export/", {"format": "xlsx"})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    assert len(rows) == 6
    first = rows[1]
    assert first[1] == "23.11.2026 12:00"  # 09:00 UTC in Moscow
    psych = next(r for r in rows if r[0] == known["d"].number)
    assert psych[3] == CONFIDENTIAL and psych[7] == CONFIDENTIAL
    assert not any("Тревога" in str(cell) for row in rows for cell in row)


def test_csv_opens_in_excel(client, school, known, elena) -> None:
    client.force_login(elena)
    response = client.get("/reports/export/", {"format": "csv", "type": "ejournal"})
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff№;Поступило")
    assert len(list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))) == 4


def test_the_clause_report_exports_too(client, school, known, elena) -> None:
    client.force_login(elena)
    response = client.get("/reports/clauses/", {"from": "2026-11-23", "to": "2026-11-23", "format": "xlsx"})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    values = {row[0]: row[1] for row in book.active.iter_rows(values_only=True)}
    assert values["распределено в течение 30 минут"] == 3


@pytest.mark.slow
def test_100_000_rows_stream_with_flat_memory(client, school, elena) -> None:
    template = Ticket(
        organisation=school,
        channel="web",
        author_name="Иванова Анна Петровна",
        author_role="parent",
        school_class="5А",
        request_type="technical",
        description="Не открывается урок " * 5,
        phone="+79160000000",
        preferred_reply="phone",
        received_at=T0,
        state="received",
        dispatch_due_at=T0 + timedelta(minutes=30),
        resolve_due_at=T0 + timedelta(hours=24),
    )
    batch = []
    for n in range(100_000):
        template.pk = None
        template.number = f"2026-{n:06d}"
        template.status_token_hash = f"{n:064d}"
        batch.append(Ticket(**{f.attname: getattr(template, f.attname) for f in Ticket._meta.concrete_fields}))
        if len(batch) == 10_000:
            Ticket.objects.bulk_create(batch)
            batch = []
    client.force_login(elena)
    tracemalloc.start()
    response = client.get("/reports/export/", {"format": "csv"})
    lines = 0
    for chunk in response.streaming_content:
        lines += chunk.count(b"\n") if isinstance(chunk, bytes) else chunk.count("\n")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert lines == 100_001
    assert peak < 40 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"
