from django.core.files.uploadedfile import SimpleUploadedFile

from opora.intake.models import Attachment
from opora.tickets.models import Ticket

from ..factories import PASSWORD
from .helpers import form_data

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n" + b"0" * 64


def upload(name: str, content: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_screenshots_are_kept_with_the_request(client, school, settings, tmp_path) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    files = [upload("экран.png", PNG), upload("справка.pdf", PDF, "application/pdf")]
    response = client.post("/o/school5/", {**form_data(), "attachments": files})
    assert response.status_code == 302
    stored = list(Attachment.objects.order_by("id").values_list("original_name", "content_type", "size"))
    assert stored == [("экран.png", "image/png", len(PNG)), ("справка.pdf", "application/pdf", len(PDF))]
    assert all(str(tmp_path) in a.file.path for a in Attachment.objects.all())


def test_the_type_is_decided_by_the_bytes_not_the_name(client, school) -> None:
    response = client.post(
        "/o/school5/", {**form_data(), "attachments": [upload("photo.png", b"<script>alert(1)</script>")]}
    )
    assert response.status_code == 400
    assert "не похож на изображение или PDF" in response.content.decode()
    assert not Ticket.objects.exists()


def test_at_most_three_files(client, school) -> None:
    files = [upload(f"{n}.png", PNG) for n in range(4)]
    response = client.post("/o/school5/", {**form_data(), "attachments": files})
    assert "не более 3 файлов" in response.content.decode()


def test_files_over_5_mb_are_refused(client, school) -> None:
    big = upload("big.png", PNG + b"\x00" * (5 * 1024 * 1024))
    response = client.post("/o/school5/", {**form_data(), "attachments": [big]})
    assert "больше 5 МБ" in response.content.decode()


def test_only_staff_who_see_the_ticket_can_download(client, school, egor, tolya, settings, tmp_path) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    client.post("/o/school5/", {**form_data(request_type="ejournal"), "attachments": [upload("a.png", PNG)]})
    item = Attachment.objects.get()
    from opora.domain.enums import ServiceRole
    from opora.tickets import services

    services.route(item.ticket, actor=None, role=ServiceRole.EJOURNAL_ADMIN, now=item.ticket.received_at)
    url = f"/attachments/{item.pk}/"
    assert client.get(url).status_code == 302  # to the login page
    client.login(username="tolya", password=PASSWORD)
    assert client.get(url).status_code == 404
    client.login(username="egor", password=PASSWORD)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PNG
