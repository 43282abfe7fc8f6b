"""Enforcement's figures for the team's overview: open cases by status and instrument, the statutory deadlines
of the coming weeks, and the decisions issued per month (``core.charts.BarChart``: server-side SVG with the
numbers as a table). One query each."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from wki.core.charts import BarChart, Series
from wki.core.clock import AMSTERDAM, to_local
from wki.core.extensions import db
from wki.core.formatting import fmt_number
from wki.enforcement.models import (
    OPEN_STATUSES,
    Case,
    CaseDeadline,
    CaseDocument,
    CaseStatus,
    DeadlineKind,
    DeadlineStatus,
    DocumentKind,
    DocumentStatus,
    Instrument,
)

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")
SHORT_MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
# The decisions the chart counts, in its stacking order.
DECISION_KINDS = (DocumentKind.FINE, DocumentKind.PENALTY_ORDER, DocumentKind.COLLECTION)
NO_INSTRUMENT = ""  # the column of open cases whose instrument is not chosen yet


def add_months(first_day: date, months: int) -> date:
    """The first day of the month ``months`` months after ``first_day``'s."""
    index = first_day.year * 12 + first_day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


# ---------------------------------------------------------------- open cases by status and instrument


@dataclass(frozen=True)
class OpenCases:
    """How many open cases per status (rows) and instrument (columns; ``NO_INSTRUMENT``: none chosen yet)."""

    counts: dict[tuple[str, str], int]

    @property
    def statuses(self) -> list[CaseStatus]:
        return list(OPEN_STATUSES)

    @property
    def columns(self) -> list[tuple[str, str]]:
        """(instrument value, label) of the instruments that occur, in their order; "none chosen yet" last."""
        used = {instrument for _, instrument in self.counts}
        out = [(i.value, i.label) for i in Instrument if i.value in used]
        if NO_INSTRUMENT in used:
            out.append((NO_INSTRUMENT, "Nog geen instrument"))
        return out

    def count(self, status: str, instrument: str) -> int:
        return self.counts.get((status, instrument), 0)

    def row_total(self, status: str) -> int:
        return sum(n for (s, _), n in self.counts.items() if s == status)

    def column_total(self, instrument: str) -> int:
        return sum(n for (_, i), n in self.counts.items() if i == instrument)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def open_cases() -> OpenCases:
    counts: dict[tuple[str, str], int] = {}
    for status, instrument, n in db.session.execute(
            sa.select(Case.status, Case.instrument, sa.func.count(Case.id))
            .where(Case.status.in_(OPEN_STATUSES)).group_by(Case.status, Case.instrument)):
        counts[(str(status), str(instrument) if instrument is not None else NO_INSTRUMENT)] = int(n)
    return OpenCases(counts)


# ---------------------------------------------------------------- the deadlines of the coming weeks


@dataclass(frozen=True)
class UpcomingDeadline:
    case_id: int
    nummer: str
    naam: str
    kind: DeadlineKind
    end_date: date
    days_left: int  # negative: ended that many days ago, still running


def upcoming_deadlines(today: date, days: int = 28) -> list[UpcomingDeadline]:
    """The running deadlines that end within ``days`` days of ``today`` (and those that ended while still
    running), soonest first."""
    return [UpcomingDeadline(case_id=case_id, nummer=nummer, naam=naam, kind=DeadlineKind.from_value(kind), end_date=end,
                             days_left=(end - today).days)
            for case_id, nummer, naam, kind, end in db.session.execute(
                sa.select(Case.id, Case.nummer, Case.naam, CaseDeadline.kind, CaseDeadline.end_date)
                .join(Case, Case.id == CaseDeadline.case_id)
                .where(CaseDeadline.status == DeadlineStatus.RUNNING,
                       CaseDeadline.end_date <= today + timedelta(days=days))
                .order_by(CaseDeadline.end_date, Case.nummer, CaseDeadline.id))]


# ---------------------------------------------------------------- decisions per month


def decision_counts(first: date, last: date) -> dict[tuple[date, str], int]:
    """(first day of the month, document kind) -> decisions issued (fines, penalty orders, collection
    decisions) dated in the months from ``first``'s to ``last``'s; a decision without a date counts on the day
    it was issued. One query."""
    start, end = first.replace(day=1), add_months(last.replace(day=1), 1)
    start_at = datetime.combine(start, time.min, tzinfo=AMSTERDAM).astimezone(UTC)
    end_at = datetime.combine(end, time.min, tzinfo=AMSTERDAM).astimezone(UTC)
    counts: dict[tuple[date, str], int] = {}
    for kind, document_date, issued_at in db.session.execute(
            sa.select(CaseDocument.kind, CaseDocument.document_date, CaseDocument.issued_at)
            .where(CaseDocument.status == DocumentStatus.ISSUED, CaseDocument.kind.in_(DECISION_KINDS),
                   sa.or_(sa.and_(CaseDocument.document_date >= start, CaseDocument.document_date < end),
                          sa.and_(CaseDocument.document_date.is_(None), CaseDocument.issued_at >= start_at,
                                  CaseDocument.issued_at < end_at)))):
        day = document_date or to_local(issued_at).date()
        key = (day.replace(day=1), str(kind))
        counts[key] = counts.get(key, 0) + 1
    return counts


def decisions_chart(counts: dict[tuple[date, str], int], months: Sequence[date]) -> BarChart:
    """One bar per month, stacked by kind of decision (only the kinds that occur)."""
    kinds = [k for k in DECISION_KINDS if any(counts.get((m, k.value)) for m in months)]
    return BarChart(
        id="grafiek-besluiten", title="Uitgegeven besluiten per maand",
        categories=[f"{MONTHS[m.month - 1]} {m.year}" for m in months],
        axis_labels=[(SHORT_MONTHS[m.month - 1], str(m.year) if i == 0 or m.month == 1 else None)
                     for i, m in enumerate(months)],
        series=[Series(k.value, k.label, tuple(counts.get((m, k.value), 0) for m in months)) for k in kinds],
        format_value=fmt_number, what="besluiten", empty_text="Geen besluiten uitgegeven in deze periode.")


def decisions_per_month(today: date, months: int = 12) -> BarChart:
    """The decisions of the last ``months`` months, this one included."""
    first = add_months(today.replace(day=1), -(months - 1))
    shown = [add_months(first, i) for i in range(months)]
    return decisions_chart(decision_counts(first, today), shown)
