"""Dates, numbers and amounts written the Dutch way; the one helper every template and PDF uses."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date as _fd
from babel.dates import format_datetime as _fdt
from babel.numbers import format_currency, format_decimal
from flask import Flask

from wki.core.clock import AMSTERDAM, to_local
from wki.core.deadlines import Period
from wki.core.errors import ServiceError

LOCALE = "nl_NL"


def fmt_date(value: date | datetime | str | None, *, style: str = "long") -> str:
    """29 november 2026 (``style="short"``: 29-11-2026); also a date kept as ISO text in JSON (2026-11-29)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    if isinstance(value, datetime):
        value = to_local(value).date()
    if style == "short":
        return value.strftime("%d-%m-%Y")
    return _fd(value, format="d MMMM y", locale=LOCALE)


def fmt_datetime(value: datetime | None, *, seconds: bool = False) -> str:
    """29 november 2026 14:05 in Europe/Amsterdam, whatever zone the value carries."""
    if value is None:
        return ""
    pattern = "d MMMM y HH:mm:ss" if seconds else "d MMMM y HH:mm"
    return _fdt(to_local(value), format=pattern, tzinfo=AMSTERDAM, locale=LOCALE)


def _round_half_up(value: int | float | Decimal, decimals: int) -> Decimal:
    """Round as a reader (and a Dutch fine notice) expects: 0,125 → 0,13, 2,5 → 3.

    Babel rounds half to even (0,125 → 0,12); rounding first leaves it nothing to round. ``str``
    first, so a float is taken as written (2.675, not 2.67499999...).
    """
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def fmt_number(value: int | float | Decimal | None, *, decimals: int | None = None) -> str:
    """1.234 or, with ``decimals``, 1.234,50."""
    if value is None:
        return ""
    if decimals is None:
        return format_decimal(value, locale=LOCALE)
    pattern = "#,##0." + "0" * decimals if decimals else "#,##0"
    return format_decimal(_round_half_up(value, decimals), format=pattern, locale=LOCALE)


def fmt_money(value: int | float | Decimal | None) -> str:
    """€ 1.234,56 (the space is a non-breaking one, as CLDR has it for nl_NL)."""
    if value is None:
        return ""
    return format_currency(_round_half_up(value, 2), "EUR", locale=LOCALE)


def fmt_duration(seconds: float | None) -> str:
    if seconds is None:
        return ""
    if seconds < 60:
        return f"{fmt_number(seconds, decimals=1)} s"
    minutes, secs = divmod(int(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {secs} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} u {minutes} min"


def fmt_date_short(value: date | datetime | None) -> str:
    """05-12-2026: for narrow table columns (a list of signals), never in running text."""
    return fmt_date(value, style="short")


def fmt_time(value: time | None) -> str:
    """21:15: a time of day as the Netherlands writes it (24-hour clock, seconds only when there are any)."""
    if value is None:
        return ""
    return value.strftime("%H:%M:%S" if value.second else "%H:%M")


def fmt_period(value: str | None) -> str:
    """4 weken: a period as the deadline engine writes it ("4w", "10d", "3m") in words; anything else as it is."""
    if not value:
        return ""
    try:
        return Period.parse(str(value)).label
    except ServiceError:
        return str(value)


def register_filters(app: Flask) -> None:
    """The template filters; every date in a template goes through one of the three date filters:

    ``datum`` (5 december 2026), ``datum_kort`` (05-12-2026, narrow columns) and ``datumtijd``
    (5 december 2026 14:03, ``seconds=true`` for logs); a time of day alone: ``tijd`` (21:15). ``date`` and ``datetime`` are the old names of
    the same functions, kept only so that templates written before the rename still render;
    tests/core/test_formatting_filters.py keeps them out of the templates.
    """
    app.jinja_env.filters.update(
        datum=fmt_date, datum_kort=fmt_date_short, datumtijd=fmt_datetime, tijd=fmt_time,
        number=fmt_number, money=fmt_money, duration=fmt_duration, termijn=fmt_period,
        date=fmt_date, datetime=fmt_datetime,
    )
