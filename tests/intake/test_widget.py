def test_the_script_is_served_for_any_site(client, school) -> None:
    response = client.get("/widget.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert b"data-school" in response.content


def test_the_config_names_the_button_and_hotline(client, school) -> None:
    data = client.get("/o/school5/widget.json").json()
    assert data["label"] == "Поддержка обучения в дистанционный период"
    assert data["hotline"] == school.hotline_phone
    assert data["form"].endswith("/o/school5/")


def test_only_the_schools_sites_may_frame_the_form(client, school) -> None:
    school.site_origins = "https://school5.example.ru\nhttps://www.school5.example.ru/"
    school.save()
    embedded = client.get("/o/school5/?embed=1")
    policy = embedded["Content-Security-Policy"]
    assert "frame-ancestors 'self' https://school5.example.ru https://www.school5.example.ru" in policy
    assert "default-src 'self'" in policy and "unsafe-inline" not in policy
    assert "X-Frame-Options" not in embedded
    plain = client.get("/o/school5/")
    assert plain["X-Frame-Options"] == "DENY" and "frame-ancestors 'none'" in plain["Content-Security-Policy"]
    assert client.get("/s/whatever/")["X-Frame-Options"] == "DENY"


def test_the_demo_page_carries_the_one_line_snippet(client, school) -> None:
    body = client.get("/widget/demo/").content.decode()
    assert 'data-school="school5"' in body and "/widget.js" in body
