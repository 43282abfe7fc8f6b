"""The shared form base: strips whitespace, and turns a service's error into a field error."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm

from wki.core.errors import ServiceError


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class BaseForm(FlaskForm):
    class Meta:
        # WTForms' own messages ("This field is required.") in Dutch, from its bundled translations.
        locales = ("nl_NL", "nl")

        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Any:
            if not unbound_field.kwargs.get("no_strip"):
                options["filters"] = [_strip, *unbound_field.kwargs.get("filters", [])]
            unbound_field.kwargs.pop("no_strip", None)
            return unbound_field.bind(form=form, **options)

    def apply_service_error(self, exc: ServiceError) -> None:
        """Show a ServiceError next to its field (or at the top of the form when it has none)."""
        field = getattr(self, exc.field, None) if exc.field else None
        if field is not None:
            field.errors = [*field.errors, exc.message]
        else:
            self.form_errors.append(exc.message)

    @property
    def all_errors(self) -> list[tuple[str | None, str]]:
        """(field id or None, message) for the error summary, in form order."""
        result: list[tuple[str | None, str]] = [(None, msg) for msg in self.form_errors]
        for field in self:
            for msg in field.errors:
                result.append((field.id, msg))
        return result
