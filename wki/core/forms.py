"""The shared form base: strips whitespace, and turns a service's error into a field error."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, PasswordField, SelectMultipleField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from wki.core.errors import ServiceError
from wki.core.text import strip_controls


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _clean_line(value: Any) -> Any:
    return strip_controls(value) if isinstance(value, str) else value


def _clean_lines(value: Any) -> Any:
    return strip_controls(value, multiline=True) if isinstance(value, str) else value


def _cleaner(field_class: type) -> Any:
    """Control characters (NUL ...) reach no column and no query, on any database: every text field loses
    them; a text area keeps tab and line breaks. A password is taken exactly as typed."""
    if issubclass(field_class, PasswordField):
        return None
    return _clean_lines if issubclass(field_class, TextAreaField) else _clean_line


class BaseForm(FlaskForm):
    class Meta:
        # WTForms' own messages ("This field is required.") in Dutch, from its bundled translations.
        locales = ("nl_NL", "nl")

        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Any:
            filters = list(options.get("filters") or unbound_field.kwargs.get("filters", []))
            if not unbound_field.kwargs.get("no_strip"):
                filters.insert(0, _strip)
            cleaner = _cleaner(unbound_field.field_class)
            if cleaner is not None:
                filters.insert(0, cleaner)
            if filters:
                options["filters"] = filters
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


INVALID_DATE = "Vul een geldige datum in, zoals 2026-03-29."
# Dates far outside this range overflow when a Dutch calendar day is turned into UTC bounds.
EARLIEST_DATE, LATEST_DATE = date(1900, 1, 1), date(2999, 12, 31)


def plausible_date(form: Any, field: Any) -> None:
    if field.data and not EARLIEST_DATE <= field.data <= LATEST_DATE:
        raise ValidationError("Vul een datum in tussen 1900 en 2999.")


def choices(first_label: str, options: list[tuple[str, str]]) -> list[SelectChoice]:
    """A select's options: an empty "all" option, then ``(value, label)`` pairs.

    SelectChoice, not tuples: WTForms 3.3 deprecates (value, label) tuples and the suite makes that
    warning an error.
    """
    return [SelectChoice("", first_label)] + [SelectChoice(value, label) for value, label in options]


class DayField(DateField):
    """A date field that accepts ISO or Dutch day-month-year, and always shows a valid date as ISO:
    the browser's date input shows nothing for any other form."""

    def _value(self) -> str:
        if self.data and not self.errors:
            return str(self.data.isoformat())
        return str(super()._value())


class ConfirmForm(BaseForm):
    """A POST with nothing but the CSRF token (log out, regenerate codes, revoke, confirm an action)."""

    confirm = BooleanField("Bevestig", default=True)


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes for a multiple choice (the field component renders it as a fieldset)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
