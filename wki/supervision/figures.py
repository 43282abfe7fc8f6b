"""Supervision's charts (``core.charts.BarChart``: server-side SVG with a data table as its text alternative):
findings per requirement across completed inspections, stacked by judgement; signals per month for one
registration or all; and the spread of priorities over bands of scores.

The ``*_chart`` functions are pure (numbers in, chart out); ``findings_per_requirement``,
``signals_per_month`` and ``priority_spread`` read the numbers (one query each, or the priorities' own)
and build the chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from wki.core.charts import BarChart, Number, Series
from wki.core.extensions import db
from wki.core.formatting import fmt_number
from wki.signals.queries import signal_counts_per_month
from wki.supervision.models import Inspection, InspectionItem, InspectionStatus, Judgement, Requirement
from wki.supervision.priorities import Priority

__all__ = [
    "JUDGEMENT_ORDER",
    "CategoryChart",
    "FindingCount",
    "finding_counts",
    "findings_chart",
    "findings_per_requirement",
    "priority_spread",
    "priority_spread_chart",
    "signals_chart",
    "signals_per_month",
]

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")
SHORT_MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")

# The stacking order: the worst at the bottom, where the eye compares bars.
JUDGEMENT_ORDER = (Judgement.FAILS, Judgement.PARTLY, Judgement.COMPLIES, Judgement.NOT_APPLICABLE,
                   Judgement.NOT_JUDGED)


def _count(value: Number) -> str:
    return fmt_number(value)


@dataclass
class CategoryChart(BarChart):
    """A ``BarChart`` whose bars are not months: its description says what the bars are (``per``, e.g.
    "per eis") and "het meest bij …" (core's wording, with other words)."""

    peak_at: str = "bij"
    span_intro: str = "Van"


# ---------------------------------------------------------------- findings per requirement


@dataclass(frozen=True)
class FindingCount:
    code: str
    titel: str
    position: int
    judgement: str
    count: int


def findings_chart(counts: Sequence[FindingCount]) -> BarChart:
    """One bar per requirement (in catalogue order), stacked by judgement; under each bar its number in the
    catalogue, in the table its code and title."""
    requirements: dict[str, tuple[int, str]] = {}
    per: dict[tuple[str, str], int] = {}
    for c in counts:
        position, _ = requirements.get(c.code, (c.position, c.titel))
        requirements[c.code] = (min(position, c.position), c.titel)
        per[(c.code, str(c.judgement))] = per.get((c.code, str(c.judgement)), 0) + c.count
    codes = sorted(requirements, key=lambda code: (requirements[code][0], code))
    judgements = [j for j in JUDGEMENT_ORDER if any(per.get((code, j.value)) for code in codes)]
    return CategoryChart(
        id="grafiek-bevindingen", title="Oordelen per eis in afgeronde inspecties",
        categories=[f"{code} \u2013 {requirements[code][1]}" for code in codes],
        axis_labels=[(str(i + 1), None) for i in range(len(codes))],
        series=[Series(j.value, j.label, tuple(per.get((code, j.value), 0) for code in codes)) for j in judgements],
        format_value=_count, what="oordelen", per="per eis",
        empty_text="Nog geen afgeronde inspecties met oordelen.")


def finding_counts(*, since: date | None = None, until: date | None = None) -> list[FindingCount]:
    """The judgements in completed inspections (with an inspection date in the period, when given), per
    requirement code and judgement: one grouped query."""
    stmt = (sa.select(Requirement.code, sa.func.max(Requirement.titel), sa.func.min(Requirement.position),
                      InspectionItem.judgement, sa.func.count())
            .join(InspectionItem, InspectionItem.requirement_id == Requirement.id)
            .join(Inspection, Inspection.id == InspectionItem.inspection_id)
            .where(Inspection.status == InspectionStatus.DONE)
            .group_by(Requirement.code, InspectionItem.judgement))
    if since is not None:
        stmt = stmt.where(Inspection.inspectiedatum >= since)
    if until is not None:
        stmt = stmt.where(Inspection.inspectiedatum <= until)
    return [FindingCount(code=code, titel=titel, position=position, judgement=str(judgement), count=int(n))
            for code, titel, position, judgement, n in db.session.execute(stmt)]


def findings_per_requirement(*, since: date | None = None, until: date | None = None) -> BarChart:
    return findings_chart(finding_counts(since=since, until=until))


# ---------------------------------------------------------------- signals per month


def signals_chart(counts: Sequence[tuple[date, int]], *, registratienummer: str | None = None) -> BarChart:
    """Signals per month (the first day of each month with its count), for one registration or all."""
    whose = f" over {registratienummer}" if registratienummer else ""
    months = [month for month, _ in counts]
    return BarChart(
        id="grafiek-signalen", title=f"Signalen{whose} per maand",
        categories=[f"{MONTHS[m.month - 1]} {m.year}" for m in months],
        axis_labels=[(SHORT_MONTHS[m.month - 1], str(m.year) if i == 0 or m.month == 1 else None)
                     for i, m in enumerate(months)],
        series=[Series("signalen", "Signalen", tuple(n for _, n in counts))],
        format_value=_count, what="signalen", empty_text="Geen signalen in deze periode.")


def signals_per_month(*, registratienummer: str | None, first: date, last: date) -> BarChart:
    return signals_chart(signal_counts_per_month(registratienummer=registratienummer, first=first, last=last),
                         registratienummer=registratienummer)


# ---------------------------------------------------------------- the spread of priorities


def priority_spread_chart(scores: Sequence[int], *, band: int = 10) -> BarChart:
    """How many agencies have a score in each band ("0–9", "10–19", ...) up to the highest score; every band
    shown, also the empty ones, so that the shape of the spread is true."""
    if band < 1:
        raise ValueError("band must be at least 1")
    top = max(scores, default=0)
    bands = max(0, top) // band + 1
    counts = [0] * bands
    for score in scores:
        counts[max(0, score) // band] += 1
    labels = [f"{i * band}\u2013{(i + 1) * band - 1}" if band > 1 else str(i) for i in range(bands)]
    return CategoryChart(
        id="grafiek-prioriteiten", title="Spreiding van de prioriteiten", categories=labels,
        axis_labels=[(label, None) for label in labels],
        series=[Series("bureaus", "Incassobureaus", tuple(counts))],
        format_value=_count, what="incassobureaus", per="per klasse van prioriteit",
        empty_text="Geen ingeschreven incassobureaus.")


def priority_spread(ranked: Sequence[Priority], *, band: int = 10) -> BarChart:
    """``priority_spread_chart`` of the scores of ``priorities.priorities(as_of)`` (the planning page has them)."""
    return priority_spread_chart([p.score for p in ranked], band=band)
