"""The head's figures and the staff lists are built through the ORM once per process; each run binds its
own school and moment, so every school and every minute gets its own answer."""

from datetime import timedelta

import pytest

from opora.common.shaped import ShapedQuery
from opora.desk import queries
from opora.domain.enums import ServiceRole
from opora.tickets import services
from opora.tickets.models import Ticket

from ..factories import T0, make_staff, submit


def _orm_counts(school, now):
    return sorted(queries._open_by_assignee(school.pk, now), key=lambda row: row["assignee"] or 0)


def test_each_school_and_moment_gets_its_own_figures(school, other_school, dina, egor) -> None:
    services.route(submit(school), actor=dina, role=ServiceRole.EJOURNAL_ADMIN, now=T0, assignee=egor)
    submit(school)
    submit(other_school)
    for place, now in [(school, T0), (school, T0 + timedelta(hours=30)), (other_school, T0 + timedelta(hours=1))]:
        shaped = sorted(queries._OPEN_BY_ASSIGNEE.rows(place.pk, now), key=lambda row: row["assignee"] or 0)
        assert shaped == _orm_counts(place, now)
    figures, people = queries.open_counts(school, T0 + timedelta(hours=30))
    assert (figures["received"], figures["routed"], figures["overdue"]) == (1, 1, 2)
    assert people[egor.pk] == {"open_count": 1, "in_work": 0, "overdue": 1}
    assert queries.open_counts(other_school, T0)[0]["received"] == 1


def test_the_statement_is_built_once(school, django_assert_num_queries) -> None:
    built = []

    def build(school_id, now):
        built.append(school_id)
        return Ticket.objects.filter(organisation_id=school_id, received_at__lte=now).values("number")

    query = ShapedQuery(build)
    submit(school)
    assert query.rows(school.pk, T0) == [{"number": Ticket.objects.get().number}]
    with django_assert_num_queries(1):
        assert query.rows(school.pk, T0 - timedelta(seconds=1)) == []
    assert len(built) == 1


def test_a_query_that_ignores_its_school_is_refused(db) -> None:
    query = ShapedQuery(lambda school_id, now: Ticket.objects.values("number"))
    with pytest.raises(ValueError, match="school"):
        query.rows(1, T0)


def test_staff_lists_name_the_schools_own_people_and_mark_the_specialists(
    school, other_school, dina, egor, elena
) -> None:
    make_staff(other_school, "oleg", ServiceRole.TECHNICIAN)
    people = {p.username: p for p in queries.people_of(school)}
    assert set(people) == {"dina", "egor", "elena"}
    assert people["egor"].get_full_name() == egor.get_full_name() and people["egor"].pk == egor.pk
    # The head handles requests routed to the head, so she is one of the specialists too.
    marked = [getattr(people[name], "is_specialist", None) for name in ("dina", "egor", "elena")]
    assert marked == [False, True, True]
    assert [p.username for p in queries.people_of(school, [ServiceRole.EJOURNAL_ADMIN])] == ["egor"]
    assert [p.username for p in queries.people_of(other_school)] == ["oleg"]
