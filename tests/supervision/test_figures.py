"""Supervision's charts: the numbers in the drawing, the table and the description agree, in Dutch."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.factories import SignalFactory
from tests.supervision.test_priorities import inspection
from wki.core.charts import BarChart
from wki.supervision.figures import (
    CategoryChart,
    FindingCount,
    findings_chart,
    findings_per_requirement,
    priority_spread,
    priority_spread_chart,
    signals_chart,
    signals_per_month,
)
from wki.supervision.models import InspectionStatus
from wki.supervision.priorities import Priority


def segments(chart: BarChart) -> list[tuple[str, str, str]]:
    """(category, series, value) of every drawn segment."""
    svg = str(chart.svg())
    out = []
    for category, body in re.findall(r'<g data-category="([^"]*)" data-total="[^"]*">(.*?)</g>', svg):
        out.extend((category, s, v) for s, v in re.findall(r'data-series="([^"]*)" data-value="([^"]*)"', body))
    return out


def test_findings_stacked_by_judgement_in_catalogue_order():
    chart = findings_chart([
        FindingCount("INCASSOKOSTEN_CORRECT", "Incassokosten volgens de wet", 11, "voldoet_niet", 2),
        FindingCount("REGISTRATIE_ACTUEEL", "Ingeschreven", 1, "voldoet", 3),
        FindingCount("REGISTRATIE_ACTUEEL", "Ingeschreven", 1, "voldoet_niet", 1),
        FindingCount("INCASSOKOSTEN_CORRECT", "Incassokosten volgens de wet", 11, "deels", 1),
    ])
    assert isinstance(chart, BarChart)
    assert chart.categories == ["REGISTRATIE_ACTUEEL \u2013 Ingeschreven",
                                "INCASSOKOSTEN_CORRECT \u2013 Incassokosten volgens de wet"]
    assert [s.key for s in chart.series] == ["voldoet_niet", "deels", "voldoet"]  # worst at the bottom
    assert [s.label for s in chart.series] == ["Voldoet niet", "Voldoet deels", "Voldoet"]
    assert chart.table_rows() == [
        ("REGISTRATIE_ACTUEEL \u2013 Ingeschreven", [1, 0, 3], 4),
        ("INCASSOKOSTEN_CORRECT \u2013 Incassokosten volgens de wet", [2, 1, 0], 3),
    ]
    assert list(chart.axis_labels) == [("1", None), ("2", None)]
    assert chart.description() == (
        "Gestapelde staven per eis, van REGISTRATIE_ACTUEEL \u2013 Ingeschreven tot en met INCASSOKOSTEN_CORRECT "
        "\u2013 Incassokosten volgens de wet: in totaal 7 oordelen, het meest bij REGISTRATIE_ACTUEEL \u2013 "
        "Ingeschreven (4). Opgebouwd uit: Voldoet niet 3; Voldoet deels 1; Voldoet 3. De tabel onder de grafiek "
        "geeft alle cijfers.")
    assert ("REGISTRATIE_ACTUEEL \u2013 Ingeschreven", "voldoet", "3") in segments(chart)
    assert "per maand" not in str(chart.svg())


def test_no_findings_yet():
    chart = findings_chart([])
    assert chart.empty and chart.description() == "Nog geen afgeronde inspecties met oordelen."


def test_findings_from_completed_inspections_only(db_session):
    inspection("R2024-00500", date(2026, 3, 1), judgements=("voldoet_niet", "voldoet"))
    inspection("R2024-00501", date(2026, 4, 1), judgements=("voldoet_niet", "deels"))
    inspection("R2024-00502", date(2026, 4, 2), status=InspectionStatus.IN_REVIEW, judgements=("voldoet_niet",))
    chart = findings_per_requirement()
    rows = {category.split(" \u2013 ")[0]: (values, total) for category, values, total in chart.table_rows()}
    assert [s.key for s in chart.series] == ["voldoet_niet", "deels", "voldoet"]
    assert rows == {"REGISTRATIE_ACTUEEL": ([2, 0, 0], 2), "WIJZIGINGEN_MELDEN": ([0, 1, 1], 2)}
    assert findings_per_requirement(since=date(2026, 3, 15)).table_rows()[0][1:] == ([1, 0], 1)


def test_signals_per_month_chart():
    chart = signals_chart([(date(2025, 12, 1), 2), (date(2026, 1, 1), 0), (date(2026, 2, 1), 5)],
                          registratienummer="R2024-00001")
    assert chart.title == "Signalen over R2024-00001 per maand"
    assert chart.categories == ["december 2025", "januari 2026", "februari 2026"]
    assert list(chart.axis_labels) == [("dec", "2025"), ("jan", "2026"), ("feb", None)]
    assert chart.description().startswith("Staven per maand, van december 2025 tot en met februari 2026: in totaal "
                                          "7 signalen, het meest in februari 2026 (5).")
    assert segments(chart) == [("december 2025", "signalen", "2"), ("februari 2026", "signalen", "5")]


def test_signals_per_month_from_the_database(db_session):
    SignalFactory(auto_verdict="geregistreerd", auto_registratienummer="R2024-00001", ontvangen_op=date(2026, 2, 3))
    SignalFactory(auto_verdict="geregistreerd", auto_registratienummer="R2024-00002", ontvangen_op=date(2026, 2, 4))
    one = signals_per_month(registratienummer="R2024-00001", first=date(2026, 1, 1), last=date(2026, 2, 28))
    every = signals_per_month(registratienummer=None, first=date(2026, 1, 1), last=date(2026, 2, 28))
    assert [total for *_, total in one.table_rows()] == [0, 1]
    assert [total for *_, total in every.table_rows()] == [0, 2]
    assert every.title == "Signalen per maand"


def test_priority_spread_in_bands_with_the_empty_ones():
    chart = priority_spread_chart([0, 9, 10, 25, 25, 29, 41])
    assert chart.categories == ["0\u20139", "10\u201319", "20\u201329", "30\u201339", "40\u201349"]
    assert [total for *_, total in chart.table_rows()] == [2, 1, 3, 0, 1]
    assert chart.description() == (
        "Staven per klasse van prioriteit, van 0\u20139 tot en met 40\u201349: in totaal 7 incassobureaus, het meest "
        "bij 20\u201329 (3). De tabel onder de grafiek geeft alle cijfers.")


def test_priority_spread_of_priorities_and_of_nothing():
    ranked = [Priority("R1", "A", None, 12, (), None, False), Priority("R2", "B", None, 3, (), None, False)]
    assert [total for *_, total in priority_spread(ranked, band=5).table_rows()] == [1, 0, 1]
    empty = priority_spread_chart([])
    assert empty.empty and empty.description() == "Geen ingeschreven incassobureaus. Van 0\u20139 tot en met 0\u20139."
    with pytest.raises(ValueError):
        priority_spread_chart([1], band=0)


def test_category_chart_is_a_bar_chart_that_says_what_its_bars_are():
    chart = CategoryChart(id="x", title="T", categories=["a"], axis_labels=[("a", None)], series=[], per="per eis")
    assert isinstance(chart, BarChart) and chart.per == "per eis"
