"""The whole permission matrix: persona × staff page, and persona × request type × every view and action.

Each case collects every difference from tests/security/matrix.py and fails with the full list, so one run
shows everything anyone sees or does beyond what docs/permissions.md allows (or short of it).
"""

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from opora.accounts.models import Organisation
from opora.audit.models import AccessLog
from opora.domain.enums import RequestType, ServiceRole
from opora.domain.routing import DEFAULT_ROUTING
from opora.intake.models import Attachment
from opora.tickets import services
from opora.tickets.models import Ticket

from . import matrix

AUTHOR = "Голубева Светлана Игоревна"
TYPES = list(RequestType)
# The pages that list requests (the others are covered by test_staff_pages and the reports tests).
LISTS = ("/desk/dispatch/", "/desk/mine/", "/desk/control/", "/reports/")


@pytest.fixture
def people(request: pytest.FixtureRequest, school: Organisation) -> dict[str, User]:
    return {name: request.getfixturevalue(name) for name in (*matrix.STAFF, matrix.OUTSIDER)}


def client_of(persona: str, people: dict[str, User]) -> Client:
    client = Client()
    if persona in people:
        client.force_login(people[persona])
    return client


def ticket_in(state: str, kind: RequestType, school: Organisation, people: dict[str, User]) -> tuple[Ticket, str]:
    """A request of this type brought to this state by the people who would really do it."""
    now = timezone.now()
    received = services.receive(
        school,
        _intake(kind),
        channel="web",
        now=now,
    )
    ticket, token = received.ticket, received.status_token
    handler, head = people[matrix.HANDLER[kind]], people[matrix.HEAD]
    if state == "received":
        if ticket.state != "received":  # psychologist requests skip the dispatcher; send one back
            services.return_to_dispatch(ticket, actor=handler, reason="не по адресу", now=now)
        return Ticket.objects.get(pk=ticket.pk), token
    if ticket.state == "received":
        ticket = services.route(ticket, actor=head, role=DEFAULT_ROUTING[kind], now=now)
    if state == "routed":
        return ticket, token
    ticket = services.take(ticket, actor=handler, now=now)
    if state == "extension_pending":
        services.request_extension(
            ticket, actor=handler, reason="ждём", proposed_due_at=now + timedelta(days=2), now=now
        )
    if state == "resolved":
        ticket = services.resolve(ticket, actor=handler, channel="email", text="Ответ.", called_at=None, now=now)
    return Ticket.objects.get(pk=ticket.pk), token


def _intake(kind: RequestType) -> services.IntakeData:
    from ..factories import intake

    return intake(request_type=kind, author_name=AUTHOR)


def _attach(ticket: Ticket) -> Attachment:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    return Attachment.objects.create(
        ticket=ticket,
        original_name="screen.png",
        content_type="image/png",
        size=len(png),
        file=ContentFile(png, name="screen.png"),
        uploaded_at=timezone.now(),
    )


@pytest.fixture
def files(settings: Any, tmp_path: Any) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }


@pytest.mark.parametrize("persona", matrix.PERSONAS)
def test_staff_pages(persona: str, people: dict[str, User]) -> None:
    client = client_of(persona, people)
    wrong = []
    for path, allowed in matrix.PAGES.items():
        response = client.get(path)
        if persona in (matrix.ANONYMOUS, matrix.PUPIL):
            expected, got = "login", "login" if response.get("Location", "").startswith("/accounts/login/") else ""
        else:
            expected, got = str(200 if persona in allowed else 403), str(response.status_code)
        if got != expected:
            wrong.append(f"{path}: expected {expected}, got {got or response.status_code}")
    assert not wrong, "\n".join(wrong)


def _reading(persona: str, kind: RequestType, state: str, school: Organisation, people: dict[str, User]) -> list[str]:
    ticket, token = ticket_in(state, kind, school, people)
    item = _attach(ticket)
    client = client_of(persona, people)
    if persona == matrix.PUPIL:
        return _pupil_reads(client, ticket, token)
    wrong: list[str] = []
    sees, content = matrix.sees_request(persona, kind, state), matrix.sees_content(persona, kind, state)
    logged_before = AccessLog.objects.filter(ticket=ticket).count()
    page = client.get(f"/desk/t/{ticket.number}/")
    if persona == matrix.ANONYMOUS:
        return [] if page.status_code == 302 else [f"{state}: anonymous got {page.status_code}"]
    if page.status_code != (200 if sees else 404):
        wrong.append(f"{state}: ticket page {page.status_code}, expected {200 if sees else 404}")
    body = page.content.decode()
    if (AUTHOR in body) != content or (ticket.description in body) != content:
        wrong.append(f"{state}: author's name and text shown={AUTHOR in body}, allowed={content}")
    logged = AccessLog.objects.filter(ticket=ticket).count() - logged_before
    if (logged > 0) != content:
        wrong.append(f"{state}: access log rows {logged} for a view with content={content}")
    clocks = client.get(f"/desk/t/{ticket.number}/clocks/").status_code
    if clocks != (200 if sees else 404):
        wrong.append(f"{state}: clocks fragment {clocks}")
    download = client.get(f"/attachments/{item.pk}/").status_code
    if download != (200 if content else 403 if sees else 404):
        wrong.append(f"{state}: attachment {download}")
    for path in LISTS:
        listing = client.get(path)
        if listing.status_code == 200 and listing["Content-Type"].startswith("text/html"):
            text = listing.content.decode()
            if not content and (AUTHOR in text or ticket.description in text):
                wrong.append(f"{state}: {path} shows the author or the text")
            if persona == matrix.OUTSIDER and ticket.number in text:
                wrong.append(f"{state}: {path} shows our request's number to another school")
    return wrong


def _pupil_reads(client: Client, ticket: Ticket, token: str) -> list[str]:
    """The author's status link shows their own request, never the staff's notes, and nothing else."""
    wrong = []
    services.add_note(ticket, actor=None, text="служебная пометка для коллег", now=timezone.now())
    own = client.get(f"/s/{token}/")
    if own.status_code != 200 or ticket.number not in own.content.decode():
        wrong.append(f"own status page {own.status_code}")
    if "служебная пометка" in own.content.decode():
        wrong.append("the status page shows an internal note")
    if client.get(f"/s/{token[:-2]}xx/").status_code != 404:
        wrong.append("a guessed token opens a status page")
    if client.get(f"/desk/t/{ticket.number}/").status_code != 302:
        wrong.append("the desk is open without a login")
    return wrong


@pytest.mark.parametrize("kind", TYPES)
@pytest.mark.parametrize("persona", matrix.PERSONAS)
def test_what_each_persona_reads(persona: str, kind: RequestType, school, people, files) -> None:
    wrong: list[str] = []
    for state in ("received", "routed", "in_work", "resolved"):
        wrong += _reading(persona, kind, state, school, people)
    assert not wrong, "\n".join(wrong)


def _form(action: str, kind: RequestType) -> dict[str, str]:
    data = dict(matrix.ACTIONS[action][1])
    if action == "route":
        data["role"] = str(DEFAULT_ROUTING[kind])
    if action == "reassign" and kind == RequestType.TECHNICAL:
        data["reassign-role"] = str(ServiceRole.EJOURNAL_ADMIN)
    return data


def _acting(persona: str, kind: RequestType, action: str, school, people) -> str | None:
    state, _ = matrix.ACTIONS[action]
    ticket, _token = ticket_in(state, kind, school, people)
    before = list(ticket.events.values_list("kind", flat=True))
    url = f"/desk/t/{ticket.number}/{action.removesuffix('_open')}/"
    response = client_of(persona, people).post(url, _form(action, kind))
    after = list(ticket.events.values_list("kind", flat=True))
    changed = after != before
    if matrix.may(persona, action, kind):
        ok = response.status_code == 302 and changed
    elif persona in (matrix.ANONYMOUS, matrix.PUPIL):
        ok = response.status_code == 302 and response["Location"].startswith("/accounts/login/") and not changed
    else:
        refused = 403 if matrix.sees_request(persona, kind, state.replace("extension_pending", "in_work")) else 404
        ok = response.status_code == refused and not changed
    return None if ok else f"{action} in {state}: {response.status_code}, changed={changed}"


@pytest.mark.parametrize("kind", TYPES)
@pytest.mark.parametrize("persona", matrix.PERSONAS)
def test_what_each_persona_may_do(persona: str, kind: RequestType, school, people) -> None:
    wrong = [w for action in matrix.ACTIONS if (w := _acting(persona, kind, action, school, people))]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("kind", TYPES)
def test_the_author_may_add_to_their_own_request_only(kind: RequestType, client, school, people) -> None:
    ticket, token = ticket_in("in_work", kind, school, people)
    other, _other_token = ticket_in("in_work", kind, school, people)
    response = client.post(f"/s/{token}/", {"text": "Добавлю: пароль тоже не подходит."})
    assert response.status_code == 302
    assert ticket.events.filter(kind="author_message").count() == 1
    assert other.events.filter(kind="author_message").count() == 0
