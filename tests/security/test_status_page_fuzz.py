"""The author's status page: any token or message gives 200/302/400/404, never a 500; text stays text."""

from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opora.domain.enums import Channel
from opora.tickets import services

from ..factories import intake

text = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=200)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(token=text)
def test_any_token_is_a_bare_404_or_the_page(school, token) -> None:
    response = Client().get("/s/" + token.replace("/", "") + "/")
    assert response.status_code in {200, 404, 301}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(message=text, payload=st.sampled_from(["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"]))
def test_any_clarification_is_kept_as_text(school, message, payload) -> None:
    got = services.receive(school, intake(author_name=f"Иванова {payload}"), channel=Channel.WEB, now=timezone.now())
    client = Client()
    response = client.post(f"/s/{got.status_token}/", {"text": message + payload})
    assert response.status_code in {302, 400}
    page = client.get(f"/s/{got.status_token}/").content.decode()
    assert payload not in page


def test_a_status_link_opens_nothing_else(client, school) -> None:
    got = services.receive(school, intake(), channel=Channel.WEB, now=timezone.now())
    client.get(f"/s/{got.status_token}/")
    for path in (
        "/desk/",
        "/desk/dispatch/",
        f"/desk/t/{got.ticket.number}/",
        "/reports/",
        "/audit/access-log/",
        "/hotline/",
        "/notify/failed/",
    ):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
