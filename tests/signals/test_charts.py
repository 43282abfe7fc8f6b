"""The figures page (Cijfers): server-side SVG bar charts with a text alternative. The chart helper
(``wki.core.charts``: scales, empty data, one month, stacked totals equal to the table's, escaped
labels, a legend in words), the monthly numbers from SQL (on SQLite and PostgreSQL alike), and the page."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from tests.signals.helpers import signal_row
from wki.core.actors import Actor
from wki.core.auth import Role
from wki.core.charts import BarChart, Series, nice_scale
from wki.core.clock import today_local
from wki.signals.decisions import decide_verdict
from wki.signals.figures import build_charts
from wki.signals.forms import add_months
from wki.signals.models import Channel, Signal
from wki.signals.page_queries import figures
from wki.signals.recording import create_signal

SVG = "{http://www.w3.org/2000/svg}"
_n = [0]


def make_signal(**values: Any) -> Signal:
    _n[0] += 1
    return create_signal(signal_row(8000 + _n[0], **values), channel=Channel.FORM, actor=Actor.process("inspecteur@test"))


def chart(values: dict[str, list[float]], *, months: int | None = None, title: str = "Signalen per maand",
          **kwargs: Any) -> BarChart:
    n = months if months is not None else len(next(iter(values.values()), []))
    return BarChart(id="test", title=title, categories=[f"maand {i + 1}" for i in range(n)],
                    axis_labels=[(f"m{i + 1}", None) for i in range(n)],
                    series=[Series(key, key.capitalize(), tuple(v)) for key, v in values.items()], **kwargs)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # well-formed XML: every label escaped


def bars(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(SVG + "g") if "data-total" in g.attrib]


# ---------------------------------------------------------------- the helper


class TestScale:
    @pytest.mark.parametrize(("maximum", "top", "step"), [
        (0, 1, 1), (1, 1, 1), (4, 4, 1), (5, 5, 1), (7, 8, 2), (10, 10, 2), (11, 15, 5), (23, 25, 5), (48, 50, 10),
        (99, 100, 20), (101, 125, 25), (1234, 1250, 250), (20000, 20000, 5000),
    ])
    def test_counts_get_whole_round_steps(self, maximum, top, step):
        assert nice_scale(maximum) == (top, step)

    @pytest.mark.parametrize(("maximum", "top", "step"), [
        (Decimal("0.40"), 0.4, 0.1), (Decimal("2.3"), 2.5, 0.5), (Decimal("1862.77"), 2000, 500), (12.5, 12.5, 2.5),
    ])
    def test_amounts_may_get_fractional_steps(self, maximum, top, step):
        assert nice_scale(maximum, integer=False) == pytest.approx((top, step))

    def test_the_top_is_never_below_the_highest_bar(self):
        for maximum in range(0, 500):
            top, step = nice_scale(maximum)
            assert top >= maximum and top / step <= 10 and step == int(step)


class TestChart:
    def test_is_an_image_named_by_its_title_and_described(self):
        root = parse(chart({"consument": [3, 1], "gemeente": [2, 0]}).svg())
        assert root.get("role") == "img"
        assert root.get("aria-labelledby") == "test-titel test-beschrijving"
        assert root.find(SVG + "title").get("id") == "test-titel"
        assert root.find(SVG + "title").text == "Signalen per maand"
        desc = root.find(SVG + "desc")
        assert desc.get("id") == "test-beschrijving"
        assert desc.text.startswith("Gestapelde staven per maand, van maand 1 tot en met maand 2: in totaal 6 ")
        assert "het meest in maand 1 (5)" in desc.text and "Consument 4; Gemeente 2" in desc.text

    def test_stacked_totals_equal_the_table_totals(self):
        c = chart({"a": [3, 0, 7, 1], "b": [2, 0, 0, 9], "c": [0, 0, 4, 1]})
        root = parse(c.svg())
        drawn = bars(root)
        table = c.table_rows()
        assert [row[2] for row in table] == [5, 0, 11, 11] == c.totals
        assert [float(g.get("data-total")) for g in drawn] == [5, 0, 11, 11]
        top = float(root.get("data-top"))
        for g, (_category, values, total) in zip(drawn, table, strict=True):
            segments = g.findall(SVG + "rect")
            assert sum(float(r.get("data-value")) for r in segments) == total
            assert [r.get("data-series") for r in segments] == [k for k, v in zip("abc", values, strict=True) if v]
            # The heights are the values to scale: a stack is as high as its total.
            height = sum(float(r.get("height")) for r in segments)
            assert height == pytest.approx(total / top * 232, abs=0.05)
        assert c.series_totals() == [11, 11, 5] and c.grand_total == 27

    def test_empty_data_says_so_and_still_draws_an_axis(self):
        for c in (chart({"a": [0, 0, 0]}), chart({}, months=3)):
            root = parse(c.svg())
            texts = [t.text for t in root.iter(SVG + "text")]
            assert "Geen gegevens in deze periode." in texts
            assert root.find(SVG + "desc").text == "Geen gegevens in deze periode. Periode: maand 1 tot en met maand 3."
            assert root.findall(f".//{SVG}rect[@data-series]") == []
            assert c.empty and c.grand_total == 0 and [row[2] for row in c.table_rows()] == [0, 0, 0]
            assert "0" in texts and "1" in texts  # the axis from 0 to 1

    def test_one_month(self):
        c = chart({"a": [4], "b": [1]})
        root = parse(c.svg())
        (bar,) = bars(root)
        assert bar.get("data-total") == "5" and bar.get("data-category") == "maand 1"
        assert [t.text for t in bar.iter(SVG + "text")] == ["5"]  # the total above the bar
        assert c.table_rows() == [("maand 1", [4, 1], 5)]

    def test_labels_are_escaped(self):
        nasty = '<script>alert("x")</script> & "co"'
        c = BarChart(id="t", title=nasty, categories=[nasty], axis_labels=[(nasty, "2026 & later")],
                     series=[Series('k"<', nasty, (1,))])
        svg = c.svg()
        assert "<script>" not in svg and "<script>" not in c.legend()
        root = parse(svg)
        assert root.find(SVG + "title").text == nasty
        assert nasty in [t.text for t in root.iter(SVG + "text")]
        assert bars(root)[0].get("data-category") == nasty
        assert root.find(f".//{SVG}rect[@data-series]").get("data-series") == 'k"<'

    def test_the_legend_names_each_series_beside_its_pattern(self):
        c = chart({"consument": [1], "gemeente": [1], "kvk": [1], "anoniem": [1]})
        legend = c.legend()
        assert re.findall(r"<span>([^<]+)</span>", legend) == ["Consument", "Gemeente", "Kvk", "Anoniem"]
        assert legend.count('aria-hidden="true"') == 4  # the swatches; the words are read
        root = parse(c.svg())
        fills = [r.get("fill") for r in root.findall(f".//{SVG}rect[@data-series]")]
        patterns = [p.get("id") for p in root.iter(SVG + "pattern")]
        assert fills == [f"url(#{p})" for p in patterns] and len(set(patterns)) == 4
        # Not colour alone: neighbouring series differ in their pattern's marks, not only in colour.
        marks = [tuple(child.tag for child in p)[1:] for p in root.iter(SVG + "pattern")]
        assert all(marks[i] != marks[i + 1] for i in range(len(marks) - 1))

    def test_every_value_needs_a_category(self):
        with pytest.raises(ValueError):
            BarChart(id="t", title="x", categories=["a", "b"], axis_labels=[("a", None), ("b", None)],
                     series=[Series("s", "S", (1,))])


# ---------------------------------------------------------------- the numbers per month


@pytest.fixture
def spread(mirror) -> dict[str, Signal]:
    """Signals in February, March and May 2026, with sources, verdicts and BIK excesses."""
    made = {
        "feb": make_signal(naam_incassant="Noordkaap Incasso BV", datum_brief="2026-02-27", hoofdsom="1250,00",
                           incassokosten="450,00"),  # registered; excess 223,12
        "mar1": make_signal(naam_incassant="Snelgeld Inning", datum_brief="2026-03-01", bron="gemeente"),
        "mar31": make_signal(naam_incassant="Snelgeld Inning", ontvangen_op="2026-04-03", datum_brief="2026-03-31",
                             bron="gemeente",
                             hoofdsom="100,00", incassokosten="100,00"),  # excess 100 - 40 * 1,21 = 51,60
        "may": make_signal(naam_incassant="Rapido Vorderingen", ontvangen_op="2026-05-02", datum_brief="",
                           bron="anoniem"),
    }
    decide_verdict(made["may"].id, verdict="onzeker", registratienummer=None, reason="Eerst navragen.",
                   actor=Actor.process("test"))
    return made


class TestMonthlyNumbers:
    def test_grouped_by_month_of_the_reference_date(self, spread):
        found = figures(date(2026, 1, 1), date(2026, 6, 1))
        assert found.keys() == ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"]
        assert found.by_source == {"2026-02": {"consument": 1}, "2026-03": {"gemeente": 2}, "2026-05": {"anoniem": 1}}
        assert found.by_verdict == {"2026-02": {"geregistreerd": 1}, "2026-03": {"niet_geregistreerd": 2},
                                    "2026-05": {"onzeker": 1}}  # a person's decision counts
        assert found.bik == {"2026-02": (1, Decimal("223.12")), "2026-03": (1, Decimal("51.60"))}

    def test_the_period_includes_its_first_and_last_month_whole(self, spread):
        found = figures(date(2026, 3, 1), date(2026, 3, 1))
        assert found.keys() == ["2026-03"] and found.by_source == {"2026-03": {"gemeente": 2}}

    def test_the_charts_add_up_to_the_signals(self, spread):
        charts = build_charts(figures(date(2026, 1, 1), date(2026, 6, 1)))
        by_source, by_verdict, bik_count, bik_amount = charts
        assert [s.label for s in by_source.series] == ["Consument", "Gemeente", "Anoniem"]
        assert by_source.totals == by_verdict.totals == [0, 1, 2, 0, 1, 0]
        assert [s.label for s in by_verdict.series] == ["Geregistreerd", "Niet geregistreerd", "Onzeker"]
        assert bik_count.totals == [0, 1, 1, 0, 0, 0]
        assert bik_amount.totals == [0, Decimal("223.12"), Decimal("51.60"), 0, 0, 0]
        assert bik_amount.format_value(bik_amount.grand_total) == "€\xa0274,72"
        assert by_source.categories[0] == "januari 2026" and by_source.axis_labels[:2] == [("jan", "2026"), ("feb", None)]
        for c in charts:
            root = parse(c.svg())
            assert [float(g.get("data-total")) for g in bars(root)] == [float(t) for t in c.totals]


# ---------------------------------------------------------------- the page


def _tables(html: str) -> dict[str, str]:
    return {plain(caption): body for caption, body in re.findall(
        r'<caption class="utrecht-table__caption" id="[^"]+">(.*?)</caption>(.*?)</table>', html, re.S)}


def plain(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def inspector(login_as):
    return login_as(Role.INSPECTEUR)


class TestFiguresPage:
    def test_four_charts_each_with_its_legend_and_table(self, inspector, spread):
        response = inspector.get("/signalen/cijfers?van=2026-01&tot=2026-06")
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert "van januari 2026 tot en met juni 2026" in plain(html)
        assert html.count('role="img"') == 4 and html.count('class="wki-chart__legend"') == 4
        tables = _tables(html)
        assert list(tables) == ["Signalen per maand, naar bron", "Signalen per maand, naar oordeel",
                                "Signalen met incassokosten boven het BIK-maximum, per maand",
                                "Totale overschrijding van het BIK-maximum in euro, per maand"]
        source_rows = [plain(r) for r in re.findall(r"<tr class=\"utrecht-table__row\">(.*?)</tr>",
                                                    tables["Signalen per maand, naar bron"], re.S)]
        assert source_rows == ["januari 2026 0 0 0 0", "februari 2026 1 0 0 1", "maart 2026 0 2 0 2",
                               "april 2026 0 0 0 0", "mei 2026 0 0 1 1", "juni 2026 0 0 0 0", "Totaal 1 2 1 4"]
        amounts = plain(tables["Totale overschrijding van het BIK-maximum in euro, per maand"])
        assert "februari 2026 € 223,12" in amounts and "maart 2026 € 51,60" in amounts and "Totaal € 274,72" in amounts
        assert 'aria-current="page">Cijfers</a>' in html

    def test_the_last_24_months_by_default(self, inspector, mirror):
        today = today_local()
        first = add_months(date(today.year, today.month, 1), -23)
        old = make_signal(naam_incassant="Oud Bureau", ontvangen_op=add_months(first, -1).isoformat(), datum_brief="")
        recent = make_signal(naam_incassant="Nieuw Bureau", ontvangen_op=first.isoformat(), datum_brief="")
        assert old.reference_date < first <= recent.reference_date
        html = inspector.get("/signalen/cijfers").get_data(as_text=True)
        table = _tables(html)["Signalen per maand, naar bron"]
        assert len(re.findall(r'<th scope="row"', table)) == 24 + 1  # the months, and the total
        assert plain(table).endswith("Totaal 1")

    @pytest.mark.parametrize(("query", "message"), [
        ("van=2026-06&tot=2026-01", "De maand ‘tot en met’ ligt vóór de maand ‘van’. Kies een latere maand."),
        ("van=2010-01&tot=2026-01", "Kies een periode van hoogstens 10 jaar (120 maanden)."),
        ("van=juni", "Vul een maand in als jaar-maand, zoals 2026-03."),
        ("tot=2026-13", "Vul een maand in als jaar-maand, zoals 2026-03."),
    ])
    def test_a_wrong_period_is_refused_in_dutch(self, inspector, mirror, query, message):
        html = inspector.get("/signalen/cijfers?" + query).get_data(as_text=True)
        assert message in html and 'id="foutmeldingen"' in html and 'role="img"' not in html

    def test_the_dutch_way_of_writing_a_month(self, inspector, spread):
        html = inspector.get("/signalen/cijfers?van=03-2026&tot=03-2026").get_data(as_text=True)
        assert "van maart 2026 tot en met maart 2026" in plain(html) and html.count('role="img"') == 4

    def test_only_for_the_signals_roles(self, login_as, mirror):
        assert login_as(Role.HANDHAVER).get("/signalen/cijfers").status_code == 200
        assert login_as(Role.VOORLICHTING).get("/signalen/cijfers").status_code == 403


def test_the_figures_cost_a_fixed_number_of_queries(inspector, spread):
    import sqlalchemy as sa

    statements: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", before)
    try:
        assert inspector.get("/signalen/cijfers?van=2016-01&tot=2025-12").status_code == 200
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", before)
    grouped = [s for s in statements if "GROUP BY" in s.upper() and "signal" in s]
    assert len(grouped) == 3  # one per kind of chart, whatever the number of months
