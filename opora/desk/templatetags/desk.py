from django import template

from opora.domain.contacts import display_phone
from opora.domain.enums import ContactOutcome
from opora.tickets.labels import CONTACT_OUTCOME

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
