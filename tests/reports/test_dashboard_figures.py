"""The dashboard's fortnight, counted in the school's own day: per day by type, resolved in time, and the heat map."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from opora.domain.enums import ReplyChannel, RequestType, ServiceRole
from opora.reports import dashboard
from opora.tickets import services

from ..factories import make_school, make_staff, submit

KOLKATA = ZoneInfo("Asia/Kolkata")  # half an hour off a whole hour: local days and hours must not come from UTC


def test_days_and_hours_are_the_schools_own(db) -> None:
    school = make_school("school9", timezone="Asia/Kolkata")
    dina = make_staff(school, "dina9", ServiceRole.SITE_ADMIN)
    egor = make_staff(school, "egor9", ServiceRole.EJOURNAL_ADMIN)
    late_evening = datetime(2026, 11, 23, 23, 40, tzinfo=KOLKATA)  # 18:10 UTC, a Monday
    early_morning = datetime(2026, 11, 24, 0, 10, tzinfo=KOLKATA)  # 18:40 UTC, the same UTC hour, a Tuesday
    resolved = services.route(
        submit(school, now=late_evening), actor=dina, role=ServiceRole.EJOURNAL_ADMIN, now=late_evening
    )
    resolved = services.take(resolved, actor=egor, now=late_evening + timedelta(minutes=5))
    services.resolve(resolved, actor=egor, channel=ReplyChannel.PHONE, text="ok", now=late_evening + timedelta(hours=2))
    submit(school, now=early_morning, request_type=RequestType.OTHER, phone="+7 916 000-00-02")
    submit(school, now=early_morning, request_type=RequestType.OTHER, phone="+7 916 000-00-03")
    now = early_morning + timedelta(hours=30)  # both of Tuesday's requests are past their 24 hours, open
    since = datetime(2026, 11, 20, tzinfo=KOLKATA)

    daily, compliance, heat = dashboard.activity(school, since, now)

    monday, tuesday = late_evening.date(), early_morning.date()
    assert {(d["day"], d["request_type"]): d["n"] for d in daily} == {
        (monday, RequestType.EJOURNAL): 1,
        (tuesday, RequestType.OTHER): 2,
    }
    assert [(c["day"], c["met"], c["breached"]) for c in compliance] == [(monday, 1, 0), (tuesday, 0, 2)]
    assert heat[0][23] == 1 and heat[1][0] == 2 and sum(map(sum, heat)) == 3
    assert (daily, compliance) == dashboard.daily_figures(school, since, now)
    assert heat == dashboard.heat_map(school, since)


def test_the_fortnight_is_one_query(db, school, django_assert_num_queries) -> None:
    for n in range(3):
        submit(school, phone=f"+7 916 000-00-1{n}")
    with django_assert_num_queries(1):
        dashboard.activity(school, datetime(2020, 1, 1, tzinfo=KOLKATA), datetime(2030, 1, 1, tzinfo=KOLKATA))
