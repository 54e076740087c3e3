def test_errors_are_explained_in_russian(client, school, settings) -> None:
    settings.DEBUG = False
    response = client.get("/desk/t/nope/")
    assert response.status_code == 302  # staff pages ask for a login first
    missing = client.get("/o/no-such-school/")
    assert missing.status_code == 404 and "Страница не найдена" in missing.content.decode()


def test_a_request_too_big_to_read_gets_a_russian_page(client, school, settings) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    response = client.post("/o/school5/", {f"f{n}": "x" for n in range(10)})
    assert response.status_code == 400
    assert "Запрос не удалось обработать" in response.content.decode()
