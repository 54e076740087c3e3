"""Attachments: the content type is decided by the file's bytes, never by its name or the browser."""

from typing import Any

from django.utils.translation import gettext as _

MAX_FILES = 3
MAX_BYTES = 5 * 1024 * 1024

_SIGNATURES: list[tuple[bytes, int, str]] = [
    (b"\x89PNG\r\n\x1a\n", 0, "image/png"),
    (b"\xff\xd8\xff", 0, "image/jpeg"),
    (b"GIF87a", 0, "image/gif"),
    (b"GIF89a", 0, "image/gif"),
    (b"%PDF-", 0, "application/pdf"),
]


class UploadError(ValueError):
    pass


def sniff(head: bytes) -> str | None:
    for magic, offset, content_type in _SIGNATURES:
        if head[offset : offset + len(magic)] == magic:
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def check_upload(upload: Any) -> str:
    if upload.size > MAX_BYTES:
        raise UploadError(_("Файл «%(name)s» больше 5 МБ.") % {"name": upload.name})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content_type = sniff(head)
    if content_type is None:
        raise UploadError(
            _("Файл «%(name)s» не похож на изображение или PDF. Приложите скриншот (PNG, JPEG) или PDF.")
            % {"name": upload.name}
        )
    upload.sniffed_type = content_type
    return content_type
