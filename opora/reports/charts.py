"""Server-rendered SVG charts (pygal) with no external script: every chart also has a table."""

import re
from collections import defaultdict
from typing import Any

import pygal
from pygal.style import Style

from opora.domain.enums import RequestType
from opora.tickets.labels import REQUEST_TYPE

STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#212529",
    foreground_strong="#212529",
    foreground_subtle="#495057",
    colors=("#0b5ed7", "#198754", "#b35c00", "#6f42c1", "#6c757d"),
    font_family="system-ui, sans-serif",
)
_CONFIG: dict[str, Any] = {
    "style": STYLE,
    "js": [],
    "disable_xml_declaration": True,
    "height": 320,
    "width": 760,
    "legend_at_bottom": True,
    "show_y_guides": True,
    "x_label_rotation": 30,
}


_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)


def _svg(chart: Any) -> str:
    # pygal always embeds its settings as a script; shown through <img>, it would never run anyway.
    return _SCRIPT.sub("", str(chart.render(is_unicode=True)))


def requests_by_day(rows: list[dict[str, Any]]) -> str:
    days = sorted({r["day"] for r in rows})
    counts: dict[str, dict[Any, int]] = defaultdict(dict)
    for row in rows:
        counts[row["request_type"]][row["day"]] = row["n"]
    chart = pygal.StackedBar(title="Обращения по дням и типам", **_CONFIG)
    chart.x_labels = [d.strftime("%d.%m") for d in days]
    for kind in RequestType:
        chart.add(str(REQUEST_TYPE[kind]), [counts[str(kind)].get(d, 0) for d in days])
    return _svg(chart)


def compliance_by_day(rows: list[dict[str, Any]]) -> str:
    chart = pygal.Line(title="Доля обращений, отработанных в срок, %", range=(0, 100), **_CONFIG)
    chart.x_labels = [r["day"].strftime("%d.%m") for r in rows]
    chart.add("в срок", [r["share"] for r in rows])
    return _svg(chart)
