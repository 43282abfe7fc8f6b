"""Dates, times, numbers and amounts the Dutch way (Babel, nl_NL, Europe/Amsterdam)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from flask import render_template_string

from wki.core.formatting import fmt_date, fmt_datetime, fmt_duration, fmt_money, fmt_number

NBSP = "\u00a0"


class TestDates:
    def test_long_date(self):
        assert fmt_date(date(2026, 11, 29)) == "29 november 2026"
        assert fmt_date(date(2026, 3, 1)) == "1 maart 2026"  # no leading zero, month in lower case

    def test_short_date(self):
        assert fmt_date(date(2026, 3, 1), style="short") == "01-03-2026"

    def test_a_datetime_is_shown_on_its_dutch_calendar_day(self):
        assert fmt_date(datetime(2026, 3, 28, 23, 30, tzinfo=UTC)) == "29 maart 2026"

    def test_nothing_is_empty(self):
        assert fmt_date(None) == "" and fmt_datetime(None) == ""
        assert fmt_number(None) == "" and fmt_money(None) == "" and fmt_duration(None) == ""


class TestDatetimes:
    def test_summer_time_is_utc_plus_two(self):
        assert fmt_datetime(datetime(2026, 7, 1, 12, 0, tzinfo=UTC)) == "1 juli 2026 14:00"

    def test_winter_time_is_utc_plus_one(self):
        assert fmt_datetime(datetime(2026, 1, 15, 12, 0, tzinfo=UTC)) == "15 januari 2026 13:00"

    def test_around_the_switch_to_summer_time(self):
        assert fmt_datetime(datetime(2026, 3, 29, 0, 59, tzinfo=UTC)) == "29 maart 2026 01:59"
        assert fmt_datetime(datetime(2026, 3, 29, 1, 0, tzinfo=UTC)) == "29 maart 2026 03:00"

    def test_seconds(self):
        assert fmt_datetime(datetime(2026, 1, 15, 12, 0, 5, tzinfo=UTC), seconds=True) == "15 januari 2026 13:00:05"

    def test_any_zone_is_converted(self):
        new_york = timezone(timedelta(hours=-5))
        assert fmt_datetime(datetime(2026, 1, 15, 7, 0, tzinfo=new_york)) == "15 januari 2026 13:00"

    def test_naive_values_are_taken_as_utc(self):
        assert fmt_datetime(datetime(2026, 1, 15, 12, 0)) == "15 januari 2026 13:00"


class TestNumbers:
    def test_thousands_separator_is_a_dot(self):
        assert fmt_number(1234567) == "1.234.567"

    def test_decimal_comma(self):
        assert fmt_number(1234.5, decimals=2) == "1.234,50"
        assert fmt_number(Decimal("0.5")) == "0,5"

    def test_no_decimals(self):
        assert fmt_number(1234.4, decimals=0) == "1.234"

    @pytest.mark.parametrize(("value", "decimals", "expected"), [
        (0.125, 2, "0,13"), (2.5, 0, "3"), (3.5, 0, "4"), (Decimal("1.005"), 2, "1,01"), (-2.5, 0, "-3"),
    ])
    def test_halves_are_rounded_up_as_a_reader_expects(self, value, decimals, expected):
        """Babel rounds half to even by default (0,125 → 0,12); Dutch documents round half up."""
        assert fmt_number(value, decimals=decimals) == expected


class TestMoney:
    def test_euro_sign_non_breaking_space_dot_thousands_comma_cents(self):
        # nl_NL per CLDR: "€ 1.234,56", the space a non-breaking one so the sign never ends a line alone.
        assert fmt_money(1234.56) == f"€{NBSP}1.234,56"

    def test_whole_amounts_show_cents(self):
        assert fmt_money(1500) == f"€{NBSP}1.500,00"
        assert fmt_money(Decimal("0")) == f"€{NBSP}0,00"

    def test_negative_amounts(self):
        assert fmt_money(-1234.56) == f"€{NBSP}-1.234,56"

    def test_floats_are_not_shown_with_binary_noise(self):
        assert fmt_money(0.1 + 0.2) == f"€{NBSP}0,30"

    @pytest.mark.parametrize(("value", "expected"), [
        (0.125, "0,13"), (2.675, "2,68"), (Decimal("1234.565"), "1.234,57"), (0.005, "0,01"),
    ])
    def test_half_cents_are_rounded_up(self, value, expected):
        assert fmt_money(value) == f"€{NBSP}{expected}"


class TestDuration:
    @pytest.mark.parametrize(("seconds", "expected"), [
        (0.25, "0,3 s"), (5, "5,0 s"), (59.9, "59,9 s"), (125, "2 min 5 s"), (7300, "2 u 1 min"),
    ])
    def test_durations(self, seconds, expected):
        assert fmt_duration(seconds) == expected


def test_template_filters(app):
    with app.test_request_context():
        rendered = render_template_string(
            "{{ d|date }}|{{ t|datetime }}|{{ n|number }}|{{ m|money }}|{{ s|duration }}",
            d=date(2026, 11, 29), t=datetime(2026, 7, 1, 12, tzinfo=UTC), n=1234567, m=1234.56, s=125,
        )
    assert rendered == f"29 november 2026|1 juli 2026 14:00|1.234.567|€{NBSP}1.234,56|2 min 5 s"


def test_the_date_filters(app):
    with app.test_request_context():
        rendered = render_template_string(
            "{{ d|datum }}|{{ d|datum_kort }}|{{ t|datumtijd }}|{{ t|datumtijd(seconds=true) }}|{{ none|datum }}",
            d=date(2026, 12, 5), t=datetime(2026, 12, 5, 13, 3, 9, tzinfo=UTC),
        )
    assert rendered == "5 december 2026|05-12-2026|5 december 2026 14:03|5 december 2026 14:03:09|"


def test_templates_write_dates_only_with_the_date_filters():
    """One way to show a date: ``datum``, ``datum_kort`` or ``datumtijd`` (not the old ``date`` and
    ``datetime`` names, nor strftime or isoformat, which would show 2026-12-05 or another format)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    offending = re.compile(r"\|\s*(date|datetime)\b|\.strftime\(|\.isoformat\(")
    found = [f"{path.relative_to(root)}:{n}: {line.strip()}"
             for path in sorted(root.rglob("*.html"))
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if offending.search(line)]
    assert found == []


def test_a_time_of_day():
    from datetime import time

    from wki.core.formatting import fmt_time

    assert (fmt_time(time(21, 15)), fmt_time(time(7, 5, 30)), fmt_time(None)) == ("21:15", "07:05:30", "")
