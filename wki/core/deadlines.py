"""The statutory deadline engine: when a period in days, weeks or months ends, and why, in Dutch.

The rules, for every deadline the application keeps (the view period after an intention, the 13 weeks
for a fine decision, the grace period of a penalty order, the six weeks for an objection):

- Awb art. 6:8 lid 1: "De termijn vangt aan met ingang van de dag na die waarop het besluit op de
  voorgeschreven wijze is bekendgemaakt" (quoted from pgawb.nl, PG Awb digitaal, art. 6:8, and
  rechtspraakbestuursrecht.nl/artikel-68-awb-aanvang-bezwaar-en-beroepstermijn; checked with the search
  tool). The event day itself does not count; the period starts on the day after it. The Atw and civil
  law read every statutory period that way (the Atw's own art. 1 speaks of a period "die op een zaterdag,
  zondag of algemeen erkende feestdag eindigt").
- Counting whole days, weeks and months from that start: a period of n days ends n days after the event;
  of n weeks, 7n days after the event (on the event's weekday: a decision sent on Tuesday 3 March 2026
  can be objected to until Tuesday 14 April 2026); of n months, on the event's day number n months
  later, or on that month's last day when it has no such day (an event on 31 January + 1 month ends on
  28 February, or 29 in a leap year). This is the reading issue 14 prescribes; it is the same as counting
  whole weeks or months from the first day and stopping the day before.
- Suspension (opschorting, e.g. Awb 4:15 while a party is asked to complete a request) adds the days it
  lasted; extension (verlenging/verdaging, e.g. Awb 4:14, 7:10 lid 3) adds a period counted from the
  last day reached so far. Both carry a recorded reason. They work on the period as the law sets it,
  before the Atw: the Atw only moves the day the period finally ends on.
- Algemene termijnenwet art. 1 lid 1: a statutory period ending on a Saturday, Sunday or general holiday
  is extended to the next day that is none of these (repeated: a Saturday before Easter Monday ends on
  the Tuesday). Art. 3 names the holidays (wki/core/holidays.py: New Year's Day, Easter Monday, King's
  Day, 5 May, Ascension Day, Whit Monday, Christmas and Boxing Day), equates Good Friday with them and
  lets the Crown equate further days by decree; those an administrator records
  (wki/core/equated_days.py) come in as ``extra_days``. The Atw never shortens a period.

Pure functions of dates: no database, no Flask, no locale. ``compute`` returns a :class:`Deadline` that
carries its own explanation (``steps``), so a page, a letter or the command line can show how the date
was reached.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from wki.core.errors import ServiceError
from wki.core.holidays import EQUATED_NAME, holiday_name, long_date

__all__ = [
    "EXTENSION",
    "SUSPENSION",
    "Deadline",
    "Period",
    "Shift",
    "add_months",
    "compute",
    "days_left",
    "explain",
    "is_on_time",
    "long_day",
    "parse_day",
    "why_not_a_last_day",
]

Unit = Literal["d", "w", "m"]
MAX_AMOUNT = 999

_UNIT_WORDS: dict[str, tuple[str, str]] = {"d": ("dag", "dagen"), "w": ("week", "weken"), "m": ("maand", "maanden")}
_UNIT_ALIASES: dict[str, Unit] = {
    "d": "d", "dag": "d", "dagen": "d",
    "w": "w", "wk": "w", "week": "w", "weken": "w",
    "m": "m", "mnd": "m", "maand": "m", "maanden": "m",
}
_PERIOD = re.compile(r"^\s*(\d{1,6})\s*([a-z]+)\s*$")
PERIOD_FORMS = "een aantal dagen, weken of maanden, zoals 10d, 2w, 6w, 13w of 3m (ook: 10 dagen, 6 weken, 3 maanden)"

_WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")

SUSPENSION = "opschorting"
EXTENSION = "verlenging"
ATW = "art. 1 lid 1 Algemene termijnenwet"


def long_day(day: date) -> str:
    """"dinsdag 3 maart 2026": a date with its weekday, as the explanations write it."""
    return f"{_WEEKDAYS[day.weekday()]} {long_date(day)}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def add_months(day: date, months: int) -> date:
    """The same day number ``months`` later, or that month's last day when it is shorter."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Period:
    """A statutory period: ``amount`` days (``"d"``), weeks (``"w"``) or months (``"m"``)."""

    amount: int
    unit: Unit

    def __post_init__(self) -> None:
        if self.unit not in _UNIT_WORDS:
            raise ServiceError(f"Onbekende eenheid {self.unit!r} voor een termijn; gebruik {PERIOD_FORMS}.")
        if isinstance(self.amount, bool) or not isinstance(self.amount, int) or not 1 <= self.amount <= MAX_AMOUNT:
            raise ServiceError(f"Een termijn is 1 tot en met {MAX_AMOUNT} dagen, weken of maanden.")

    @classmethod
    def parse(cls, text: str) -> Period:
        """``6w``, ``2W``, ``13 w``, ``10d``, ``3m``, and in words ``6 weken``, ``1 dag``, ``3 maanden``."""
        match = _PERIOD.match(str(text or "").lower())
        unit = _UNIT_ALIASES.get(match.group(2)) if match else None
        if match is None or unit is None:
            shown = str(text or "").strip()
            raise ServiceError(f"‘{shown[:40]}’ is geen termijn; geef {PERIOD_FORMS}." if shown
                               else f"Vul een termijn in: {PERIOD_FORMS}.")
        amount = int(match.group(1))
        if not 1 <= amount <= MAX_AMOUNT:
            raise ServiceError(f"Een termijn is 1 tot en met {MAX_AMOUNT} dagen, weken of maanden; "
                               f"‘{str(text).strip()[:40]}’ valt daarbuiten.")
        return cls(amount, unit)

    @property
    def label(self) -> str:
        """"6 weken", "1 dag", "3 maanden"."""
        singular, plural = _UNIT_WORDS[self.unit]
        return f"{self.amount} {singular if self.amount == 1 else plural}"

    def __str__(self) -> str:
        return f"{self.amount}{self.unit}"

    def last_day(self, event: date) -> date:
        """The last day of this period counted from the day after ``event``, before the Atw."""
        if self.unit == "d":
            return event + timedelta(days=self.amount)
        if self.unit == "w":
            return event + timedelta(weeks=self.amount)
        return add_months(event, self.amount)


@dataclass(frozen=True)
class Shift:
    """A suspension (``kind="opschorting"``, ``amount``: the number of days it lasted) or an extension
    (``kind="verlenging"``, ``amount``: a :class:`Period`), with its reason and, when known, who decided it
    and on which day."""

    kind: str
    amount: int | Period
    reason: str
    by: str | None = None
    on: date | None = None

    def __post_init__(self) -> None:
        if self.kind == SUSPENSION:
            if isinstance(self.amount, bool) or not isinstance(self.amount, int) or not 1 <= self.amount <= 9999:
                raise ServiceError("Een opschorting duurt 1 tot en met 9999 dagen.")
        elif self.kind == EXTENSION:
            if not isinstance(self.amount, Period):
                raise ServiceError("Een verlenging is een termijn in dagen, weken of maanden.")
        else:
            raise ServiceError("Een termijn wordt opgeschort of verlengd; iets anders kan niet.")
        if not (self.reason or "").strip():
            raise ServiceError("Vermeld de reden van de " + ("opschorting." if self.kind == SUSPENSION else "verlenging."))

    @classmethod
    def suspension(cls, days: int, reason: str, *, by: str | None = None, on: date | None = None) -> Shift:
        return cls(SUSPENSION, days, reason, by=by, on=on)

    @classmethod
    def extension(cls, period: Period | str, reason: str, *, by: str | None = None, on: date | None = None) -> Shift:
        return cls(EXTENSION, period if isinstance(period, Period) else Period.parse(period), reason, by=by, on=on)

    @property
    def label(self) -> str:
        """"opgeschort met 10 dagen", "verlengd met 6 weken"."""
        if isinstance(self.amount, Period):
            return f"verlengd met {self.amount.label}"
        return f"opgeschort met {self.amount} {'dag' if self.amount == 1 else 'dagen'}"

    def apply(self, last_day: date) -> date:
        if isinstance(self.amount, Period):
            return self.amount.last_day(last_day)
        return last_day + timedelta(days=self.amount)


@dataclass(frozen=True)
class Deadline:
    """A computed deadline. ``end`` is the last day on which the act is still in time."""

    event_date: date
    period: Period
    start: date  # the day after the event: the period's first day
    nominal_end: date  # the period's last day as counted, before any shift and before the Atw
    shifted_end: date  # after suspensions and extensions, before the Atw
    end: date  # the last day, after the Atw
    steps: tuple[str, ...]  # the explanation in Dutch, one sentence a step
    shifts: tuple[Shift, ...] = ()
    # the days the Atw passed over, each with why it cannot be a last day
    skipped: tuple[tuple[date, str], ...] = field(default=())

    def explain(self) -> str:
        return explain(self)


def why_not_a_last_day(day: date, extra_days: Mapping[date, str] | None = None) -> str | None:
    """Why a period cannot end on ``day`` (Atw art. 1 and 3), in Dutch ("een zaterdag", "Koningsdag",
    "Goede Vrijdag (gelijkgesteld met een feestdag, art. 3 lid 2 Atw)"), or None when it can."""
    name = holiday_name(day)
    if extra_days and day in extra_days and (name is None or name == EQUATED_NAME):
        return f"{extra_days[day]} (bij besluit gelijkgesteld met een algemeen erkende feestdag, art. 3 lid 3 Atw)"
    if name == EQUATED_NAME:
        return "een dag die bij besluit is gelijkgesteld met een algemeen erkende feestdag (art. 3 lid 3 Atw)"
    if name == "Goede Vrijdag":
        return "Goede Vrijdag (gelijkgesteld met een algemeen erkende feestdag, art. 3 Atw)"
    if name is not None:
        return f"{name} (een algemeen erkende feestdag, art. 3 Atw)"
    if day.weekday() == 5:
        return "een zaterdag"
    if day.weekday() == 6:
        return "een zondag"
    return None


def compute(event_date: date, period: Period | str, *, extra_days: Mapping[date, str] | None = None,
            shifts: Sequence[Shift] = ()) -> Deadline:
    """The deadline of ``period`` counted from the day after ``event_date``, shifted by ``shifts`` (in
    order), then moved past Saturdays, Sundays and holidays (with ``extra_days``: days equated by decree,
    with their names) as the Atw requires."""
    if not isinstance(event_date, date):
        raise ServiceError("Geef de datum van de gebeurtenis waarop de termijn volgt.")
    if isinstance(period, str):
        period = Period.parse(period)
    start = event_date + timedelta(days=1)
    nominal = period.last_day(event_date)
    steps = [
        f"Gebeurtenis: {long_day(event_date)}.",
        f"De termijn begint op de dag daarna: {long_day(start)} (art. 6:8 lid 1 Awb).",
        f"Termijn van {period.label}: de laatste dag is {long_day(nominal)}{_month_note(event_date, period, nominal)}.",
    ]
    shifted = nominal
    for shift in shifts:
        shifted = shift.apply(shifted)
        who = f"; door {shift.by}" if shift.by else ""
        when = f" op {long_date(shift.on)}" if shift.on else ""
        steps.append(f"{_capital(shift.label)} (reden: {shift.reason.strip()}{who}{when}): "
                     f"de laatste dag wordt {long_day(shifted)}.")
    end = shifted
    skipped: list[tuple[date, str]] = []
    while (why := why_not_a_last_day(end, extra_days)) is not None:
        skipped.append((end, why))
        end += timedelta(days=1)
    if skipped:
        passed = "; ".join(f"{long_day(day)} is {why}" for day, why in skipped)
        steps.append(f"{_capital(passed)}. De termijn eindigt daarom op {long_day(end)} ({ATW}).")
    else:
        steps.append(f"{_capital(long_day(end))} is geen zaterdag, zondag of feestdag: de termijn eindigt op "
                     "die dag.")
    return Deadline(event_date=event_date, period=period, start=start, nominal_end=nominal, shifted_end=shifted,
                    end=end, steps=tuple(steps), shifts=tuple(shifts), skipped=tuple(skipped))


def _month_note(event: date, period: Period, nominal: date) -> str:
    if period.unit == "m" and nominal.day != event.day:
        return f" ({_MONTH_NAMES[nominal.month - 1]} heeft geen {event.day}e dag: de laatste dag van die maand)"
    return ""


_MONTH_NAMES = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
                "oktober", "november", "december")


def explain(deadline: Deadline) -> str:
    """The steps of a deadline, one a line."""
    return "\n".join(deadline.steps)


def days_left(deadline: Deadline | date, today: date) -> int:
    """Calendar days from ``today`` to the last day: 0 on the last day itself, negative once it passed."""
    end = deadline.end if isinstance(deadline, Deadline) else deadline
    return (end - today).days


def is_on_time(deadline: Deadline | date, day: date) -> bool:
    """Whether an act on ``day`` (an objection received, a decision sent) is within the deadline."""
    end = deadline.end if isinstance(deadline, Deadline) else deadline
    return day <= end


_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")


def parse_day(text: str) -> date:
    """A date as ISO (``2026-03-03``) or Dutch (``3-3-2026``, ``03-03-2026``, also with / or .);
    ``ServiceError`` in Dutch otherwise."""
    value = str(text or "").strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return date.fromisoformat(value)
        match = _DMY.match(value)
        if match:
            return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    except ValueError:
        raise ServiceError(f"‘{value[:40]}’ bestaat niet als datum.") from None
    if not value:
        raise ServiceError("Vul een datum in (JJJJ-MM-DD of D-M-JJJJ).")
    raise ServiceError(f"‘{value[:40]}’ is geen datum; gebruik JJJJ-MM-DD of D-M-JJJJ.")
