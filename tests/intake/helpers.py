from datetime import timedelta
from typing import Any

from django.utils import timezone

from opora.intake.forms import sign_started


def form_data(**overrides: Any) -> dict[str, Any]:
    """What a parent types into the form, submitted well after the page was opened."""
    data: dict[str, Any] = {
        "author_name": "Кузнецова Марина Сергеевна",
        "author_role": "parent",
        "school_class": "3б",
        "request_type": "technical",
        "description": "Задания в «Моей школе» не открываются с телефона.",
        "phone": "8 (903) 555-12-34",
        "email": "",
        "preferred_reply": "phone",
        "consent": "on",
        "website": "",
        "started": sign_started(timezone.now() - timedelta(seconds=40)),
    }
    data.update(overrides)
    return data
