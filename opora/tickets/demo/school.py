"""A demo school with one person per role of the Service (§2.2–2.3) and the director."""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.utils import timezone

from opora.accounts.models import ConsentText, Membership, Organisation
from opora.domain.enums import ServiceRole

DEMO_PASSWORD = "opora-demo"
CONSENT_TEXT = (
    "Я даю согласие оператору — МБОУ «Средняя общеобразовательная школа № 5» — на обработку моих "
    "персональных данных (ФИО, роль, класс, телефон, адрес электронной почты, текст обращения), а если "
    "я родитель — и данных моего ребёнка, с целью рассмотрения обращения в службу сопровождения "
    "дистанционного обучения. Действия: сбор, запись, хранение, использование, обезличивание, удаление. "
    "Срок: 1 год после ответа на обращение. Отозвать согласие можно, позвонив на горячую линию или "
    "написав в школу; после отзыва данные будут обезличены."
)


@dataclass(frozen=True)
class DemoPerson:
    username: str
    first_name: str
    last_name: str
    roles: tuple[ServiceRole, ...]


PEOPLE = (
    DemoPerson("site_admin", "Андрей", "Орлов", (ServiceRole.SITE_ADMIN,)),
    DemoPerson("hotline", "Галина", "Сергеева", (ServiceRole.HOTLINE,)),
    DemoPerson("ejournal", "Виктор", "Ермаков", (ServiceRole.EJOURNAL_ADMIN,)),
    DemoPerson("tech", "Олег", "Тарасов", (ServiceRole.TECHNICIAN,)),
    DemoPerson("tech2", "Илья", "Крылов", (ServiceRole.TECHNICIAN,)),
    DemoPerson("psychologist", "Мария", "Белова", (ServiceRole.PSYCHOLOGIST,)),
    DemoPerson("head", "Елена", "Захарова", (ServiceRole.HEAD,)),
    DemoPerson("director", "Николай", "Степанов", (ServiceRole.DIRECTOR,)),
)


def create_school(slug: str = "school5") -> Organisation:
    org, _ = Organisation.objects.get_or_create(
        slug=slug,
        defaults={
            "name": "МБОУ «Средняя общеобразовательная школа № 5»",
            "short_name": "Школа № 5",
            "timezone": "Europe/Moscow",
            "hotline_phone": "+7 (495) 123-45-67",
            "site_origins": "http://127.0.0.1:8001\nhttp://localhost:8001",
        },
    )
    ConsentText.objects.get_or_create(
        organisation=org, version="1", defaults={"text": CONSENT_TEXT, "published_at": timezone.now()}
    )
    return org


def create_staff(org: Organisation, password: str = DEMO_PASSWORD) -> dict[str, object]:
    users: dict[str, object] = {}
    user_model = get_user_model()
    for person in PEOPLE:
        user, created = user_model.objects.get_or_create(
            username=person.username,
            defaults={
                "first_name": person.first_name,
                "last_name": person.last_name,
                "email": f"{person.username}@school5.example.ru",
            },
        )
        if created:
            user.set_password(password)
            user.save()
        for role in person.roles:
            Membership.objects.get_or_create(
                user=user,
                organisation=org,
                role=role,
                defaults={"order_number": "45-о", "order_date": date(2026, 9, 1)},
            )
        users[person.username] = user
    return users
