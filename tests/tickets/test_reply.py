from datetime import timedelta

import pytest

from opora.domain.enums import ContactOutcome, ReplyChannel, ServiceRole, State
from opora.tickets import services
from opora.tickets.models import EventKind

from ..factories import T0, submit


@pytest.fixture
def in_work(school, dina, egor):
    ticket = services.route(submit(school), actor=dina, role=ServiceRole.EJOURNAL_ADMIN, now=T0)
    return services.take(ticket, actor=egor, now=T0 + timedelta(minutes=5))


def test_a_call_with_no_answer_goes_on_the_timeline(in_work, egor) -> None:
    services.log_contact(in_work, actor=egor, outcome=ContactOutcome.NO_ANSWER, note="", now=T0 + timedelta(minutes=9))
    event = in_work.events.last()
    assert (event.kind, event.data, event.actor) == (EventKind.CONTACT, {"outcome": "no_answer"}, egor)


def test_an_email_question_needs_a_text(in_work, egor) -> None:
    with pytest.raises(services.ServiceError):
        services.log_contact(in_work, actor=egor, outcome=ContactOutcome.EMAIL_SENT, note=" ", now=T0)


def test_notes_are_internal(in_work, egor) -> None:
    services.add_note(in_work, actor=egor, text="Проверить привязку в ЭЖД", now=T0 + timedelta(minutes=9))
    assert in_work.events.last().internal is True


def test_resolving_by_email_meets_the_resolution_clock(in_work, egor) -> None:
    at = T0 + timedelta(hours=3)
    done = services.resolve(in_work, actor=egor, channel=ReplyChannel.EMAIL, text="Привязали ребёнка.", now=at)
    assert (done.state, done.resolved_at, done.reply_channel, done.reply_text) == (
        State.RESOLVED,
        at,
        "email",
        "Привязали ребёнка.",
    )
    assert done.watch.watch_at is None
    assert done.events.last().data["preferred"] == "email"


def test_resolving_by_a_channel_without_contact_is_refused(school, dina, egor) -> None:
    ticket = services.route(submit(school, phone=""), actor=dina, role=ServiceRole.EJOURNAL_ADMIN, now=T0)
    ticket = services.take(ticket, actor=egor, now=T0)
    with pytest.raises(services.ServiceError) as caught:
        services.resolve(ticket, actor=egor, channel=ReplyChannel.PHONE, text="Ответили", now=T0)
    assert "channel" in caught.value.message_dict


def test_reopening_restarts_the_resolution_clock(in_work, egor, galya) -> None:
    done = services.resolve(in_work, actor=egor, channel=ReplyChannel.PHONE, text="Сказали по телефону", now=T0)
    back = T0 + timedelta(days=2)
    reopened = services.reopen(done, actor=galya, reason="Родитель перезвонил: не помогло", now=back)
    assert (reopened.state, reopened.assignee, reopened.reopen_count) == (State.IN_WORK, egor, 1)
    assert reopened.resolve_due_at == back + timedelta(hours=24)
    assert reopened.events.last().data["reply_channel"] == "phone"


def test_the_author_can_add_a_clarification(in_work) -> None:
    services.author_message(in_work, text="Забыла: у нас два ребёнка", now=T0 + timedelta(minutes=9))
    event = in_work.events.last()
    assert (event.kind, event.actor, event.actor_label) == (EventKind.AUTHOR_MESSAGE, None, in_work.author_name)


def test_a_withdrawn_request_takes_no_clarification(school, dina) -> None:
    ticket = services.withdraw(submit(school), actor=dina, reason="spam", now=T0)
    with pytest.raises(services.ServiceError):
        services.author_message(ticket, text="ещё", now=T0)
