"""What a list row writes: the link to the request, its time and a short line of its text."""

from datetime import timedelta

from django.urls import reverse, set_script_prefix
from django.utils import timezone

from opora.desk.templatetags.desk import ticket_url

from ..factories import submit


def test_a_long_text_is_cut_to_one_line_with_an_ellipsis(client, school, elena) -> None:
    long_text = "Не открывается урок в электронном журнале, " * 10
    ticket = submit(school, now=timezone.now() - timedelta(minutes=5), description=long_text)
    client.force_login(elena)
    body = client.get("/desk/control/").content.decode()
    shown = long_text.strip()[:159].rstrip() + "…"
    assert shown in body and long_text.strip() not in body
    assert f'href="{reverse("desk:ticket", args=[ticket.number])}"' in body
    local = timezone.localtime(ticket.received_at, school.zone)
    assert local.strftime("%d.%m %H:%M") in body


def test_a_short_text_is_shown_whole(client, school, elena) -> None:
    submit(school, description="Нет звука на уроке")
    client.force_login(elena)
    assert "Нет звука на уроке</div>" in client.get("/desk/control/").content.decode()


def test_the_link_follows_the_prefix_the_site_is_served_under() -> None:
    try:
        set_script_prefix("/opora/")
        assert ticket_url("2026-000007") == "/opora/desk/t/2026-000007/"
    finally:
        set_script_prefix("/")
    assert ticket_url("2026-000007") == reverse("desk:ticket", args=["2026-000007"])
