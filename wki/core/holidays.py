"""The Dutch public-holiday calendar of the Algemene termijnenwet (Atw), and the contact hours of the Bki.

Bki art. 4.2: an agency contacts no debtor by electronic means, in person or by phone between 20:00 and
07:00 (lid 1), nor on a Sunday or an "algemeen erkende feestdag als bedoeld in de Algemene termijnenwet"
(lid 2). Atw art. 3 lid 1 names those holidays; lid 2 equates Good Friday with them and lid 3 lets the
Crown equate further days by decree (published in the Staatscourant, in practice a few Fridays a year).
The domain brief §3.2 row 15 reads the rule as including such equated days, so this module does too.

5 May: Atw art. 3 lid 1 ends with "en de vijfde mei", without any condition. It was added by the 1981
amendment that made 5 May a national holiday; that most employers give the day off only once in five
years (the lustrum years) is a matter of collective agreements, not of the Atw. Checked with the search
tool (nl.wikipedia.org/wiki/Algemene_termijnenwet, which quotes art. 3 and its 1981 history, and
wvhl.nl/algemeen/de-algemene-termijnenwet, which quotes lid 1 in full): every 5 May counts.

Pure functions of dates: no database, no locale; the Dutch names are spelled out here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, time, timedelta
from functools import lru_cache

__all__ = [
    "CONTACT_FROM",
    "CONTACT_UNTIL",
    "EQUATED_DAYS",
    "EQUATED_NAME",
    "easter_sunday",
    "forbidden_contact",
    "general_holidays",
    "holiday_name",
    "is_rest_day",
]

# Days equated with a general holiday by decree (Atw art. 3 lid 3) that the domain brief names in §3.2
# row 15 ("e.g. Fri 10 May 2024 and Fri 27 Dec 2024"; the NVI's article on the Wki and the Atw, quoted
# there, lists the same two for 2024). Issue 14 lets an administrator add the days of later decrees; until
# then callers pass them as ``extra``.
EQUATED_DAYS: tuple[date, ...] = (date(2024, 5, 10), date(2024, 12, 27))
EQUATED_NAME = "Dag gelijkgesteld aan een feestdag"
GOOD_FRIDAY_NAME = "Goede Vrijdag"  # equated by the Atw itself (art. 3 lid 2), every year

# Bki art. 4.2 lid 1: contact from 07:00 (inclusive) until 20:00 (exclusive).
CONTACT_FROM = time(7, 0)
CONTACT_UNTIL = time(20, 0)

_WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
_MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
           "oktober", "november", "december")


def easter_sunday(year: int) -> date:
    """Easter Sunday of the Gregorian calendar (the anonymous algorithm of Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return date(year, month, day + 1)


def kings_day(year: int) -> date:
    """27 April, or the 26th when the 27th is a Sunday (Wet van 2013 on the King's birthday)."""
    day = date(year, 4, 27)
    return day - timedelta(days=1) if day.weekday() == 6 else day


@lru_cache(maxsize=256)
def _general_holidays(year: int) -> tuple[tuple[date, str], ...]:
    """In calendar order; two holidays on one day share it under both names ("Bevrijdingsdag en
    Hemelvaartsdag": Ascension falls on 5 May in 2005, 2016 and 2157, for instance)."""
    easter = easter_sunday(year)
    days: dict[date, str] = {}
    for day, name in sorted((
        (date(year, 1, 1), "Nieuwjaarsdag"),
        (easter + timedelta(days=1), "Tweede paasdag"),
        (kings_day(year), "Koningsdag"),
        (date(year, 5, 5), "Bevrijdingsdag"),
        (easter + timedelta(days=39), "Hemelvaartsdag"),
        (easter + timedelta(days=50), "Tweede pinksterdag"),
        (date(year, 12, 25), "Eerste kerstdag"),
        (date(year, 12, 26), "Tweede kerstdag"),
    ), key=lambda pair: pair[0]):
        days[day] = f"{days[day]} en {name}" if day in days else name
    return tuple(days.items())


def general_holidays(year: int) -> dict[date, str]:
    """The general holidays of Atw art. 3 lid 1 in ``year``, in calendar order, with their Dutch names.

    Good Friday (lid 2) and decree days (lid 3) are equated with these, not among them: ``holiday_name``
    and ``is_rest_day`` know them.
    """
    return dict(_general_holidays(year))


def holiday_name(day: date, extra: Iterable[date] = ()) -> str | None:
    """The Dutch name of the holiday ``day`` is, or None.

    A general holiday by its name; Good Friday as "Goede Vrijdag"; a day equated by decree
    (``EQUATED_DAYS`` or one of ``extra``) as "Dag gelijkgesteld aan een feestdag".
    """
    for holiday, name in _general_holidays(day.year):
        if holiday == day:
            return name
    if day == easter_sunday(day.year) - timedelta(days=2):
        return GOOD_FRIDAY_NAME
    if day in EQUATED_DAYS or day in set(extra):
        return EQUATED_NAME
    return None


def is_rest_day(day: date, extra: Iterable[date] = ()) -> bool:
    """A Sunday, a general holiday or a day equated with one: no debtor may be contacted on it."""
    return day.weekday() == 6 or holiday_name(day, extra) is not None


def long_date(day: date) -> str:
    """"7 december 2025": the date as the reasons write it."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def forbidden_contact(day: date, at: time | None, extra: Iterable[date] = ()) -> str | None:
    """Why contact on ``day`` at ``at`` breaks Bki art. 4.2, in Dutch, or None when it does not.

    The day comes first: contact on a Sunday or holiday is named by the day even at night ("zondag
    7 december 2025", "Tweede kerstdag (26 december 2025)"); otherwise a time from 20:00 up to but not
    including 07:00 gives "om 21:15, tussen 20:00 en 07:00". ``at=None``: the time is unknown and only
    the day is judged. ``at`` is local (Dutch) time; a time zone on it is not looked at.
    """
    name = holiday_name(day, extra)
    if name is not None:
        return f"{name} ({long_date(day)})"
    if day.weekday() == 6:
        return f"{_WEEKDAYS[6]} {long_date(day)}"
    if at is not None and not (CONTACT_FROM <= at.replace(tzinfo=None) < CONTACT_UNTIL):
        return f"om {at:%H:%M}, tussen {CONTACT_UNTIL:%H:%M} en {CONTACT_FROM:%H:%M}"
    return None
