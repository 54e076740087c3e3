from django.contrib.auth import get_user_model

from .factories import PASSWORD


def test_logging_in_and_out(client, school, dina) -> None:
    assert client.post("/accounts/login/", {"username": "dina", "password": PASSWORD})["Location"] == "/desk/"
    assert client.get("/desk/dispatch/").status_code == 200
    response = client.post("/accounts/logout/")
    assert response["Location"] == "/accounts/login/"
    assert client.get("/desk/dispatch/")["Location"].startswith("/accounts/login/")


def test_a_wrong_password_is_explained_in_russian(client, school, dina) -> None:
    body = client.post("/accounts/login/", {"username": "dina", "password": "нет"}).content.decode()
    assert "Пожалуйста, введите правильные имя пользователя и пароль" in body


def test_the_admin_configures_schools_routing_and_memberships(client, school) -> None:
    admin = get_user_model().objects.create_superuser("root", "root@example.ru", PASSWORD)
    client.force_login(admin)
    for path in (
        "/admin/accounts/organisation/",
        f"/admin/accounts/organisation/{school.pk}/change/",
        "/admin/accounts/membership/",
        "/admin/tickets/ticket/",
    ):
        assert client.get(path).status_code == 200
    page = client.get(f"/admin/accounts/organisation/{school.pk}/change/").content.decode()
    for field in ("auto_routing", "dispatch_minutes", "calendar_policy", "routing_rules", "consent_texts"):
        assert field in page
