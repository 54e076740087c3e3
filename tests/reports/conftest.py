from datetime import timedelta

import pytest

from opora.domain.enums import ReplyChannel, RequestType, ServiceRole
from opora.tickets import services

from ..factories import T0, submit


@pytest.fixture
def known(school, dina, egor, polina, elena):
    """Five requests with exact timestamps, so every figure has a known answer.

    a: routed at 30:00 (met), taken at +10 min (met), resolved at 23 h by e-mail (preferred) → met
    b: routed at 30:01 (breached), taken at +31 min (breached), resolved at 25 h by phone (not preferred) → breached
    c: routed at 10 min, taken, extension approved to 30 h, resolved at 29 h → met after extension
    d: psychologist request, auto-routed at receipt, taken at 5 min, still open at 48 h → resolution breached
    e: never routed, open at 48 h → dispatch breached, no take clock
    """
    m = lambda minutes: T0 + timedelta(minutes=minutes)  # noqa: E731
    a = services.route(submit(school), actor=dina, role=ServiceRole.EJOURNAL_ADMIN, now=m(30))
    a = services.take(a, actor=egor, now=m(40))
    services.resolve(a, actor=egor, channel=ReplyChannel.EMAIL, text="ok", now=m(23 * 60))
    b = services.route(submit(school), actor=dina, role=ServiceRole.EJOURNAL_ADMIN, now=m(30) + timedelta(seconds=1))
    b = services.take(b, actor=egor, now=m(62))
    services.resolve(b, actor=egor, channel=ReplyChannel.PHONE, text="ok", now=m(25 * 60))
    c = services.take(
        services.route(submit(school), actor=dina, role=ServiceRole.EJOURNAL_ADMIN, now=m(10)), actor=egor, now=m(15)
    )
    ext = services.request_extension(c, actor=egor, reason="ждём", proposed_due_at=m(30 * 60), now=m(20 * 60))
    services.decide_extension(ext, actor=elena, approve=True, now=m(21 * 60))
    services.resolve(c, actor=egor, channel=ReplyChannel.EMAIL, text="ok", now=m(29 * 60))
    d = submit(
        school, request_type=RequestType.PSYCHOLOGIST, description="Тревога перед ОГЭ", author_name="Виноградова Полина"
    )
    services.take(d, actor=polina, now=m(5))
    e = submit(school, request_type=RequestType.OTHER, school_class="7б")
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "now": m(48 * 60)}
