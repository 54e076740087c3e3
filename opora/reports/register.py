"""«Журнал регистрации обращений»: a printable landscape PDF for a period, signed by the head."""

from datetime import date
from typing import Any

from django.db.models import QuerySet

from opora.accounts.models import Organisation
from opora.common.pdf import new_document
from opora.tickets.models import Ticket

from .exports import FIELDS, row_values

COLUMNS = [
    ("№, поступило", 30),
    ("Канал", 18),
    ("Автор, роль, класс", 40),
    ("Тип", 28),
    ("Содержание", 60),
    ("Исполнитель, взято", 34),
    ("Результат, ответ дан", 34),
    ("Сроки", 33),
]


def _cells(row: dict[str, Any], org: Organisation) -> list[str]:
    v = row_values(row, org)
    content = v[7] if len(v[7]) <= 140 else v[7][:137] + "…"
    clocks = f"распр.: {v[14] or '—'}\nвзятие: {v[15] or '—'}\nотраб.: {v[16] or '—'}" + ("\nпродлено" if v[17] else "")
    return [
        f"{v[0]}\n{v[1]}",
        v[2],
        f"{v[3]}\n{v[4]}{', ' + v[5] if v[5] else ''}",
        v[6],
        content,
        f"{v[10]}\n{v[11]}".strip(),
        f"{v[8]}, {v[13]}\n{v[12]}".strip(", \n"),
        clocks,
    ]


def register_pdf(qs: QuerySet[Ticket], org: Organisation, start: date, end: date) -> bytes:
    title = "Журнал регистрации обращений"
    pdf = new_document("landscape", title)
    pdf.add_page()
    pdf.set_font(size=14, style="B")
    pdf.cell(0, 8, title, new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.set_font(size=11)
    pdf.cell(0, 6, org.name, new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.cell(0, 6, f"за период с {start:%d.%m.%Y} по {end:%d.%m.%Y}", new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.ln(3)
    pdf.set_font(size=8)
    widths = tuple(w for _, w in COLUMNS)
    with pdf.table(col_widths=widths, text_align="LEFT", line_height=4, repeat_headings=1) as table:
        heading = table.row()
        for name, _w in COLUMNS:
            heading.cell(name)
        for row in qs.order_by("received_at", "id").values(*FIELDS).iterator(chunk_size=1000):
            line = table.row()
            for cell in _cells(row, org):
                line.cell(cell)
    pdf.ln(10)
    pdf.set_font(size=11)
    pdf.cell(
        0, 8, "Руководитель Службы ______________________ / ______________________ /", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.cell(0, 8, "Дата «____» ______________ 20___ г.")
    return bytes(pdf.output())
