from datetime import timedelta

from opora.reports.figures import clause_report
from opora.tickets.models import Ticket


def test_each_clause_has_its_exact_figures(school, known) -> None:
    report = clause_report(Ticket.objects.filter(organisation=school), school, known["now"])
    assert report.dispatch == {
        "total": 5,
        "routed": 4,
        "met": 3,
        "breached": 2,
        "share": 75.0,
        "median": timedelta(minutes=10),
        "p90": timedelta(minutes=30, seconds=1),
    }
    assert report.take == {"total": 4, "met": 3, "breached": 1, "share": 75.0}
    assert {k: report.resolve[k] for k in ("met", "extended", "breached", "total", "share")} == {
        "met": 1,
        "extended": 1,
        "breached": 3,
        "total": 5,
        "share": 40.0,
    }
    assert (report.resolve["requested"], report.resolve["approved"], report.resolve["rejected"]) == (1, 1, 0)
    assert report.reply == {"resolved": 3, "preferred": 2, "share": 66.7, "phone": 1, "email": 2}


def test_the_boundary_is_30_minutes_exactly(school, known) -> None:
    a, b = known["a"], known["b"]
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.first_routed_at - a.received_at == timedelta(minutes=30)
    assert b.first_routed_at - b.received_at == timedelta(minutes=30, seconds=1)


def test_a_filtered_report_counts_only_its_rows(school, known) -> None:
    from opora.desk.filters import filter_tickets

    qs = filter_tickets(Ticket.objects.filter(organisation=school), {"type": "psychologist"}, known["now"], school)
    report = clause_report(qs, school, known["now"])
    assert (report.dispatch["total"], report.dispatch["met"], report.resolve["breached"]) == (1, 1, 1)
