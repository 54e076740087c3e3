import io
import shutil
import subprocess
from pathlib import Path

from pypdf import PdfReader

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "reports"


def test_the_register_is_a_printable_russian_pdf(client, school, known, elena, tmp_path) -> None:
    client.force_login(elena)
    response = client.get("/reports/register.pdf", {"from": "2026-11-23", "to": "2026-11-23"})
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    page = reader.pages[0]
    assert page.mediabox.width > page.mediabox.height  # landscape
    text = " ".join(p.extract_text() for p in reader.pages)
    for expected in (
        "Журнал регистрации обращений",
        school.name,
        "с 23.11.2026 по 23.11.2026",
        known["a"].number,
        "Руководитель Службы",
        "конфиденциально",
        "Кузнецова Марина",
    ):
        assert expected in text, expected
    assert "Тревога перед ОГЭ" not in text and "Виноградова" not in text
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = ARTIFACTS / "register.pdf"
    pdf.write_bytes(response.content)
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(ARTIFACTS / "register")], check=True
        )
