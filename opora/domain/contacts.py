"""Phone numbers as Russian families write them, normalised to E.164."""

from functools import lru_cache

import phonenumbers


class InvalidPhone(ValueError):
    pass


# A submit's number is checked by the form, the service's rules, the screening and the write in turn; parsing
# it is the slowest step of each. Only the last few numbers are kept, and only in this process.
@lru_cache(maxsize=64)
def normalize_phone(raw: str, region: str = "RU") -> str:
    text = raw.strip()
    digits = "".join(ch for ch in text if ch.isdigit())
    # «8 (903) …» is the domestic trunk prefix, not a country code.
    if region == "RU" and len(digits) == 11 and digits.startswith("8") and not text.startswith("+"):
        text = "+7" + digits[1:]
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhone(raw) from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone(raw)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
