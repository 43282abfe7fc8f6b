"""One place for 'now', so tests and jobs agree on what time it is."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def utcnow() -> datetime:
    return datetime.now(UTC)


def today_local() -> date:
    """Today's date in the Netherlands (statutory dates are Dutch calendar dates)."""
    return utcnow().astimezone(AMSTERDAM).date()


def to_local(value: datetime) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(AMSTERDAM)
