import pytest
from django.utils import timezone

from opora.audit.risk import matches, phrases
from opora.notify.models import Outbox
from opora.tickets.models import EventKind

from ..factories import submit

POSITIVE = [
    "Ученик 7Б в чате пишет, что ему «всё надоело», нужна консультация психолога срочно.",
    "Дочь говорит, что не хочет жить.",
    "Сына бьют одноклассники после уроков",
    "Подросток пишет про самоубийство",
]
NEGATIVE = [
    "Мне тревожно из-за ОГЭ, не могу сосредоточиться, хочу поговорить с психологом.",
    "Дочь плачет перед каждым онлайн-уроком, отказывается включать камеру.",
    "Надоело, что звонок в Сферуме всё время обрывается",  # a technical complaint, not a risk
    "Ребёнок хочет жить в режиме без гаджетов, посоветуйте",
]


@pytest.mark.parametrize("text", POSITIVE)
def test_risk_signals_are_found(school, text) -> None:
    assert matches(text, phrases(school))


@pytest.mark.parametrize("text", NEGATIVE)
def test_clear_negatives_are_not(school, text) -> None:
    assert matches(text, phrases(school)) == []


def test_a_risky_psychologist_request_is_urgent_and_tells_psychologist_and_head(school, polina, elena, dina) -> None:
    ticket = submit(school, now=timezone.now(), request_type="psychologist", description=POSITIVE[0])
    ticket.refresh_from_db()
    assert ticket.urgent
    event = ticket.events.get(kind=EventKind.FLAGGED_URGENT)
    assert event.internal and event.data["signals"] == ["все надоело"]
    urgent = set(Outbox.objects.filter(kind="urgent").values_list("recipient", flat=True))
    assert urgent == {polina.email, elena.email}


def test_other_types_are_never_flagged(school) -> None:
    assert not submit(school, request_type="technical", description=POSITIVE[1]).urgent


def test_the_author_never_sees_the_judgement(client, school) -> None:
    from opora.domain.enums import Channel
    from opora.tickets import services

    from ..factories import intake

    got = services.receive(
        school, intake(request_type="psychologist", description=POSITIVE[1]), channel=Channel.WEB, now=timezone.now()
    )
    body = client.get(f"/s/{got.status_token}/").content.decode()
    assert "срочн" not in body.lower() and "риск" not in body.lower()


def test_urgent_requests_go_first_in_the_queue(client, school, polina) -> None:
    calm = submit(school, now=timezone.now(), request_type="psychologist", description=NEGATIVE[0])
    risky = submit(school, now=timezone.now(), request_type="psychologist", description=POSITIVE[2])
    client.force_login(polina)
    rows = client.get("/desk/mine/").context["rows"]
    assert [r["ticket"] for r in rows] == [risky, calm]


def test_the_head_edits_the_list(client, school, elena) -> None:
    client.force_login(elena)
    client.post("/audit/risk-words/", {"words": "кибербуллинг"})
    assert matches("Это кибербуллинг в чате класса", phrases(school))
    assert matches("Ему всё надоело", phrases(school)) == []
