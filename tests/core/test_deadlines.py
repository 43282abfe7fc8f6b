"""The deadline engine (wki/core/deadlines.py, issue 14 "The deadline engine"): periods counted from the day
after the event, months of different lengths, suspension and extension, and the Algemene termijnenwet moving
a last day past Saturdays, Sundays and every holiday of 2025–2030.

Every expected date below was written by hand from a calendar (the weekdays checked against a printed
calendar, the moving feasts from the Easter dates 20 April 2025, 5 April 2026, 28 March 2027, 16 April 2028,
1 April 2029 and 21 April 2030), never computed with the code under test.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from wki.core.deadlines import Period, Shift, compute, days_left, explain, is_on_time, parse_day
from wki.core.errors import ServiceError

D = date.fromisoformat

# (the holiday, its name as the explanation gives it, the day a period ending on it ends instead)
HOLIDAYS_2025_2030 = [
    # 2025: King's Day moves to Saturday 26 April, because 27 April is a Sunday
    ("2025-01-01", "Nieuwjaarsdag", "2025-01-02"),
    ("2025-04-18", "Goede Vrijdag", "2025-04-22"),  # Sat, Sun, Easter Monday, then Tuesday
    ("2025-04-21", "Tweede paasdag", "2025-04-22"),
    ("2025-04-26", "Koningsdag", "2025-04-28"),  # a Saturday; Sunday 27th; Monday 28th
    ("2025-05-05", "Bevrijdingsdag", "2025-05-06"),
    ("2025-05-29", "Hemelvaartsdag", "2025-05-30"),
    ("2025-06-09", "Tweede pinksterdag", "2025-06-10"),
    ("2025-12-25", "Eerste kerstdag", "2025-12-29"),  # Thu; Boxing Day Fri; weekend
    ("2025-12-26", "Tweede kerstdag", "2025-12-29"),
    # 2026
    ("2026-01-01", "Nieuwjaarsdag", "2026-01-02"),
    ("2026-04-03", "Goede Vrijdag", "2026-04-07"),
    ("2026-04-06", "Tweede paasdag", "2026-04-07"),
    ("2026-04-27", "Koningsdag", "2026-04-28"),
    ("2026-05-05", "Bevrijdingsdag", "2026-05-06"),
    ("2026-05-14", "Hemelvaartsdag", "2026-05-15"),
    ("2026-05-25", "Tweede pinksterdag", "2026-05-26"),
    ("2026-12-25", "Eerste kerstdag", "2026-12-28"),
    ("2026-12-26", "Tweede kerstdag", "2026-12-28"),  # a Saturday
    # 2027: Ascension Day is 6 May, the day after Liberation Day
    ("2027-01-01", "Nieuwjaarsdag", "2027-01-04"),  # a Friday
    ("2027-03-26", "Goede Vrijdag", "2027-03-30"),
    ("2027-03-29", "Tweede paasdag", "2027-03-30"),
    ("2027-04-27", "Koningsdag", "2027-04-28"),
    ("2027-05-05", "Bevrijdingsdag", "2027-05-07"),  # Wed; Ascension Thu; Friday
    ("2027-05-06", "Hemelvaartsdag", "2027-05-07"),
    ("2027-05-17", "Tweede pinksterdag", "2027-05-18"),
    ("2027-12-25", "Eerste kerstdag", "2027-12-27"),  # Saturday and Sunday: Monday is a working day
    ("2027-12-26", "Tweede kerstdag", "2027-12-27"),
    # 2028 (a leap year)
    ("2028-01-01", "Nieuwjaarsdag", "2028-01-03"),  # a Saturday
    ("2028-04-14", "Goede Vrijdag", "2028-04-18"),
    ("2028-04-17", "Tweede paasdag", "2028-04-18"),
    ("2028-04-27", "Koningsdag", "2028-04-28"),
    ("2028-05-05", "Bevrijdingsdag", "2028-05-08"),  # a Friday
    ("2028-05-25", "Hemelvaartsdag", "2028-05-26"),
    ("2028-06-05", "Tweede pinksterdag", "2028-06-06"),
    ("2028-12-25", "Eerste kerstdag", "2028-12-27"),
    ("2028-12-26", "Tweede kerstdag", "2028-12-27"),
    # 2029
    ("2029-01-01", "Nieuwjaarsdag", "2029-01-02"),
    ("2029-03-30", "Goede Vrijdag", "2029-04-03"),
    ("2029-04-02", "Tweede paasdag", "2029-04-03"),
    ("2029-04-27", "Koningsdag", "2029-04-30"),  # a Friday
    ("2029-05-05", "Bevrijdingsdag", "2029-05-07"),  # a Saturday
    ("2029-05-10", "Hemelvaartsdag", "2029-05-11"),
    ("2029-05-21", "Tweede pinksterdag", "2029-05-22"),
    ("2029-12-25", "Eerste kerstdag", "2029-12-27"),
    ("2029-12-26", "Tweede kerstdag", "2029-12-27"),
    # 2030
    ("2030-01-01", "Nieuwjaarsdag", "2030-01-02"),
    ("2030-04-19", "Goede Vrijdag", "2030-04-23"),
    ("2030-04-22", "Tweede paasdag", "2030-04-23"),
    ("2030-04-27", "Koningsdag", "2030-04-29"),  # a Saturday
    ("2030-05-05", "Bevrijdingsdag", "2030-05-06"),  # a Sunday
    ("2030-05-30", "Hemelvaartsdag", "2030-05-31"),
    ("2030-06-10", "Tweede pinksterdag", "2030-06-11"),
    ("2030-12-25", "Eerste kerstdag", "2030-12-27"),
    ("2030-12-26", "Tweede kerstdag", "2030-12-27"),
]


@pytest.mark.parametrize(("holiday", "name", "expected"), HOLIDAYS_2025_2030, ids=[h[0] for h in HOLIDAYS_2025_2030])
def test_a_period_ending_on_a_holiday_ends_on_the_next_working_day(holiday, name, expected):
    # Ten days, two weeks and (when the month before has the day) one month, each ending on the holiday.
    day = D(holiday)
    cases = [(day - timedelta(days=10), "10d"), (day - timedelta(days=14), "2w")]
    if day.month == 1:
        cases.append((date(day.year - 1, 12, day.day), "1m"))
    elif day.day <= 28:
        cases.append((day.replace(month=day.month - 1), "1m"))
    for event, period in cases:
        deadline = compute(event, period)
        assert deadline.nominal_end == day
        assert deadline.end == D(expected), (event, period)
        assert deadline.skipped[0][0] == day and name in deadline.skipped[0][1]
        assert "De termijn eindigt daarom op" in deadline.steps[-1]


def test_every_holiday_of_2025_to_2030_is_in_the_table():
    """Nine days a year (eight holidays and Good Friday), no more, for each year."""
    years = [D(h[0]).year for h in HOLIDAYS_2025_2030]
    assert {y: years.count(y) for y in set(years)} == {y: 9 for y in range(2025, 2031)}


def test_the_example_of_the_issue_six_weeks_from_tuesday_3_march_2026():
    deadline = compute(D("2026-03-03"), Period.parse("6w"))
    assert (deadline.start, deadline.nominal_end, deadline.shifted_end, deadline.end) == (
        D("2026-03-04"), D("2026-04-14"), D("2026-04-14"), D("2026-04-14"))
    assert deadline.steps == (
        "Gebeurtenis: dinsdag 3 maart 2026.",
        "De termijn begint op de dag daarna: woensdag 4 maart 2026 (art. 6:8 lid 1 Awb).",
        "Termijn van 6 weken: de laatste dag is dinsdag 14 april 2026.",
        "Dinsdag 14 april 2026 is geen zaterdag, zondag of feestdag: de termijn eindigt op die dag.",
    )
    assert explain(deadline) == "\n".join(deadline.steps) == deadline.explain()


def test_a_suspension_adds_its_days_and_the_atw_then_moves_past_the_weekend_and_kings_day():
    ten = compute(D("2026-03-03"), "6w", shifts=[Shift.suspension(10, "stukken opgevraagd")])
    assert ten.end == ten.shifted_end == D("2026-04-24")  # a Friday
    assert ten.steps[3] == ("Opgeschort met 10 dagen (reden: stukken opgevraagd): de laatste dag wordt "
                            "vrijdag 24 april 2026.")
    eleven = compute(D("2026-03-03"), "6w", shifts=[Shift.suspension(11, "stukken opgevraagd")])
    assert eleven.shifted_end == D("2026-04-25")  # Saturday, Sunday, Monday 27 April is King's Day
    assert eleven.end == D("2026-04-28")
    assert eleven.steps[-1] == (
        "Zaterdag 25 april 2026 is een zaterdag; zondag 26 april 2026 is een zondag; maandag 27 april 2026 is "
        "Koningsdag (een algemeen erkende feestdag, art. 3 Atw). De termijn eindigt daarom op dinsdag 28 april "
        "2026 (art. 1 lid 1 Algemene termijnenwet).")


def test_an_extension_counts_from_the_last_day_reached_and_shifts_apply_in_order():
    extended = compute(D("2026-03-03"), "6w", shifts=[
        Shift.extension("4w", "verdaging van de beslissing", by="a.handhaver@example.nl", on=D("2026-04-01"))])
    assert extended.end == D("2026-05-12")  # 14 April + 4 weeks, a Tuesday
    assert extended.steps[3] == ("Verlengd met 4 weken (reden: verdaging van de beslissing; door "
                                 "a.handhaver@example.nl op 1 april 2026): de laatste dag wordt dinsdag 12 mei 2026.")
    both = compute(D("2026-03-03"), "6w", shifts=[Shift.suspension(3, "hoorzitting verzet"),
                                                   Shift.extension(Period(1, "m"), "advies gevraagd")])
    assert both.shifted_end == D("2026-05-17")  # 14 + 3 = 17 April; one month later: Sunday 17 May
    assert both.end == D("2026-05-18")
    # The period as the law sets it runs to a Saturday; the extension counts from that Saturday, not from the
    # Monday the Atw would have moved it to.
    saturday = compute(D("2026-02-28"), "1w", shifts=[Shift.extension("1w", "verdaagd")])
    assert saturday.nominal_end == D("2026-03-07") and saturday.shifted_end == D("2026-03-14")
    assert saturday.end == D("2026-03-16")


@pytest.mark.parametrize(("event", "period", "nominal", "end"), [
    ("2025-01-31", "1m", "2025-02-28", "2025-02-28"),  # February has no 31st
    ("2028-01-31", "1m", "2028-02-29", "2028-02-29"),  # leap year
    ("2028-01-29", "1m", "2028-02-29", "2028-02-29"),
    ("2027-01-30", "1m", "2027-02-28", "2027-03-01"),  # Sunday 28 February 2027 → Monday
    ("2026-08-31", "1m", "2026-09-30", "2026-09-30"),
    ("2026-10-31", "1m", "2026-11-30", "2026-11-30"),
    ("2026-03-31", "3m", "2026-06-30", "2026-06-30"),
    ("2025-11-30", "3m", "2026-02-28", "2026-03-02"),  # a Saturday
    ("2024-02-29", "12m", "2025-02-28", "2025-02-28"),
    ("2026-12-15", "2m", "2027-02-15", "2027-02-15"),  # over the turn of the year
    ("2026-01-15", "13m", "2027-02-15", "2027-02-15"),
])
def test_month_periods_end_on_the_same_day_number_or_the_months_last_day(event, period, nominal, end):
    deadline = compute(D(event), period)
    assert (deadline.nominal_end, deadline.end) == (D(nominal), D(end))


def test_a_month_period_says_when_the_month_is_too_short():
    deadline = compute(D("2025-01-31"), "1m")
    assert deadline.steps[2] == ("Termijn van 1 maand: de laatste dag is vrijdag 28 februari 2025 (februari heeft "
                                 "geen 31e dag: de laatste dag van die maand).")


@pytest.mark.parametrize(("event", "period", "end"), [
    ("2026-03-02", "10d", "2026-03-12"),  # an ordinary Thursday
    ("2026-02-28", "1w", "2026-03-09"),  # Saturday 7 March → Monday
    ("2026-03-01", "6d", "2026-03-09"),  # Saturday 7 March too
    ("2026-03-01", "7d", "2026-03-09"),  # Sunday 8 March → Monday
    ("2026-03-21", "2w", "2026-04-07"),  # Saturday before Easter Monday → Tuesday
    ("2026-01-05", "13w", "2026-04-07"),  # 13 weeks end on Easter Monday 6 April 2026
    ("2026-03-20", "2w", "2026-04-07"),  # Good Friday, weekend, Easter Monday
    ("2026-04-23", "2d", "2026-04-28"),  # Saturday 25th, Sunday, King's Day
    ("2025-12-30", "1d", "2025-12-31"),  # 31 December is a working day
    ("2025-12-31", "1d", "2026-01-02"),  # New Year's Day is not
    ("2026-12-24", "1d", "2026-12-28"),  # Christmas on Friday: Friday, Saturday, Sunday
    ("2024-05-03", "1w", "2024-05-13"),  # Friday 10 May 2024 was equated by decree (built in)
    ("2026-03-03", "999d", "2028-11-27"),  # 999 days: Sunday 26 November 2028 → Monday
])
def test_weekends_holidays_and_chains(event, period, end):
    assert compute(D(event), period).end == D(end)


def test_the_atw_never_shortens_a_period():
    for offset in range(0, 400, 3):
        deadline = compute(date(2025, 1, 1) + timedelta(days=offset), "2w")
        assert deadline.end >= deadline.shifted_end == deadline.nominal_end
        assert (deadline.end - deadline.nominal_end).days <= 4  # at most Fri, Sat, Sun, Mon (Easter)


def test_days_equated_by_an_administrator_move_the_end_too():
    without = compute(D("2026-05-01"), "2w")
    assert without.end == D("2026-05-15")  # the Friday after Ascension Day: a working day
    extra = {D("2026-05-15"): "Vrijdag na Hemelvaartsdag"}
    moved = compute(D("2026-05-01"), "2w", extra_days=extra)
    assert moved.end == D("2026-05-18")
    assert moved.steps[-1].startswith("Vrijdag 15 mei 2026 is Vrijdag na Hemelvaartsdag (bij besluit gelijkgesteld "
                                      "met een algemeen erkende feestdag, art. 3 lid 3 Atw); zaterdag 16 mei 2026")
    # An extra day that is a Saturday already changes nothing.
    assert compute(D("2026-05-02"), "2w", extra_days={D("2026-05-16"): "Zaterdag"}).end == D("2026-05-18")


@pytest.mark.parametrize(("text", "amount", "unit"), [
    ("6w", 6, "w"), ("2w", 2, "w"), ("13w", 13, "w"), ("10d", 10, "d"), ("3m", 3, "m"), ("6W", 6, "w"),
    (" 10 D ", 10, "d"), ("6 weken", 6, "w"), ("1 week", 1, "w"), ("10 dagen", 10, "d"), ("1 dag", 1, "d"),
    ("3 maanden", 3, "m"), ("1 MAAND", 1, "m"), ("999d", 999, "d"),
])
def test_period_parse_accepts_the_forms(text, amount, unit):
    period = Period.parse(text)
    assert (period.amount, period.unit) == (amount, unit)
    assert str(period) == f"{amount}{unit}"


@pytest.mark.parametrize("text", ["", "  ", "6", "w", "6x", "6 jaar", "-1w", "0d", "1000d", "6.5w", "6w2d",
                                  "zes weken", "6w;DROP", "\x00"])
def test_period_parse_refuses_anything_else_in_dutch(text):
    with pytest.raises(ServiceError) as refused:
        Period.parse(text)
    assert "dagen, weken of maanden" in refused.value.message


def test_period_labels_in_dutch():
    assert [Period(6, "w").label, Period(1, "d").label, Period(3, "m").label, Period(1, "w").label,
            Period(1, "m").label, Period(2, "d").label] == ["6 weken", "1 dag", "3 maanden", "1 week", "1 maand",
                                                           "2 dagen"]
    with pytest.raises(ServiceError):
        Period(0, "d")
    with pytest.raises(ServiceError):
        Period(1, "j")  # type: ignore[arg-type]


def test_a_shift_needs_a_reason_and_a_sensible_amount():
    with pytest.raises(ServiceError, match="reden van de opschorting"):
        Shift.suspension(5, "  ")
    with pytest.raises(ServiceError, match="reden van de verlenging"):
        Shift.extension("6w", "")
    with pytest.raises(ServiceError, match="opschorting duurt"):
        Shift.suspension(0, "x")
    with pytest.raises(ServiceError):
        Shift("uitstel", 5, "x")
    with pytest.raises(ServiceError, match="geen termijn"):
        Shift.extension("zes weken", "x")
    assert Shift.suspension(1, "x").label == "opgeschort met 1 dag"


def test_days_left_and_on_time():
    deadline = compute(D("2026-03-03"), "6w")
    assert days_left(deadline, D("2026-04-14")) == 0
    assert days_left(deadline, D("2026-04-04")) == 10
    assert days_left(deadline, D("2026-04-15")) == -1
    assert is_on_time(deadline, D("2026-04-14")) and not is_on_time(deadline, D("2026-04-15"))


@pytest.mark.parametrize(("text", "day"), [
    ("2026-03-03", "2026-03-03"), ("3-3-2026", "2026-03-03"), ("03-03-2026", "2026-03-03"),
    ("29-2-2028", "2028-02-29"), ("31/12/2026", "2026-12-31"), (" 1.5.2026 ", "2026-05-01"),
])
def test_parse_day_takes_iso_and_dutch_dates(text, day):
    assert parse_day(text) == D(day)


@pytest.mark.parametrize(("text", "message"), [
    ("2026-02-30", "bestaat niet als datum"), ("29-2-2027", "bestaat niet als datum"), ("", "Vul een datum in"),
    ("gisteren", "is geen datum"), ("2026-3-3", "is geen datum"), ("3-3-26", "is geen datum"),
])
def test_parse_day_refuses_in_dutch(text, message):
    with pytest.raises(ServiceError, match=message):
        parse_day(text)
