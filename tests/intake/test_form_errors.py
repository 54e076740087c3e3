import pytest

from opora.tickets.models import Ticket

from .helpers import form_data


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"school_class": "13Я"}, "school_class", "Класс указан неверно"),
        ({"school_class": ""}, "school_class", "Укажите класс"),
        ({"phone": "позвоните мне"}, "phone", "Не удалось распознать номер телефона"),
        ({"phone": "", "email": ""}, "phone", "Укажите телефон или электронную почту"),
        ({"description": ""}, "description", "Опишите проблему"),
        ({"description": "я" * 4001}, "description", "не более 4000 символов"),
        ({"consent": ""}, "consent", "Без согласия"),
        ({"email": "мама@", "phone": ""}, "email", "Адрес электронной почты указан неверно"),
        ({"preferred_reply": "email"}, "email", "укажите адрес электронной почты"),
        ({"author_name": ""}, "author_name", "Укажите ФИО"),
        ({"author_role": ""}, "author_role", "Выберите, кем Вы являетесь"),
    ],
)
def test_each_problem_is_shown_next_to_its_field_with_input_kept(client, school, overrides, field, message) -> None:
    data = form_data(**overrides)
    response = client.post("/o/school5/", data)
    body = response.content.decode()
    assert response.status_code == 400
    assert message in str(response.context["form"].errors[field])
    assert f'id="id_{field}-error"' in body
    assert 'role="alert"' in body
    if data["author_name"]:
        assert data["author_name"] in body
    assert not Ticket.objects.exists()


def test_a_field_with_an_error_points_to_its_message(client, school) -> None:
    body = client.post("/o/school5/", form_data(phone="123")).content.decode()
    assert 'aria-describedby="id_phone-error"' in body and 'aria-invalid="true"' in body


def test_an_oversized_request_gets_a_clear_page(client, school) -> None:
    response = client.post("/o/school5/", form_data(), CONTENT_LENGTH=str(17 * 1024 * 1024))
    assert response.status_code == 413
    assert "каждый не больше 5 МБ" in response.content.decode()
