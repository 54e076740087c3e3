def test_home_page_speaks_russian(client, school) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "ru"
    body = response.content.decode()
    assert '<html lang="ru">' in body
    assert "Поддержка обучения в дистанционный период" in body
    assert school.name in body


def test_english_is_available(client, school) -> None:
    response = client.get("/", headers={"accept-language": "en"})
    assert response.headers["Content-Language"] == "en"


def test_the_form_speaks_english_when_asked(client, school) -> None:
    body = client.get("/o/school5/", headers={"accept-language": "en"}).content.decode()
    assert "Support for learning in the distance period" in body and "Send the request" in body
