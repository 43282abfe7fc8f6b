"""The figures page's charts: the numbers of ``page_queries.figures`` as ``core.charts`` bar charts, with
the Dutch names of the months, the sources and the verdicts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from wki.core.charts import BarChart, Number, Series
from wki.core.formatting import fmt_money, fmt_number
from wki.signals.models import Source, Verdict
from wki.signals.page_queries import Figures

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")
SHORT_MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
NOT_JUDGED = "Nog niet beoordeeld"


def month_name(day: date) -> str:
    return f"{MONTHS[day.month - 1]} {day.year}"


def _axis(months: list[date]) -> list[tuple[str, str | None]]:
    """A short month under each bar, and the year under the first bar and under every January."""
    return [(SHORT_MONTHS[m.month - 1], str(m.year) if i == 0 or m.month == 1 else None)
            for i, m in enumerate(months)]


def _count(value: Number) -> str:
    return fmt_number(value)


def _euros(value: Number) -> str:
    return "€ " + fmt_number(Decimal(value), decimals=0)


def build_charts(figures: Figures) -> list[BarChart]:
    keys = figures.keys()
    categories = [month_name(m) for m in figures.months]
    axis = _axis(figures.months)

    sources = [s for s in Source.labels() if any(figures.by_source.get(k, {}).get(s) for k in keys)]
    by_source = BarChart(
        id="grafiek-bron", title="Signalen per maand, naar bron", categories=categories, axis_labels=axis,
        series=[Series(s, Source.labels()[s], tuple(figures.by_source.get(k, {}).get(s, 0) for k in keys))
                for s in sources],
        format_value=_count, what="signalen", empty_text="Geen signalen in deze periode.")

    verdicts: list[str | None] = [v for v in Verdict.labels() if any(figures.by_verdict.get(k, {}).get(v) for k in keys)]
    if any(figures.by_verdict.get(k, {}).get(None) for k in keys):
        verdicts.append(None)
    by_verdict = BarChart(
        id="grafiek-oordeel", title="Signalen per maand, naar oordeel", categories=categories, axis_labels=axis,
        series=[Series(v or "geen", Verdict.labels()[v] if v else NOT_JUDGED,
                       tuple(figures.by_verdict.get(k, {}).get(v, 0) for k in keys)) for v in verdicts],
        format_value=_count, what="signalen", empty_text="Geen signalen in deze periode.")

    bik_count = BarChart(
        id="grafiek-bik-aantal", title="Signalen met incassokosten boven het BIK-maximum, per maand",
        categories=categories, axis_labels=axis,
        series=[Series("bik", "Signalen boven het BIK-maximum plus btw",
                       tuple(figures.bik.get(k, (0, Decimal(0)))[0] for k in keys))],
        format_value=_count, what="signalen boven het BIK-maximum",
        empty_text="Geen overschrijdingen van het BIK-maximum in deze periode.")
    bik_amount = BarChart(
        id="grafiek-bik-bedrag", title="Totale overschrijding van het BIK-maximum in euro, per maand",
        categories=categories, axis_labels=axis,
        series=[Series("overschrijding", "Overschrijding samen (incassokosten boven het maximum plus btw)",
                       tuple(figures.bik.get(k, (0, Decimal(0)))[1] for k in keys))],
        format_value=fmt_money, format_tick=_euros, integer=False, what="aan overschrijdingen",
        empty_text="Geen overschrijdingen van het BIK-maximum in deze periode.")
    return [by_source, by_verdict, bik_count, bik_amount]
