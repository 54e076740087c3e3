from datetime import datetime
from functools import lru_cache
from typing import Any

from django import template
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from opora.domain.contacts import display_phone
from opora.domain.enums import ContactOutcome
from opora.tickets.labels import CONTACT_OUTCOME

from ..presenters import ClockView

register = template.Library()


@register.filter
def phone(value: str) -> str:
    return display_phone(value) if value else ""


@register.filter
def contact_outcome(value: str) -> str:
    try:
        return str(CONTACT_OUTCOME[ContactOutcome(value)])
    except ValueError:
        return value


@register.simple_tag
def clock(view: ClockView) -> SafeString:
    """A clock in a list row. A tag, not an included template: a page of requests shows one or two per row,
    and an include costs a template render of its own each time."""
    live = (view.due_at is not None and view.level == "ok") or view.level == "warn"
    due = ""
    local = timezone.localtime(view.due_at) if view.due_at is not None else None
    if local is not None:
        due = format_html(' <span class="small text-body-secondary">({} {})</span>', _("до"), _short_time(local))
    return format_html(
        '<span class="clock clock-{}"{}><span class="clock-text">{}</span>{}</span>',
        view.level,
        format_html(' data-due="{}"', local.isoformat()) if live and local is not None else "",
        view.text,
        due,
    )


def _short_time(moment: datetime) -> str:
    """Day, month and time, as «d.m H:i» writes it: digits only, so no translation or locale is involved,
    and strftime costs a fraction of a date-format filter on every row of a list."""
    return moment.strftime("%d.%m %H:%M")


def _shorten(text: str, limit: int) -> str:
    """At most `limit` characters, the last one an ellipsis when the text was longer."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@lru_cache(maxsize=4)
def _ticket_url_template(script_prefix: str) -> tuple[str, str]:
    """A request page's address around its number, found once per prefix the site is served under: the
    number is the only part that changes from row to row."""
    marker = "0000-000000"
    before, _, after = reverse("desk:ticket", args=[marker]).partition(marker)
    return before, after


def ticket_url(number: str) -> str:
    before, after = _ticket_url_template(get_script_prefix())
    return f"{before}{number}{after}"


@register.simple_tag
def summary(row: dict[str, Any]) -> SafeString:
    """One request in a list: number, type, time, and the author's words only to those allowed (`content`).
    A tag for the same reason as `clock`: an included template costs a render of its own for every row."""
    ticket = row["ticket"]
    urgent = format_html(' <span class="badge text-bg-danger">{}</span>', _("срочно")) if ticket.urgent else ""
    head = format_html(
        '<a class="fw-semibold" href="{}">№ {}</a>{}\n<span class="text-body-secondary">· {} · {} · {}</span>',
        ticket_url(ticket.number),
        ticket.number,
        urgent,
        row["type"],
        _short_time(timezone.localtime(ticket.received_at)),
        row["channel"],
    )
    if not row["content"]:
        return head + format_html('\n<div class="small text-body-secondary">{}</div>', _("Содержание конфиденциально."))
    school_class = f", {ticket.school_class}" if ticket.school_class else ""
    return head + format_html(
        '\n<div>{} ({}{})</div>\n<div class="small">{}</div>',
        ticket.author_name,
        row["author_role"],
        school_class,
        _shorten(ticket.description, 160),
    )
