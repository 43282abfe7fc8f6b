"""Cleaning text that comes in from outside before it reaches a column or a query.

The same rules on every database: SQLite stores a NUL byte, a lone surrogate or an over-long value
where PostgreSQL refuses them with an error, so every input is cleaned here first. C0 control
characters (and DEL) go, except tab and line breaks where a field allows several lines; a lone
surrogate (``"\\ud800"`` from JSON) cannot be stored as UTF-8 at all and is refused by the callers.
"""

from __future__ import annotations

import re

from wki.core.errors import ServiceError

# C0 controls and DEL, apart from tab, line feed and carriage return.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Also tab and line breaks: for single-line values.
CONTROL_ANY = re.compile(r"[\x00-\x1f\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")

SEARCH_MAX_LENGTH = 200


def strip_controls(value: str, *, multiline: bool = False) -> str:
    """``value`` without control characters; a single-line value gets a space for a tab or line break."""
    if multiline:
        return CONTROL.sub("", value) if CONTROL.search(value) else value
    if not CONTROL_ANY.search(value):
        return value
    return CONTROL.sub("", value).replace("\r\n", " ").translate(_SPACES)


_SPACES = str.maketrans({"\t": " ", "\n": " ", "\r": " "})


def is_storable(value: str) -> bool:
    """False for text that is no valid Unicode scalar sequence (a lone surrogate): not encodable as UTF-8."""
    return not _SURROGATE.search(value)


def clean_search(value: str | None, max_length: int = SEARCH_MAX_LENGTH) -> str:
    """A search term as a query may use it: control characters and lone surrogates gone, trimmed and
    at most ``max_length`` characters."""
    if not value:
        return ""
    value = _SURROGATE.sub("", strip_controls(value))
    return " ".join(value.split())[:max_length].strip()


def clean_text(text: str | None, *, limit: int, what: str, field: str | None = None) -> str:
    """Text as people typed it, fit to store and print: control characters gone (line breaks and tabs stay),
    trimmed, at most ``limit`` characters; text that is no valid Unicode is refused (Dutch, naming ``what``)."""
    if text and not is_storable(text):
        raise ServiceError(f"{what} bevat een ongeldig teken (geen geldige Unicode).", field=field)
    value = strip_controls(text or "", multiline=True).strip()
    if len(value) > limit:
        raise ServiceError(f"{what} is te lang ({len(value)} tekens; hoogstens {limit}).", field=field)
    return value
