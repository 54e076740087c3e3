"""Risk signals in a psychologist request: plain text matching on normalised Russian words and stems."""

import re

from opora.accounts.models import Organisation

from .models import DEFAULT_RISK_WORDS, RiskWords


def normalise(text: str) -> str:
    return re.sub(r"[^\w\s]", " ", text.lower().replace("ё", "е")).replace("  ", " ")


def phrases(organisation: Organisation) -> list[str]:
    words = RiskWords.objects.filter(organisation=organisation).values_list("words", flat=True).first()
    source = DEFAULT_RISK_WORDS if words is None else words
    found = (" ".join(normalise(line).split()) for line in source.splitlines() if line.strip())
    return list(dict.fromkeys(found))  # ё and е spellings of one word count once


def matches(text: str, patterns: list[str]) -> list[str]:
    """A pattern matches at the start of a word, so a stem («самоубий») covers its endings."""
    haystack = " " + " ".join(normalise(text).split()) + " "
    return [p for p in patterns if re.search(r"(?<![\w])" + re.escape(" ".join(p.split())), haystack)]
