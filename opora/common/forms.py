"""Forms that screen readers understand: every error is linked to its field and the field marked invalid."""

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
