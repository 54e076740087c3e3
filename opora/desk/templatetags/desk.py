from typing import Any

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator
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
    if view.due_at is not None:
        local = timezone.localtime(view.due_at)
        due = format_html(' <span class="small text-body-secondary">({} {})</span>', _("до"), format(local, "d.m H:i"))
    return format_html(
        '<span class="clock clock-{}"{}><span class="clock-text">{}</span>{}</span>',
        view.level,
        format_html(' data-due="{}"', format(timezone.localtime(view.due_at), "c")) if live and view.due_at else "",
        view.text,
        due,
    )


@register.simple_tag
def summary(row: dict[str, Any]) -> SafeString:
    """One request in a list: number, type, time, and the author's words only to those allowed (`content`).
    A tag for the same reason as `clock`: an included template costs a render of its own for every row."""
    ticket = row["ticket"]
    urgent = format_html(' <span class="badge text-bg-danger">{}</span>', _("срочно")) if ticket.urgent else ""
    head = format_html(
        '<a class="fw-semibold" href="{}">№ {}</a>{}\n<span class="text-body-secondary">· {} · {} · {}</span>',
        reverse("desk:ticket", args=[ticket.number]),
        ticket.number,
        urgent,
        row["type"],
        format(timezone.localtime(ticket.received_at), "d.m H:i"),
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
        Truncator(ticket.description).chars(160),
    )
