"""Staff mail about a surge goes to every dispatcher with the same words: the worker renders it once for all of
them, which holds only while no template addresses its reader."""

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test.signals import template_rendered
from django.utils import timezone

from opora.domain.enums import Channel, ServiceRole
from opora.notify import delivery
from opora.notify.models import Outbox
from opora.notify.outbox import expand
from opora.tickets import services

from ..factories import intake, make_staff

# What a template would name to speak to the person reading it (`failed.recipient` is another message's).
_READER = re.compile(r"{[{%][^}]*(?<![.\w])(person|user|recipient)\b")


@pytest.fixture
def rendered() -> Iterator[Counter[str]]:
    """How many times each template was rendered (Django's test setup reports every render)."""
    seen: Counter[str] = Counter()

    def count(sender: object, template: object, **_: object) -> None:
        seen[str(getattr(template, "name", ""))] += 1

    template_rendered.connect(count)
    yield seen
    template_rendered.disconnect(count)


def test_no_staff_or_family_message_addresses_its_reader() -> None:
    templates = sorted((Path(settings.BASE_DIR) / "templates" / "notify").rglob("*.*"))
    assert len(templates) > 30
    assert [str(path) for path in templates if _READER.search(path.read_text())] == []


def test_the_list_of_waiting_requests_is_rendered_once_for_all_dispatchers(
    db, smtp, rendered, school, dina, galya
) -> None:
    third = make_staff(school, "lena", ServiceRole.SITE_ADMIN)
    for _ in range(4):
        services.receive(school, intake(email=""), channel=Channel.WEB, now=timezone.now())
    first = Outbox.objects.filter(kind="fan_out").order_by("pk").first()
    assert first is not None
    rendered.clear()
    assert delivery.deliver(first.pk, timezone.now()) == "expanded"
    assert rendered["notify/together/body.txt"] == 1
    bodies = {row.body_text for row in Outbox.objects.filter(kind="together")}
    assert len(bodies) == 1 and "Поступили обращения (4)" in bodies.pop()
    assert sorted(message["To"] for message in smtp.inbox.messages) == sorted([dina.email, galya.email, third.email])


def test_a_role_s_message_about_one_request_is_rendered_once_for_its_people(db, rendered, school, dina) -> None:
    egor = make_staff(school, "egor", ServiceRole.EJOURNAL_ADMIN)
    other = make_staff(school, "oleg", ServiceRole.EJOURNAL_ADMIN)
    ticket = services.receive(school, intake(email=""), channel=Channel.WEB, now=timezone.now()).ticket
    Outbox.objects.all().delete()
    services.route(ticket, actor=dina, role=ServiceRole.EJOURNAL_ADMIN, now=timezone.now())
    row = Outbox.objects.get(kind="fan_out")
    rendered.clear()
    written = expand(row, timezone.now())
    assert {message.user_id for message in written} == {egor.pk, other.pk}
    assert rendered["notify/staff_routed/body.txt"] == 1
    assert len({(message.subject, message.body_text, message.body_html) for message in written}) == 1
    assert ticket.number in written[0].body_text
