"""Every role × every page and action: refusals are 403 (actions) or 404 (objects) and leak nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from opora.domain.enums import RequestType, ServiceRole
from opora.tickets import services

from ..factories import submit

# oscar heads another school: he opens these pages, for his own school only.
PAGES = {
    "/desk/dispatch/": {"dina", "galya", "elena", "oscar"},
    "/desk/mine/": {"egor", "tolya", "polina", "elena", "oscar"},
    "/desk/control/": {"elena", "dmitry", "oscar"},
}
EVERYONE = ["dina", "galya", "egor", "tolya", "polina", "elena", "dmitry", "oscar"]


@pytest.mark.parametrize("persona", EVERYONE)
@pytest.mark.parametrize("path", list(PAGES))
def test_pages_by_role(client, request, persona, path) -> None:
    user = request.getfixturevalue(persona)
    client.force_login(user)
    status = client.get(path).status_code
    assert status == (200 if persona in PAGES[path] else 403)


def test_anonymous_people_are_sent_to_log_in(client, school) -> None:
    for path in [*PAGES, "/desk/t/2026-000001/"]:
        assert client.get(path)["Location"].startswith("/accounts/login/")


# (action, form data, who may) for a request routed to the e-journal admin and not yet taken
ROUTED_ACTIONS = [
    ("take", {}, {"egor"}),
    ("return", {"return-reason": "не по адресу"}, {"egor"}),
    ("reassign", {"reassign-role": "technician"}, {"elena"}),
    ("withdraw", {"reason": "spam"}, {"elena"}),
    ("route", {"role": "technician"}, set()),
    ("resolve", {"channel": "email", "text": "ответ"}, set()),
]


@pytest.mark.parametrize("persona", EVERYONE)
@pytest.mark.parametrize(("action", "data", "allowed"), ROUTED_ACTIONS)
def test_actions_on_a_routed_request(client, request, school, persona, action, data, allowed) -> None:
    dina = request.getfixturevalue("dina")
    for name in EVERYONE:
        request.getfixturevalue(name)
    ticket = services.route(
        submit(school, now=timezone.now()), actor=dina, role=ServiceRole.EJOURNAL_ADMIN, now=timezone.now()
    )
    before = list(ticket.events.values_list("kind", flat=True))
    client.force_login(request.getfixturevalue(persona))
    response = client.post(f"/desk/t/{ticket.number}/{action}/", data)
    after = list(ticket.events.values_list("kind", flat=True))
    if persona in allowed:
        assert response.status_code == 302 and len(after) == len(before) + 1
    else:
        visible = persona in {"dina", "galya", "egor", "elena", "dmitry"}
        assert response.status_code in ({400, 403} if visible else {404})
        assert after == before
        assert ticket.description not in response.content.decode() or persona in {
            "dina",
            "galya",
            "egor",
            "elena",
            "dmitry",
        }


@pytest.mark.parametrize("persona", ["dina", "galya", "egor", "tolya", "dmitry", "oscar"])
def test_psychologist_requests_reveal_nothing_to_others(client, request, school, persona) -> None:
    ticket = submit(
        school,
        now=timezone.now(),
        request_type=RequestType.PSYCHOLOGIST,
        description="Сын не спит ночами",
        author_name="Голубева Светлана Игоревна",
    )
    client.force_login(request.getfixturevalue(persona))
    response = client.get(f"/desk/t/{ticket.number}/")
    body = response.content.decode()
    assert response.status_code in {200, 404}
    assert "Сын не спит" not in body and "Голубева" not in body


def test_another_schools_head_sees_none_of_ours(client, school, oscar) -> None:
    ticket = submit(school, now=timezone.now())
    client.force_login(oscar)
    for path in PAGES:
        assert ticket.number not in client.get(path).content.decode()


# (action, form data, who may) for a request the e-journal admin has taken into work
IN_WORK_ACTIONS = [
    ("contact", {"outcome": "no_answer", "note": ""}, {"egor", "elena"}),
    ("note", {"text": "заметка"}, {"dina", "galya", "egor", "elena"}),
    ("resolve", {"channel": "email", "text": "ответ"}, {"egor", "elena"}),
    ("return", {"return-reason": "не по адресу"}, {"egor", "elena"}),
    ("extension", {"reason": "ждём", "proposed_due_at": "2030-01-01T10:00"}, {"egor"}),
    ("reassign", {"reassign-role": "technician"}, {"elena"}),
    ("take", {}, set()),
]


@pytest.mark.parametrize("persona", EVERYONE)
@pytest.mark.parametrize(("action", "data", "allowed"), IN_WORK_ACTIONS)
def test_actions_on_a_request_in_work(client, request, school, persona, action, data, allowed) -> None:
    for name in EVERYONE:
        request.getfixturevalue(name)
    dina, egor = request.getfixturevalue("dina"), request.getfixturevalue("egor")
    ticket = services.route(
        submit(school, now=timezone.now()), actor=dina, role=ServiceRole.EJOURNAL_ADMIN, now=timezone.now()
    )
    ticket = services.take(ticket, actor=egor, now=timezone.now())
    before = ticket.events.count()
    client.force_login(request.getfixturevalue(persona))
    response = client.post(f"/desk/t/{ticket.number}/{action}/", data)
    if persona in allowed:
        assert response.status_code == 302 and ticket.events.count() == before + 1
    else:
        # A button without a form ("take") is refused with a message on the page it came from.
        refused = {400, 403, 404} | ({302} if action == "take" else set())
        assert response.status_code in refused and ticket.events.count() == before


@pytest.mark.parametrize("persona", EVERYONE)
def test_only_the_head_decides_extensions(client, request, school, persona) -> None:
    for name in EVERYONE:
        request.getfixturevalue(name)
    dina, egor = request.getfixturevalue("dina"), request.getfixturevalue("egor")
    ticket = services.take(
        services.route(
            submit(school, now=timezone.now()), actor=dina, role=ServiceRole.EJOURNAL_ADMIN, now=timezone.now()
        ),
        actor=egor,
        now=timezone.now(),
    )
    services.request_extension(
        ticket, actor=egor, reason="ждём", now=timezone.now(), proposed_due_at=timezone.now() + timedelta(days=2)
    )
    client.force_login(request.getfixturevalue(persona))
    client.post(f"/desk/t/{ticket.number}/decide/", {"decide-decision": "approve"})
    ticket.refresh_from_db()
    assert ticket.resolve_extended is (persona == "elena")


@pytest.mark.parametrize("kind", ["technical", "ejournal", "lesson_quality", "psychologist", "other"])
@pytest.mark.parametrize("persona", EVERYONE)
def test_ticket_pages_by_type(client, request, school, kind, persona) -> None:
    """Which types each persona may open at all (404 otherwise), once routed by the table."""
    for name in EVERYONE:
        request.getfixturevalue(name)
    ticket = submit(school, now=timezone.now(), request_type=kind)
    if ticket.state == "received":
        from opora.domain.routing import suggest_role

        ticket = services.route(
            ticket, actor=request.getfixturevalue("dina"), role=suggest_role(kind), now=timezone.now()
        )
    role_of = {"technical": "tolya", "ejournal": "egor", "psychologist": "polina"}
    may_open = {"dina", "galya", "elena", "dmitry"} | ({role_of[kind]} if kind in role_of else set())
    client.force_login(request.getfixturevalue(persona))
    status = client.get(f"/desk/t/{ticket.number}/").status_code
    assert status == (200 if persona in may_open else 404)
