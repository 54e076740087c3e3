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
