"""Days equated with a general holiday by decree (Algemene termijnenwet art. 3 lid 3), as an administrator
records them (Beheer → Feestdagen en termijnen), and the deadline engine with them.

The Crown equates a few days a year (in practice Fridays after Ascension Day or between Christmas and New
Year) by a decree in the Staatsblad or Staatscourant; a period that would end on such a day ends on the next
working day. The built-in days of wki/core/holidays.py (``EQUATED_DAYS``) count whether or not they are
recorded here. Only a day that changes something can be added: not a Saturday or Sunday, nor a day that is
already a holiday.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from wki.core import audit
from wki.core.actors import Actor
from wki.core.audit_actions import EquatedDayAction
from wki.core.clock import utcnow
from wki.core.db import Base
from wki.core.deadlines import Deadline, Period, Shift, compute, long_day
from wki.core.errors import NotFoundError, ServiceError
from wki.core.extensions import db
from wki.core.holidays import (
    EQUATED_DAYS,
    EQUATED_NAME,
    GOOD_FRIDAY_NAME,
    easter_sunday,
    general_holidays,
    holiday_name,
    long_date,
)
from wki.core.service import service
from wki.core.text import is_storable, strip_controls

OBJECT_TYPE = "equated_day"
NAME_MAX = 200
SOURCE_MAX = 300


class EquatedDay(Base):
    __tablename__ = "equated_day"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(sa.String(NAME_MAX))
    source: Mapped[str] = mapped_column(sa.String(SOURCE_MAX))  # the decree: "Besluit van …, Stb. 2025, 123"
    created_by: Mapped[str] = mapped_column(sa.String(320))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<EquatedDay {self.day} {self.name!r}>"


def list_equated_days() -> list[EquatedDay]:
    """Every recorded day, in calendar order."""
    return list(db.session.scalars(sa.select(EquatedDay).order_by(EquatedDay.day)))


def equated_days() -> dict[date, str]:
    """The recorded days with their names: the ``extra_days`` of :func:`wki.core.deadlines.compute`."""
    return {day: name for day, name in db.session.execute(sa.select(EquatedDay.day, EquatedDay.name))}


def compute_with_calendar(event_date: date, period: Period | str, *, shifts: Sequence[Shift] = ()) -> Deadline:
    """:func:`wki.core.deadlines.compute` with the days administrators equated with holidays."""
    return compute(event_date, period, extra_days=equated_days(), shifts=shifts)


def _text(value: str | None, *, label: str, missing: str, field: str, limit: int) -> str:
    text = " ".join(strip_controls(value or "").split())
    if not text:
        raise ServiceError(missing, field=field)
    if not is_storable(text):
        raise ServiceError(f"{label} bevat tekens die niet kunnen worden opgeslagen.", field=field)
    if len(text) > limit:
        raise ServiceError(f"{label} is te lang (hoogstens {limit} tekens).", field=field)
    return text


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


@service
def add_equated_day(day: date, name: str, source: str, *, actor: Actor) -> EquatedDay:
    """Record a day equated with a general holiday by decree; refused (Dutch) when the day is a Saturday or
    Sunday or already a holiday (it would change nothing), already recorded, or the name or the decree is
    missing."""
    if not isinstance(day, date):
        raise ServiceError("Vul de datum in.", field="day")
    clean_name = _text(name, label="De naam", missing="Vul de naam van de dag in.", field="name", limit=NAME_MAX)
    clean_source = _text(source, label="De bron", missing="Vul de bron in: het besluit, met vindplaats.",
                         field="source", limit=SOURCE_MAX)
    if day.weekday() >= 5:
        weekday = "zaterdag" if day.weekday() == 5 else "zondag"
        raise ServiceError(f"{_cap(long_date(day))} is een {weekday}: een termijn eindigt daar al nooit, dus "
                           "gelijkstellen verandert niets.", field="day")
    existing = holiday_name(day)
    if existing is not None:
        raise ServiceError(f"{_cap(long_date(day))} is al een feestdag ({existing}): gelijkstellen verandert "
                           "niets.", field="day")
    if db.session.scalar(sa.select(EquatedDay.id).where(EquatedDay.day == day)) is not None:
        raise ServiceError(f"{_cap(long_date(day))} is al als gelijkgestelde dag vastgelegd.", field="day")
    row = EquatedDay(day=day, name=clean_name, source=clean_source, created_by=actor.label, created_at=utcnow())
    db.session.add(row)
    db.session.flush()
    audit.record(EquatedDayAction.ADDED, object_type=OBJECT_TYPE, object_id=row.id, actor=actor,
                 after={"day": day, "name": clean_name, "source": clean_source})
    return row


@service
def remove_equated_day(equated_day_id: int, *, actor: Actor) -> None:
    """Remove a recorded day: deadlines ending on it are computed without it from now on."""
    row = get_equated_day(equated_day_id)
    before = {"day": row.day, "name": row.name, "source": row.source, "created_by": row.created_by}
    db.session.delete(row)
    db.session.flush()
    audit.record(EquatedDayAction.REMOVED, object_type=OBJECT_TYPE, object_id=equated_day_id, actor=actor,
                 before=before)


@dataclass(frozen=True)
class CalendarDay:
    """A day no period ends on, for the overview: its date, its name and on what ground (Atw art. 3)."""

    day: date
    name: str
    ground: str
    weekday: str


def holiday_calendar(year: int) -> list[CalendarDay]:
    """The general holidays of ``year`` (art. 3 lid 1), Good Friday (lid 2), and the days equated by decree
    (lid 3: the built-in ones and those recorded here), in calendar order."""
    days = [CalendarDay(day, name, "Algemeen erkende feestdag (art. 3 lid 1)", long_day(day).split()[0])
            for day, name in general_holidays(year).items()]
    good_friday = easter_sunday(year) - timedelta(days=2)
    days.append(CalendarDay(good_friday, GOOD_FRIDAY_NAME, "Gelijkgesteld (art. 3 lid 2)",
                            long_day(good_friday).split()[0]))
    recorded = {day: name for day, name in equated_days().items() if day.year == year}
    for day in EQUATED_DAYS:
        if day.year == year and day not in recorded:
            days.append(CalendarDay(day, EQUATED_NAME, "Gelijkgesteld bij besluit (art. 3 lid 3; ingebouwd)",
                                    long_day(day).split()[0]))
    for day, name in recorded.items():
        days.append(CalendarDay(day, name, "Gelijkgesteld bij besluit (art. 3 lid 3)", long_day(day).split()[0]))
    return sorted(days, key=lambda d: d.day)


def get_equated_day(equated_day_id: int) -> EquatedDay:
    """The recorded day; ``NotFoundError`` (Dutch) when there is none."""
    row = db.session.get(EquatedDay, equated_day_id)
    if row is None:
        raise NotFoundError("Deze gelijkgestelde dag bestaat niet (meer).")
    return row
