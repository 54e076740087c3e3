import pytest


@pytest.mark.parametrize("persona", ["dina", "galya", "egor", "tolya", "polina"])
def test_only_the_head_and_director_see_reports(client, request, school, persona) -> None:
    client.force_login(request.getfixturevalue(persona))
    for path in (
        "/reports/",
        "/reports/clauses/",
        "/reports/export/",
        "/reports/register.pdf",
        "/reports/charts/by-day.svg",
    ):
        assert client.get(path).status_code == 403


def test_anonymous_people_are_sent_to_log_in(client, school) -> None:
    assert client.get("/reports/")["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("persona", ["elena", "dmitry"])
def test_the_head_and_director_see_the_dashboard(client, request, school, known, persona) -> None:
    client.force_login(request.getfixturevalue(persona))
    response = client.get("/reports/")
    assert response.status_code == 200
    assert response.context["counts"]["waiting"] == 1


@pytest.mark.parametrize("rows", [0, 1])
def test_the_dashboard_costs_a_fixed_number_of_queries(client, school, elena, rows, django_assert_num_queries) -> None:
    from ..factories import submit

    for _ in range(rows * 20):
        submit(school)
    client.force_login(elena)
    client.get("/reports/")
    with django_assert_num_queries(11):  # the specialists' load is two: who they are, then the open requests
        client.get("/reports/")


def test_charts_are_svg_without_external_scripts(client, school, known, elena) -> None:
    client.force_login(elena)
    for name in ("by-day", "compliance"):
        response = client.get(f"/reports/charts/{name}.svg")
        body = response.content.decode()
        assert response["Content-Type"].startswith("image/svg+xml")
        assert "<svg" in body and "http://kozea" not in body and "<script" not in body


def test_every_clause_figure_links_to_the_tickets_behind_it(client, school, known, elena) -> None:
    client.force_login(elena)
    body = client.get("/reports/clauses/", {"from": "2026-11-23", "to": "2026-11-23"}).content.decode()
    assert "/desk/control/?from=2026-11-23&amp;to=2026-11-23&amp;dispatch=breached" in body
    listed = client.get("/desk/control/", {"from": "2026-11-23", "to": "2026-11-23", "resolve": "extended"})
    assert [r["ticket"].number for r in listed.context["rows"]] == [known["c"].number]


def test_the_report_filters_by_role_and_specialist(client, school, known, elena, egor) -> None:
    client.force_login(elena)
    response = client.get("/reports/clauses/", {"from": "2026-11-23", "to": "2026-11-23", "assignee": egor.pk})
    assert response.context["report"].dispatch["total"] == 3
    by_role = client.get("/reports/clauses/", {"from": "2026-11-23", "to": "2026-11-23", "role": "psychologist"})
    assert by_role.context["report"].dispatch["total"] == 1
    assert 'id="r-role"' in by_role.content.decode() and 'id="r-assignee"' in by_role.content.decode()
