"""The Atw holiday calendar and the contact hours of Bki art. 4.2: Easter against known dates, every
holiday for several years, King's Day on a Sunday, equated days, the 20:00/07:00 boundaries."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wki.core.holidays import (
    EQUATED_DAYS,
    EQUATED_NAME,
    easter_sunday,
    forbidden_contact,
    general_holidays,
    holiday_name,
    is_rest_day,
)

D = date


@pytest.mark.parametrize("easter", [
    D(2024, 3, 31), D(2025, 4, 20), D(2026, 4, 5), D(2027, 3, 28), D(2038, 4, 25), D(2285, 3, 22),
    D(1818, 3, 22), D(1943, 4, 25),  # the earliest and latest possible dates
    D(2000, 4, 23), D(2019, 4, 21),
])
def test_easter_against_known_dates(easter):
    assert easter_sunday(easter.year) == easter


@given(st.integers(min_value=1583, max_value=9999))
def test_easter_is_a_sunday_between_22_march_and_25_april(year):
    easter = easter_sunday(year)
    assert easter.weekday() == 6
    assert D(year, 3, 22) <= easter <= D(year, 4, 25)


# Every general holiday, as the government's calendars list them.
HOLIDAYS = {
    2024: {
        D(2024, 1, 1): "Nieuwjaarsdag", D(2024, 4, 1): "Tweede paasdag", D(2024, 4, 27): "Koningsdag",
        D(2024, 5, 5): "Bevrijdingsdag", D(2024, 5, 9): "Hemelvaartsdag", D(2024, 5, 20): "Tweede pinksterdag",
        D(2024, 12, 25): "Eerste kerstdag", D(2024, 12, 26): "Tweede kerstdag",
    },
    2025: {
        D(2025, 1, 1): "Nieuwjaarsdag", D(2025, 4, 21): "Tweede paasdag", D(2025, 4, 26): "Koningsdag",
        D(2025, 5, 5): "Bevrijdingsdag", D(2025, 5, 29): "Hemelvaartsdag", D(2025, 6, 9): "Tweede pinksterdag",
        D(2025, 12, 25): "Eerste kerstdag", D(2025, 12, 26): "Tweede kerstdag",
    },
    2026: {
        D(2026, 1, 1): "Nieuwjaarsdag", D(2026, 4, 6): "Tweede paasdag", D(2026, 4, 27): "Koningsdag",
        D(2026, 5, 5): "Bevrijdingsdag", D(2026, 5, 14): "Hemelvaartsdag", D(2026, 5, 25): "Tweede pinksterdag",
        D(2026, 12, 25): "Eerste kerstdag", D(2026, 12, 26): "Tweede kerstdag",
    },
    2027: {
        D(2027, 1, 1): "Nieuwjaarsdag", D(2027, 3, 29): "Tweede paasdag", D(2027, 4, 27): "Koningsdag",
        D(2027, 5, 5): "Bevrijdingsdag", D(2027, 5, 6): "Hemelvaartsdag", D(2027, 5, 17): "Tweede pinksterdag",
        D(2027, 12, 25): "Eerste kerstdag", D(2027, 12, 26): "Tweede kerstdag",
    },
}


@pytest.mark.parametrize("year", sorted(HOLIDAYS))
def test_general_holidays(year):
    assert general_holidays(year) == HOLIDAYS[year]
    assert list(general_holidays(year)) == sorted(HOLIDAYS[year])  # calendar order


@pytest.mark.parametrize(("year", "day"), [(2025, 26), (2014, 26), (2031, 26), (2024, 27), (2026, 27), (2030, 27)])
def test_kings_day_moves_to_saturday_when_27_april_is_a_sunday(year, day):
    assert general_holidays(year)[D(year, 4, day)] == "Koningsdag"
    assert (D(year, 4, 27).weekday() == 6) == (day == 26)


def test_kings_day_on_sunday_27_april_is_no_holiday_but_a_sunday():
    assert holiday_name(D(2025, 4, 27)) is None
    assert is_rest_day(D(2025, 4, 27))


@pytest.mark.parametrize("year", [2024, 2026, 2027, 2029, 2030])
def test_5_may_counts_every_year_not_only_lustrum_years(year):
    assert holiday_name(D(year, 5, 5)) == "Bevrijdingsdag"


@pytest.mark.parametrize("day", [D(2024, 3, 29), D(2025, 4, 18), D(2026, 4, 3)])
def test_good_friday_is_equated_by_the_atw_itself(day):
    assert holiday_name(day) == "Goede Vrijdag"
    assert is_rest_day(day)
    assert forbidden_contact(day, time(10, 0)) == f"Goede Vrijdag ({day.day} {'maart' if day.month == 3 else 'april'} {day.year})"


def test_equated_days_of_the_domain_brief():
    assert (D(2024, 5, 10), D(2024, 12, 27)) == EQUATED_DAYS
    for day in EQUATED_DAYS:
        assert holiday_name(day) == EQUATED_NAME == "Dag gelijkgesteld aan een feestdag"
        assert is_rest_day(day)
    assert forbidden_contact(D(2024, 5, 10), time(12, 0)) == "Dag gelijkgesteld aan een feestdag (10 mei 2024)"
    assert forbidden_contact(D(2024, 12, 27), None) == "Dag gelijkgesteld aan een feestdag (27 december 2024)"
    # The Friday after Ascension 2025 is no built-in day: only a decree (issue 14: an administrator) makes it one.
    assert holiday_name(D(2025, 5, 30)) is None


def test_extra_days_are_equated_days():
    extra = [D(2025, 5, 30), D(2026, 5, 15)]
    assert holiday_name(D(2025, 5, 30), extra) == EQUATED_NAME
    assert is_rest_day(D(2026, 5, 15), extra)
    assert not is_rest_day(D(2026, 5, 15))
    assert forbidden_contact(D(2025, 5, 30), time(12, 0), extra) == "Dag gelijkgesteld aan een feestdag (30 mei 2025)"
    assert forbidden_contact(D(2025, 5, 30), time(12, 0), iter(extra)) is not None  # any iterable, once
    # A general holiday keeps its own name when it is also listed as extra.
    assert holiday_name(D(2025, 12, 26), extra=[D(2025, 12, 26)]) == "Tweede kerstdag"


def test_ordinary_days_are_no_holiday():
    assert holiday_name(D(2025, 12, 24)) is None
    assert holiday_name(D(2025, 4, 20)) is None  # Easter Sunday itself: a Sunday, not an Atw holiday
    assert holiday_name(D(2025, 6, 8)) is None  # Whit Sunday likewise
    assert not is_rest_day(D(2025, 12, 6))  # a Saturday
    assert not is_rest_day(D(2025, 12, 8))  # a Monday
    assert is_rest_day(D(2025, 12, 7))  # a Sunday
    assert is_rest_day(D(2025, 4, 20))


def test_forbidden_contact_reasons_in_dutch():
    assert forbidden_contact(D(2025, 12, 7), time(10, 0)) == "zondag 7 december 2025"
    assert forbidden_contact(D(2025, 12, 26), time(10, 0)) == "Tweede kerstdag (26 december 2025)"
    assert forbidden_contact(D(2025, 12, 8), time(21, 15)) == "om 21:15, tussen 20:00 en 07:00"
    assert forbidden_contact(D(2025, 12, 8), time(10, 0)) is None


def test_a_holiday_on_a_sunday_is_named_by_the_holiday():
    assert D(2022, 12, 25).weekday() == 6
    assert forbidden_contact(D(2022, 12, 25), time(10, 0)) == "Eerste kerstdag (25 december 2022)"


def test_the_day_is_named_before_the_hour():
    assert forbidden_contact(D(2025, 12, 7), time(22, 0)) == "zondag 7 december 2025"


@pytest.mark.parametrize(("at", "reason"), [
    (time(19, 59), None),
    (time(19, 59, 59, 999999), None),
    (time(20, 0), "om 20:00, tussen 20:00 en 07:00"),
    (time(23, 59), "om 23:59, tussen 20:00 en 07:00"),
    (time(0, 0), "om 00:00, tussen 20:00 en 07:00"),
    (time(6, 59), "om 06:59, tussen 20:00 en 07:00"),
    (time(6, 59, 59), "om 06:59, tussen 20:00 en 07:00"),
    (time(7, 0), None),
    (time(12, 0), None),
])
def test_hour_boundaries(at, reason):
    assert forbidden_contact(D(2025, 12, 9), at) == reason  # a Tuesday


def test_saturday_is_allowed_by_day():
    assert forbidden_contact(D(2025, 12, 6), time(10, 0)) is None
    assert forbidden_contact(D(2025, 12, 6), None) is None
    assert forbidden_contact(D(2025, 12, 6), time(20, 30)) == "om 20:30, tussen 20:00 en 07:00"


def test_unknown_time_judges_only_the_day():
    assert forbidden_contact(D(2025, 12, 9), None) is None
    assert forbidden_contact(D(2025, 12, 7), None) == "zondag 7 december 2025"
    assert forbidden_contact(D(2026, 1, 1), None) == "Nieuwjaarsdag (1 januari 2026)"


days = st.dates(min_value=D(1900, 1, 1), max_value=D(2200, 12, 31))
times = st.times()


@given(days, st.one_of(st.none(), times))
def test_a_sunday_is_always_forbidden(day, at):
    sunday = day + timedelta(days=6 - day.weekday())
    assert forbidden_contact(sunday, at) is not None
    assert is_rest_day(sunday)


@given(days)
def test_a_weekday_that_is_no_holiday_is_allowed_at_noon(day):
    if day.weekday() < 6 and holiday_name(day) is None:
        assert forbidden_contact(day, time(12, 0)) is None
        assert not is_rest_day(day)


@given(days, times)
def test_every_general_holiday_is_forbidden_all_day(day, at):
    for holiday, name in general_holidays(day.year).items():
        assert forbidden_contact(holiday, at) == f"{name} ({holiday.day} {_month(holiday)} {holiday.year})"


def _month(day: date) -> str:
    return ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
            "oktober", "november", "december")[day.month - 1]


@pytest.mark.parametrize("year", [2005, 2016, 2157])
def test_ascension_on_5_may_is_one_day_with_both_names(year):
    assert easter_sunday(year) + timedelta(days=39) == D(year, 5, 5)
    holidays = general_holidays(year)
    assert len(holidays) == 7
    assert holidays[D(year, 5, 5)] == "Bevrijdingsdag en Hemelvaartsdag"
    assert holiday_name(D(year, 5, 5)) == "Bevrijdingsdag en Hemelvaartsdag"
    assert forbidden_contact(D(year, 5, 5), time(9, 0)) == f"Bevrijdingsdag en Hemelvaartsdag (5 mei {year})"
