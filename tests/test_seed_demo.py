from io import StringIO

from django.core.management import call_command
from django.db.models import Count

from opora.domain.enums import ServiceRole, State
from opora.tickets.models import Ticket, TicketEvent


def test_it_seeds_a_school_with_every_role_and_state(db, settings) -> None:
    settings.DEMO_MODE = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    states = dict(Ticket.objects.values_list("state").annotate(n=Count("id")))
    assert set(states) == {str(s) for s in State}
    assert sum(states.values()) == 50
    assert TicketEvent.objects.count() > 100
    from opora.accounts.models import Membership

    assert {ServiceRole(r) for r in Membership.objects.values_list("role", flat=True)} == set(ServiceRole)
    assert "opora-demo" in out.getvalue()


def test_a_second_run_reuses_the_data(db, settings) -> None:
    settings.DEMO_MODE = True
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    assert Ticket.objects.count() == 50


def test_it_refuses_outside_demo_mode(db, settings) -> None:
    import pytest
    from django.core.management.base import CommandError

    settings.DEMO_MODE = False
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=StringIO())
