"""Forms that screen readers understand: every error is linked to its field and the field marked invalid."""

import copy
from typing import Any

from django import forms

_TEXTUAL = (
    forms.TextInput,
    forms.EmailInput,
    forms.Textarea,
    forms.DateTimeInput,
    forms.NumberInput,
    forms.PasswordInput,
    forms.DateInput,
    forms.URLInput,
)


class FixedChoiceField(forms.ChoiceField):
    """A choice among constants given with the form's class. Django copies a choice field's choices into each
    new form twice, a deep copy of every label for the field and a fresh normalised list for its widget; these
    never change once the class is defined, so every form's copy shares them. Giving one form's field other
    choices (an assignment, as Django's own code does) changes that form alone."""

    def __deepcopy__(self, memo: dict[int, Any]) -> "FixedChoiceField":
        # What Field.__deepcopy__ does, with the widget copied as a plain object instead of through
        # ChoiceWidget.__deepcopy__, whose assignment of its choices normalises them again.
        copied = copy.copy(self)
        memo[id(self)] = copied
        copied.widget = copy.copy(self.widget)
        copied.widget.attrs = self.widget.attrs.copy()
        copied.error_messages = self.error_messages.copy()
        copied.validators = self.validators[:]
        return copied


class AccessibleFormMixin:
    fields: dict[str, forms.Field]
    _errors: Any

    def style_widgets(self) -> None:
        # Reads `_errors`, not `errors`, so styling never triggers validation early.
        errors = self._errors or {}
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.Select) and not isinstance(widget, forms.RadioSelect):
                widget.attrs.setdefault("class", "form-select")
            elif isinstance(widget, _TEXTUAL):
                widget.attrs.setdefault("class", "form-control")
            described = [f"id_{name}-help"] if field.help_text else []
            if name in errors:
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"
                widget.attrs["aria-invalid"] = "true"
                described.insert(0, f"id_{name}-error")
            if described:
                widget.attrs["aria-describedby"] = " ".join(described)

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        self.style_widgets()
