import pytest

from opora.domain.classes import InvalidClass, normalize_class
from opora.domain.contacts import InvalidPhone, display_phone, normalize_phone
from opora.domain.numbering import ticket_number


@pytest.mark.parametrize(
    ("raw", "normal"),
    [("7б", "7Б"), ("7 Б", "7Б"), ("7-б", "7Б"), (" 11а ", "11А"), ("3B", "3В"), ("10 «в» класс", "10В"), ("1ё", "1Е")],
)
def test_classes_are_normalised(raw: str, normal: str | None) -> None:
    if normal is None:
        with pytest.raises(InvalidClass):
            normalize_class(raw)
    else:
        assert normalize_class(raw) == normal


@pytest.mark.parametrize("raw", ["13Я", "0А", "7", "Б", "7ББ", "", "7Ъ", "12А"])
def test_unknown_classes_are_refused(raw: str) -> None:
    with pytest.raises(InvalidClass):
        normalize_class(raw)


@pytest.mark.parametrize(
    "raw", ["+7 916 123-45-67", "8 (916) 123-45-67", "89161234567", "+79161234567", "7 916 123 45 67"]
)
def test_russian_phone_formats_are_accepted(raw: str) -> None:
    assert normalize_phone(raw) == "+79161234567"


@pytest.mark.parametrize("raw", ["123", "позвоните мне", "+7 916 123", "8 800"])
def test_unparseable_phones_are_refused(raw: str) -> None:
    with pytest.raises(InvalidPhone):
        normalize_phone(raw)


def test_a_number_asked_for_again_gets_the_same_answer() -> None:
    """Remembered answers: the same result for the same text and region, and a refusal is never remembered."""
    assert [normalize_phone("8 (916) 123-45-67") for _ in range(3)] == ["+79161234567"] * 3
    assert normalize_phone("202 555 0143", "US") == "+12025550143"
    with pytest.raises(InvalidPhone):  # the same text read as a Russian number
        normalize_phone("202 555 0143")
    for _ in range(2):
        with pytest.raises(InvalidPhone):
            normalize_phone("8 800")
    assert normalize_phone.cache_info().maxsize == 64


def test_phones_are_shown_in_international_format() -> None:
    assert display_phone("+79161234567") == "+7 916 123-45-67"


def test_ticket_numbers_are_human_friendly() -> None:
    assert ticket_number(2026, 123) == "2026-000123"
