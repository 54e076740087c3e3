"""School classes as written by families: «7б», «7 Б», «7-b» all mean 7Б."""

import re

LETTERS = "АБВГДЕЖЗИКЛМНОПРСТУФХЦЧШЭЮЯ"
_LATIN_LOOKALIKES = str.maketrans("ABEKMHOPCTYX", "АВЕКМНОРСТУХ")
_PATTERN = re.compile(r"^\s*(\d{1,2})\s*[-\s«\"']*\s*([^\W\d_])\s*[»\"']?\s*(?:КЛАСС|КЛ\.?)?\s*$")


class InvalidClass(ValueError):
    pass


def normalize_class(raw: str) -> str:
    match = _PATTERN.match(raw.strip().upper().replace("Ё", "Е"))
    if not match:
        raise InvalidClass(raw)
    grade = int(match.group(1))
    letter = match.group(2).translate(_LATIN_LOOKALIKES)
    if not 1 <= grade <= 11 or letter not in LETTERS:
        raise InvalidClass(raw)
    return f"{grade}{letter}"
